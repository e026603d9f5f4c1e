/**
 * CAP 1.2 alerts in (docs/cap.md): the XML document is the body. The size limit is enforced while
 * the body streams in, so a 10 MB document is refused without being held in memory.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CAP_MAX_BYTES } from '../../cap/index.js';
import type { CapIntake } from '../../emergency/cap-intake.js';
import { unsupportedMedia } from '../../errors.js';
import { actorOf } from '../authentication.js';

export interface CapRouteOptions {
  readonly cap: CapIntake;
}

export const CAP_CONTENT_TYPES = ['application/cap+xml', 'application/xml', 'text/xml'];

export const capRoutes: FastifyPluginAsyncZod<CapRouteOptions> = async (app, { cap }) => {
  // Scoped to this plugin: nowhere else does the API take XML.
  app.addContentTypeParser(CAP_CONTENT_TYPES, { parseAs: 'string', bodyLimit: CAP_MAX_BYTES }, (_request, body, done) => done(null, body));

  app.post(
    '/api/cap',
    {
      config: { access: 'cap:submit' },
      bodyLimit: CAP_MAX_BYTES,
      schema: {
        tags: ['emergency'],
        summary:
          'Submit an OASIS CAP 1.2 alert (XML): severe, urgent and certain alerts for our areas become emergencies at once, others draft bulletins; Update and Cancel act on the referenced alert; a repeat of the same identifier changes nothing',
        consumes: CAP_CONTENT_TYPES,
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string') throw unsupportedMedia(`send the alert as XML (${CAP_CONTENT_TYPES.join(', ')})`, 'body');
      const result = await cap.submit(request.body, await actorOf(request));
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );
};
