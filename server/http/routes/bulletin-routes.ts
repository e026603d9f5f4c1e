/**
 * Bulletins from text (JSON) or from an uploaded recording (multipart/form-data with `title` and
 * `file`) on the same route; both end as normalised audio in the store.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BulletinService } from '../../broadcasts/bulletin-service.js';
import { isStorableText } from '../../../protocol/index.js';
import { AppError, payloadTooLarge, unsupportedMedia, validationError } from '../../errors.js';
import { newId } from '../../ids.js';
import { actorOf } from '../authentication.js';

export const UPLOAD_EXTENSIONS = ['.mp3', '.wav', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.webm', '.flac'] as const;

export interface BulletinRouteOptions {
  readonly bulletins: BulletinService;
  readonly maxTextChars: number;
  readonly uploadDir: string;
}

export function textBulletinSchema(maxTextChars: number) {
  return z.object({
    title: z.string().trim().min(1, 'title is required').max(300),
    text: z
      .string()
      .trim()
      .min(1, 'text is required')
      .max(maxTextChars, `text is longer than the limit of ${maxTextChars} characters`),
    voice: z.string().min(1).max(100).optional(),
    language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a BCP 47 tag such as vi-VN').optional(),
  });
}

export const bulletinRoutes: FastifyPluginAsyncZod<BulletinRouteOptions> = async (app, options) => {
  const { bulletins, uploadDir } = options;
  const textSchema = textBulletinSchema(options.maxTextChars);
  // The text route's JSON body is checked by storableTextGuard; multipart fields never pass through it.
  const uploadTitle = textSchema.shape.title.refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');

  app.post(
    '/api/bulletins',
    {
      config: { access: 'bulletins:write' },
      schema: {
        tags: ['bulletins'],
        summary: 'Create a bulletin from Vietnamese text (JSON) or an audio upload (multipart: title, file); an operator\'s waits for approval',
        consumes: ['application/json', 'multipart/form-data'],
      },
    },
    async (request, reply) => {
      if (request.isMultipart()) {
        return reply.status(201).send(await createFromUpload());
      }
      const parsed = textSchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        const details = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message }));
        throw validationError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
      }
      return reply.status(201).send(await bulletins.createFromText(parsed.data, await actorOf(request)));

      async function createFromUpload() {
        let title: string | undefined;
        let stored: { path: string; name: string } | undefined;
        await mkdir(uploadDir, { recursive: true });
        try {
          try {
            for await (const part of request.parts()) {
              if (part.type === 'field') {
                if (part.fieldname === 'title') title = String(part.value).trim();
                continue;
              }
              if (part.fieldname !== 'file' || stored) {
                part.file.resume();
                continue;
              }
              const extension = path.extname(part.filename).toLowerCase();
              if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(extension)) {
                part.file.resume();
                throw unsupportedMedia(`"${part.filename}" is not a supported audio file (${UPLOAD_EXTENSIONS.join(', ')})`);
              }
              const target = path.join(uploadDir, `${newId()}${extension}`);
              stored = { path: target, name: part.filename };
              await pipeline(part.file, createWriteStream(target));
              if (part.file.truncated) throw payloadTooLarge('the uploaded file is larger than the limit', 'file');
            }
          } catch (error) {
            throw asUploadError(error);
          }
          const parsedTitle = uploadTitle.safeParse(title ?? '');
          if (!parsedTitle.success) {
            const message = parsedTitle.error.issues[0]?.message ?? 'is invalid';
            throw validationError(`title: ${message}`, [{ field: 'title', message }]);
          }
          if (!stored) throw validationError('file: an audio file is required', [{ field: 'file', message: 'an audio file is required' }]);
          return await bulletins.createFromUpload(parsedTitle.data, stored.path, stored.name, await actorOf(request));
        } finally {
          if (stored) await rm(stored.path, { force: true });
        }
      }
    },
  );

  app.get(
    '/api/bulletins',
    { config: { access: 'bulletins:read' }, schema: { tags: ['bulletins'], summary: 'Recent bulletins of your area and of the areas above it' } },
    async (request) => bulletins.list(await request.accessScope()),
  );

  app.get(
    '/api/bulletins/:id',
    { config: { access: 'bulletins:read' }, schema: { tags: ['bulletins'], summary: 'One bulletin', params: z.object({ id: z.string().min(1) }) } },
    async (request) => bulletins.get(request.params.id, undefined, await request.accessScope()),
  );
};

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
