/**
 * Bulletins on one route: from text (JSON `{title, text}`), from parts (JSON `{title, parts}`), or
 * from an uploaded recording (multipart/form-data: `title`, `file`, and optionally `language` and
 * `transcript`); all end as normalised audio in the store.
 */
import { rm } from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canonicalLanguageTag, LANGUAGE_TAG_HINT } from '../../audio/language-tag.js';
import { TONE_NAMES } from '../../audio/tones/tone-library.js';
import type { BulletinService, RecordingDetails } from '../../broadcasts/bulletin-service.js';
import { isStorableText } from '../../../protocol/index.js';
import { validationError } from '../../errors.js';
import { parsedOrThrow, receiveAudioUpload } from '../audio-upload.js';
import { actorOf } from '../authentication.js';

/** Enough for chimes around several announcements; each part is rendered, so the count bounds the work. */
export const MAX_BULLETIN_PARTS = 20;

export interface BulletinRouteOptions {
  readonly bulletins: BulletinService;
  readonly maxTextChars: number;
  readonly uploadDir: string;
}

export const languageTag = z
  .string()
  .trim()
  .max(35)
  .transform((tag, context) => {
    const canonical = canonicalLanguageTag(tag);
    if (!canonical) context.addIssue({ code: 'custom', message: LANGUAGE_TAG_HINT });
    return canonical ?? tag;
  });

export const voiceSettings = {
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
        const upload = await receiveAudioUpload(request, uploadDir, new Set(Object.keys(uploadFields.shape)));
        try {
          const parsed = parsedOrThrow(uploadFields, { ...upload.fields, title: upload.fields.title ?? '' });
          if (!upload.file) throw validationError('file: an audio file is required', [{ field: 'file', message: 'an audio file is required' }]);
          const details: RecordingDetails = { language: parsed.language, transcript: parsed.transcript };
          return await bulletins.createFromUpload(parsed.title, upload.file.path, upload.file.name, await actorOf(request), details);
        } finally {
          if (upload.file) await rm(upload.file.path, { force: true });
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
