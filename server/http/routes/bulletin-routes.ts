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
import { payloadTooLarge, unsupportedMedia, validationError } from '../../errors.js';
import { newId } from '../../ids.js';
import { userIdOf } from '../authentication.js';

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

  app.post(
    '/api/bulletins',
    {
      schema: {
        tags: ['bulletins'],
        summary: 'Create a bulletin from Vietnamese text (JSON) or an audio upload (multipart: title, file)',
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
      return reply.status(201).send(await bulletins.createFromText(parsed.data, userIdOf(request)));

      async function createFromUpload() {
        let title: string | undefined;
        let stored: { path: string; name: string } | undefined;
        await mkdir(uploadDir, { recursive: true });
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
          if (!title) throw validationError('title: title is required', [{ field: 'title', message: 'title is required' }]);
          if (!stored) throw validationError('file: an audio file is required', [{ field: 'file', message: 'an audio file is required' }]);
          return await bulletins.createFromUpload(title, stored.path, stored.name, userIdOf(request));
        } finally {
          if (stored) await rm(stored.path, { force: true });
        }
      }
    },
  );

  app.get('/api/bulletins', { schema: { tags: ['bulletins'], summary: 'Recent bulletins' } }, async () => bulletins.list());

  app.get(
    '/api/bulletins/:id',
    { schema: { tags: ['bulletins'], summary: 'One bulletin', params: z.object({ id: z.string().min(1) }) } },
    async (request) => bulletins.get(request.params.id),
  );
};
