/**
 * Bulletins on one route: from text (JSON `{title, text}`), from parts (JSON `{title, parts}`), or
 * from an uploaded recording (multipart/form-data: `title`, `file`, and optionally `language` and
 * `transcript`); all end as normalised audio in the store.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canonicalLanguageTag, LANGUAGE_TAG_HINT } from '../../audio/language-tag.js';
import { TONE_NAMES } from '../../audio/tones/tone-library.js';
import type { BulletinService, RecordingDetails } from '../../broadcasts/bulletin-service.js';
import { isStorableText } from '../../../protocol/index.js';
import { AppError, payloadTooLarge, unsupportedMedia, validationError } from '../../errors.js';
import { newId } from '../../ids.js';
import { actorOf } from '../authentication.js';

export const UPLOAD_EXTENSIONS = ['.mp3', '.wav', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.webm', '.flac'] as const;

/** Enough for chimes around several announcements; each part is rendered, so the count bounds the work. */
export const MAX_BULLETIN_PARTS = 20;

export interface BulletinRouteOptions {
  readonly bulletins: BulletinService;
  readonly maxTextChars: number;
  readonly uploadDir: string;
}

const languageTag = z
  .string()
  .trim()
  .max(35)
  .transform((tag, context) => {
    const canonical = canonicalLanguageTag(tag);
    if (!canonical) context.addIssue({ code: 'custom', message: LANGUAGE_TAG_HINT });
    return canonical ?? tag;
  });

const voiceSettings = {
  voice: z.string().trim().min(1).max(100).optional(),
  speakingRate: z.number().optional(),
  pitch: z.number().optional(),
};

const title = z.string().trim().min(1, 'title is required').max(300);

export function textBulletinSchema(maxTextChars: number) {
  return z.object({
    title,
    text: z
      .string()
      .trim()
      .min(1, 'text is required')
      .max(maxTextChars, `text is longer than the limit of ${maxTextChars} characters`),
    language: languageTag.optional(),
    ...voiceSettings,
  });
}

export function partsBulletinSchema(maxTextChars: number) {
  const part = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('chime'), name: z.enum(TONE_NAMES).optional() }),
    z.object({ kind: z.literal('tts'), text: textBulletinSchema(maxTextChars).shape.text, language: languageTag.optional(), ...voiceSettings }),
    z.object({ kind: z.literal('audio'), bulletinId: z.string().trim().min(1).max(100) }),
  ]);
  return z.object({
    title,
    parts: z
      .array(part)
      .min(1, 'at least one part is required')
      .max(MAX_BULLETIN_PARTS, `at most ${MAX_BULLETIN_PARTS} parts`)
      .refine(
        (parts) => parts.reduce((sum, item) => sum + (item.kind === 'tts' ? item.text.length : 0), 0) <= maxTextChars,
        `the parts' text is longer than the limit of ${maxTextChars} characters`,
      ),
  });
}

export const bulletinRoutes: FastifyPluginAsyncZod<BulletinRouteOptions> = async (app, options) => {
  const { bulletins, uploadDir } = options;
  const textSchema = textBulletinSchema(options.maxTextChars);
  const partsSchema = partsBulletinSchema(options.maxTextChars);
  // The JSON routes' bodies are checked by storableTextGuard; multipart fields never pass through it.
  const storable = (schema: z.ZodString) => schema.refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');
  const uploadFields = z.object({
    title: storable(title),
    language: storable(z.string()).pipe(languageTag).optional(),
    transcript: storable(z.string().trim().max(options.maxTextChars, `transcript is longer than the limit of ${options.maxTextChars} characters`))
      .optional()
      .transform((text) => text || undefined),
  });

  app.post(
    '/api/bulletins',
    {
      config: { access: 'bulletins:write' },
      schema: {
        tags: ['bulletins'],
        summary:
          'Create a bulletin from text (JSON: title, text, voice?, speakingRate?, pitch?), from parts (JSON: title, parts: chime | tts | audio of an earlier bulletin) or from a recording (multipart: title, file, language?, transcript?); an operator\'s waits for approval',
        consumes: ['application/json', 'multipart/form-data'],
      },
    },
    async (request, reply) => {
      if (request.isMultipart()) {
        return reply.status(201).send(await createFromUpload());
      }
      const body = request.body ?? {};
      const actor = await actorOf(request);
      if (typeof body === 'object' && 'parts' in body) {
        return reply.status(201).send(await bulletins.createFromParts(parsedOrThrow(partsSchema, body), actor));
      }
      return reply.status(201).send(await bulletins.createFromText(parsedOrThrow(textSchema, body), actor));

      async function createFromUpload() {
        const fields: Record<string, string> = {};
        let stored: { path: string; name: string } | undefined;
        await mkdir(uploadDir, { recursive: true });
        try {
          try {
            for await (const part of request.parts()) {
              if (part.type === 'field') {
                if (part.fieldname in uploadFields.shape) fields[part.fieldname] = String(part.value);
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
          const parsed = parsedOrThrow(uploadFields, { ...fields, title: fields.title ?? '' });
          if (!stored) throw validationError('file: an audio file is required', [{ field: 'file', message: 'an audio file is required' }]);
          const details: RecordingDetails = { language: parsed.language, transcript: parsed.transcript };
          return await bulletins.createFromUpload(parsed.title, stored.path, stored.name, await actorOf(request), details);
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

function parsedOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
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
