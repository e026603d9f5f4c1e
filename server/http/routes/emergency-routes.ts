/**
 * Emergencies: send one (JSON with text or a bulletin, or multipart with a recording), stop it,
 * read its live board, or follow the board as server-sent events; and the attention signals.
 */
import { rm } from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { signalPatternSchema } from '../../../protocol/index.js';
import type { EmergencyBoard } from '../../emergency/emergency-board.js';
import type { EmergencyContent, EmergencyRequest, EmergencyService } from '../../emergency/emergency-service.js';
import type { SignalCatalogue } from '../../emergency/signal-catalogue.js';
import { validationError } from '../../errors.js';
import { parsedOrThrow, receiveAudioUpload } from '../audio-upload.js';
import { actorOf } from '../authentication.js';
import { voiceSettings } from './bulletin-routes.js';

export const HAZARDS = ['storm', 'flood', 'landslide', 'tsunami', 'fire', 'other'] as const;

export interface EmergencyRouteOptions {
  readonly emergencies: EmergencyService;
  readonly board: EmergencyBoard;
  readonly signals: SignalCatalogue;
  readonly maxTextChars: number;
  readonly uploadDir: string;
}

const id = z.string().trim().min(1).max(100);

const settingsShape = {
  target: z
    .object({ areaIds: z.array(id).max(1_000).optional(), deviceIds: z.array(id).max(10_000).optional(), all: z.boolean().optional() })
    .strict(),
  repeat: z.number().int().min(1).max(10).optional(),
  gapSeconds: z.number().int().min(0).max(600).optional(),
  tone: z.string().trim().min(1).max(64).nullable().optional(),
  hazard: z.enum(HAZARDS).optional(),
  // Fractions allowed: a drill may want an airing valid for 30 seconds.
  validityMinutes: z.number().min(0.1).max(24 * 60).optional(),
  cadence: z.object({ every: z.string().trim().min(1).max(20), alignTo: z.enum(['hour', 'none']).optional() }).strict().optional(),
  until: z.iso.datetime({ offset: true }).optional(),
};

/** Multipart fields arrive as text: numbers and the JSON objects are parsed before the same checks. */
const MULTIPART_FIELDS = new Set(['title', 'target', 'repeat', 'gapSeconds', 'tone', 'hazard', 'validityMinutes', 'cadence', 'until']);

