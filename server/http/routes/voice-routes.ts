/**
 * The voices a bulletin may be spoken in, per TTS engine, and the defaults that apply to the caller;
 * with the limits a bulletin must keep to, so a form can count against them while it is filled in.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { BulletinService } from '../../broadcasts/bulletin-service.js';
import { actorOf } from '../authentication.js';

export interface BulletinLimits {
  readonly bulletinMaxChars: number;
  readonly uploadMaxBytes: number;
  readonly uploadMaxSeconds: number;
}

export const voiceRoutes: FastifyPluginAsyncZod<{ bulletins: Pick<BulletinService, 'voiceOptions'>; limits: BulletinLimits }> = async (
  app,
  { bulletins, limits },
) => {
  app.get(
    '/api/tts/voices',
    {
      config: { access: 'bulletins:read' },
      schema: {
        tags: ['bulletins'],
        summary:
          'Vietnamese voices of each TTS engine with their speaking rate and pitch (semitones) ranges; the server default and your area\'s default voice; the limits of a bulletin (text characters, upload bytes and seconds)',
      },
    },
    async (request) => ({
      ...(await bulletins.voiceOptions(await actorOf(request))),
      limits: { textMaxChars: limits.bulletinMaxChars, uploadMaxBytes: limits.uploadMaxBytes, uploadMaxSeconds: limits.uploadMaxSeconds },
    }),
  );
};
