/**
 * Server-sent event streams (WHATWG HTML §9.2) on hijacked replies: named events with JSON data,
 * a comment every few seconds so proxies and the browser keep the connection open, cleanup when
 * the client goes away, and every stream ended when the app closes (a hijacked reply would
 * otherwise keep `close()` waiting for the browser).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const HEARTBEAT_MS = 15_000;

export interface EventStream {
  send(event: string, data: unknown): void;
  /** Runs once the client has gone or the app closes. */
  onClose(cleanup: () => void): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream;
  }
}

export const eventStreams = fp(async (app: FastifyInstance) => {
  const open = new Set<() => void>();
  app.decorate('openEventStream', (request: FastifyRequest, reply: FastifyReply): EventStream => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const cleanups: Array<() => void> = [() => clearInterval(heartbeat)];
    const end = () => {
      if (!open.delete(end)) return;
      for (const cleanup of cleanups) cleanup();
      raw.end();
    };
    open.add(end);
    request.raw.on('close', end);
    return {
      send: (event, data) => {
        if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      onClose: (cleanup) => cleanups.push(cleanup),
    };
  });
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
});
