/**
 * Serves stored audio to receivers: content-addressed, so the ETag is the sha256 and the file is
 * immutable; single byte ranges (RFC 9110 §14) let a receiver resume an interrupted download.
 */
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';

export interface AudioFileLocator {
  locate(sha256: string): Promise<{ path: string; bytes: number; mime: string } | null>;
}

const FILE_NAME = /^([0-9a-f]{64})\.(mp3|ogg|wav)$/;

export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null; // multiple or malformed ranges: serve the whole file, as RFC 9110 allows
  const [, first, last] = match;
  let start: number;
  let end: number;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export const audioFileRoutes: FastifyPluginAsync<{ store: AudioFileLocator }> = async (app, { store }) => {
  app.get<{ Params: { file: string } }>('/audio/:file', { schema: { hide: true } }, async (request, reply) => {
    const match = FILE_NAME.exec(request.params.file);
    const located = match ? await store.locate(match[1]!) : null;
    if (!match || !located) {
      return reply.status(404).send({ statusCode: 404, code: 'NOT_FOUND', message: 'no such audio', details: [] });
    }
    const etag = `"${match[1]}"`;
    void reply
      .header('etag', etag)
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('content-type', located.mime);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch && (ifNoneMatch === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))) {
      return reply.status(304).send();
    }
    const rangeHeader = request.headers.range;
    const ifRange = request.headers['if-range'];
    const range = rangeHeader && (!ifRange || ifRange === etag) ? parseRange(rangeHeader, located.bytes) : null;
    if (range === 'unsatisfiable') {
      return reply.status(416).header('content-range', `bytes */${located.bytes}`).send();
    }
    if (range) {
      void reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${located.bytes}`)
        .header('content-length', range.end - range.start + 1);
      return reply.send(createReadStream(located.path, { start: range.start, end: range.end }));
    }
    void reply.header('content-length', located.bytes);
    // Fastify's automatic HEAD route discards the stream but keeps our Content-Length.
    return reply.send(createReadStream(located.path));
  });
};
