/** The voices a bulletin may be spoken in, per TTS engine, and the defaults that apply to the caller. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { BulletinService } from '../../broadcasts/bulletin-service.js';
import { actorOf } from '../authentication.js';

export const voiceRoutes: FastifyPluginAsyncZod<{ bulletins: Pick<BulletinService, 'voiceOptions'> }> = async (app, { bulletins }) => {
  app.get(
    '/api/tts/voices',
    {
      config: { access: 'bulletins:read' },
      schema: {
        tags: ['bulletins'],
        summary:
          'Vietnamese voices of each TTS engine with their speaking rate and pitch (semitones) ranges; the server default and your area\'s default voice',
      },
    },
    async (request) => bulletins.voiceOptions(await actorOf(request)),
  );
};