export const emergencyRoutes: FastifyPluginAsyncZod<EmergencyRouteOptions> = async (app, { emergencies, board, signals, maxTextChars, uploadDir }) => {
  const jsonBody = z
    .object({
      text: z.string().trim().min(1).max(maxTextChars, `text is longer than the limit of ${maxTextChars} characters`).optional(),
      title: z.string().trim().min(1).max(300).optional(),
      bulletinId: id.optional(),
      ...voiceSettings,
      ...settingsShape,
    })
    .strict()
    .refine((body) => (body.text === undefined) !== (body.bulletinId === undefined), { message: 'give text or bulletinId (or upload a recording)', path: ['text'] });
  const multipartFields = z.object({ title: z.string().trim().min(1).max(300).optional(), ...settingsShape });

  app.post(
    '/api/emergency',
    {
      config: { access: 'emergency:send' },
      schema: {
        tags: ['emergency'],
        summary:
          'Send an emergency now: text (rendered at once), a bulletin, or a recording (multipart: file plus the other fields, target and cadence as JSON), to areas, receivers or all; it starts with an attention signal, repeats, and may re-air on a cadence (a standing alert)',
        consumes: ['application/json', 'multipart/form-data'],
      },
    },
    async (request, reply) => {
      const actor = await actorOf(request);
      if (request.isMultipart()) {
        const upload = await receiveAudioUpload(request, uploadDir, MULTIPART_FIELDS);
        try {
          if (!upload.file) throw validationError('file: an audio file is required', [{ field: 'file', message: 'an audio file is required' }]);
          const fields = parsedOrThrow(multipartFields, decodeMultipartFields(upload.fields));
          const content: EmergencyContent = { kind: 'upload', filePath: upload.file.path, originalName: upload.file.name, title: fields.title };
          return reply.status(201).send(await emergencies.send(requestOf(content, fields), actor));
        } finally {
          if (upload.file) await rm(upload.file.path, { force: true });
        }
      }
      const body = parsedOrThrow(jsonBody, request.body ?? {});
      const content: EmergencyContent =
        body.bulletinId !== undefined
          ? { kind: 'bulletin', bulletinId: body.bulletinId }
          : { kind: 'text', text: body.text!, title: body.title, voice: body.voice, speakingRate: body.speakingRate, pitch: body.pitch };
      return reply.status(201).send(await emergencies.send(requestOf(content, body), actor));
    },
  );

  app.post(
    '/api/emergency/:id/stop',
    {
      config: { access: 'emergency:send' },
      schema: { tags: ['emergency'], summary: 'Stop an emergency everywhere: what plays stops, what has not started never will', params: z.object({ id }) },
    },
    async (request) => {
      const actor = await actorOf(request);
      return emergencies.stopEmergency(request.params.id, actor, `stopped by ${actor.user?.username ?? 'the system'}`);
    },
  );

  app.get(
    '/api/emergency',
    { config: { access: 'broadcasts:read' }, schema: { tags: ['emergency'], summary: 'Emergencies reaching your area, active ones first' } },
    async (request) => emergencies.list(await request.accessScope()),
  );

  app.get(
    '/api/emergency/signals',
    { config: { access: 'broadcasts:read' }, schema: { tags: ['emergency'], summary: 'The attention signals receivers keep cached, with their patterns' } },
    async () => signals.list(),
  );

  app.put(
    '/api/emergency/signals/:name',
    {
      config: { access: 'signals:manage' },
      schema: {
        tags: ['emergency'],
        summary: 'Create or change an attention signal (sound, blasts × blastMs, gapMs); every receiver is told to cache the new sound',
        params: z.object({ name: z.string().regex(/^[a-z0-9-]{1,32}$/, 'lowercase letters, digits and - only') }),
        body: z.object({ label: z.string().trim().min(1).max(200), pattern: signalPatternSchema }).strict(),
      },
    },
    async (request) => signals.put(request.params.name, request.body),
  );

  app.get(
    '/api/emergency/:id',
    {
      config: { access: 'broadcasts:read' },
      schema: { tags: ['emergency'], summary: 'The live board: each receiver pending, playing, played, failed (why) or offline, with the counts', params: z.object({ id }) },
    },
    async (request) => board.view(request.params.id, await request.accessScope()),
  );

  app.get(
    '/api/emergency/:id/events',
    {
      config: { access: 'broadcasts:read' },
      schema: { tags: ['emergency'], summary: 'The live board as server-sent events: a `board` event now and whenever it changes', params: z.object({ id }) },
    },
    async (request, reply) => {
      const scope = await request.accessScope();
      const emergencyId = request.params.id;
      const first = await board.view(emergencyId, scope);
      const stream = app.openEventStream(request, reply);
      stream.send('board', first);
      let sending = Promise.resolve();
      const unwatch = board.watch(emergencyId, () => {
        sending = sending
          .then(async () => stream.send('board', await board.view(emergencyId, scope)))
          .catch((error: unknown) => request.log.warn({ err: error, emergencyId }, 'could not update the emergency board stream'));
      });
      stream.onClose(unwatch);
    },
  );
};

function requestOf(content: EmergencyContent, fields: z.infer<z.ZodObject<typeof settingsShape>>): EmergencyRequest {
  return {
    content,
    target: fields.target,
    repeat: fields.repeat,
    gapSeconds: fields.gapSeconds,
    tone: fields.tone,
    hazard: fields.hazard,
    validityMinutes: fields.validityMinutes,
    cadence: fields.cadence,
    until: fields.until ? new Date(fields.until) : undefined,
  };
}

function decodeMultipartFields(fields: Record<string, string>): Record<string, unknown> {
  const decoded: Record<string, unknown> = { ...fields };
  for (const name of ['target', 'cadence']) {
    if (fields[name] === undefined) continue;
    try {
      decoded[name] = JSON.parse(fields[name]);
    } catch {
      throw validationError(`${name}: must be JSON`, [{ field: name, message: 'must be JSON' }]);
    }
  }
  for (const name of ['repeat', 'gapSeconds', 'validityMinutes']) {
    if (fields[name] !== undefined) decoded[name] = Number(fields[name]);
  }
  if (fields.tone === '') decoded.tone = null;
  return decoded;
}
