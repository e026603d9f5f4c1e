import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PronunciationDictionary } from '../../speech/pronunciation-dictionary.js';
import type { BulletinService } from '../../broadcasts/bulletin-service.js';
import { actorOf } from '../authentication.js';

const params = z.object({ id: z.string().min(1) });
const KINDS = ['word', 'pattern'] as const;
const entryFields = {
  match: z.string().trim().min(1).max(200),
  spoken: z.string().trim().min(1).max(500),
  kind: z.enum(KINDS).optional(),
  areaId: z.string().min(1).nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
};

export const speechRoutes: FastifyPluginAsyncZod<{ dictionary: PronunciationDictionary; bulletins: BulletinService; maxTextChars: number }> = async (
  app,
  { dictionary, bulletins, maxTextChars },
) => {
  app.post(
    '/api/tts/preview',
    {
      config: { access: 'bulletins:write' },
      schema: {
        tags: ['speech'],
        summary: 'Listen before sending: the text as it will be spoken, each change, flagged tokens, and the rendered audio',
        body: z.object({
          text: z.string().trim().min(1, 'text is required').max(maxTextChars, `text is longer than the limit of ${maxTextChars} characters`),
          voice: z.string().min(1).max(100).optional(),
          speakingRate: z.number().optional(),
          pitch: z.number().optional(),
          areaId: z.string().min(1).optional(),
        }),
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      if (request.body.areaId) actor.scope.requireAreas([request.body.areaId], 'areaId');
      return bulletins.preview(request.body, actor);
    },
  );

  app.get(
    '/api/pronunciations',
    { config: { access: 'bulletins:read' }, schema: { tags: ['speech'], summary: 'Pronunciation entries: network-wide and of your area and the areas above it' } },
    async (request) => dictionary.list(await request.accessScope()),
  );

  app.post(
    '/api/pronunciations',
    {
      config: { access: 'pronunciations:write' },
      schema: {
        tags: ['speech'],
        summary: 'Say a word (or a pattern) this way, network-wide (admins) or in an area of yours and below',
        body: z.object({ ...entryFields }),
      },
    },
    async (request, reply) => reply.status(201).send(await dictionary.create(request.body, await actorOf(request))),
  );

  app.patch(
    '/api/pronunciations/:id',
    {
      config: { access: 'pronunciations:write' },
      schema: { tags: ['speech'], summary: 'Change a pronunciation entry', params, body: z.object({ ...entryFields, match: entryFields.match.optional(), spoken: entryFields.spoken.optional() }) },
    },
    async (request) => dictionary.update(request.params.id, request.body, await actorOf(request)),
  );

  app.delete(
    '/api/pronunciations/:id',
    { config: { access: 'pronunciations:write' }, schema: { tags: ['speech'], summary: 'Remove a pronunciation entry', params } },
    async (request, reply) => {
      await dictionary.delete(request.params.id, await actorOf(request));
      return reply.status(204).send();
    },
  );
};
