/**
 * Receives a multipart/form-data body holding one audio `file` and some text fields: the file is
 * streamed to `uploadDir` under a fresh name (the client's name never reaches the disk), the fields
 * the caller names are kept, everything else is drained. The caller removes the file when done.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, payloadTooLarge, unsupportedMedia, validationError } from '../errors.js';
import { newId } from '../ids.js';

export const UPLOAD_EXTENSIONS = ['.mp3', '.wav', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.webm', '.flac'] as const;

export interface ReceivedUpload {
  readonly fields: Record<string, string>;
  /** Absent when the body held no `file` part. */
  readonly file: { readonly path: string; readonly name: string } | undefined;
}

export async function receiveAudioUpload(request: FastifyRequest, uploadDir: string, fieldNames: ReadonlySet<string>): Promise<ReceivedUpload> {
  const fields: Record<string, string> = {};
  let file: { path: string; name: string } | undefined;
  await mkdir(uploadDir, { recursive: true });
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (fieldNames.has(part.fieldname)) fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file' || file) {
        part.file.resume();
        continue;
      }
      const extension = path.extname(part.filename).toLowerCase();
      if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(extension)) {
        part.file.resume();
        throw unsupportedMedia(`"${part.filename}" is not a supported audio file (${UPLOAD_EXTENSIONS.join(', ')})`);
      }
      const target = path.join(uploadDir, `${newId()}${extension}`);
      file = { path: target, name: part.filename };
      await pipeline(part.file, createWriteStream(target));
      if (part.file.truncated) throw payloadTooLarge('the uploaded file is larger than the limit', 'file');
    }
  } catch (error) {
    if (file) await rm(file.path, { force: true });
    throw asUploadError(error);
  }
  return { fields, file };
}

export function parsedOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message }));
  throw validationError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}

/**
 * busboy reports a malformed body (no or bad boundary, cut short, broken part headers) as plain
 * Errors: the client's mistake, so a 400 rather than a 500. Errors with a status and the file
 * system's own (they name a syscall) keep theirs.
 */
function asUploadError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof AppError || 'syscall' in error) return error;
  if (typeof (error as { statusCode?: unknown }).statusCode === 'number') return error;
  const message = `the multipart body is malformed (${error.message})`;
  return validationError(`body: ${message}`, [{ field: 'body', message }]);
}
