import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OfferService } from '../../broadcasts/offer-service.js';
import { recurrenceSchema, repeatSchema } from '../../scheduling/recurrence-spec.js';
import { actorOf } from '../authentication.js';

const params = z.object({ id: z.string().min(1) });
const OFFER_STATES = ['offered', 'accepted', 'declined', 'scheduled', 'clash'] as const;

export const offerRoutes: FastifyPluginAsyncZod<{ offers: OfferService }> = async (app, { offers }) => {
  app.get(
    '/api/offers',
    {
      config: { access: 'broadcasts:read' },
      schema: {
        tags: ['offers'],
        summary: 'The inbox: what a province or district sent to the communes in your area, and what each decided',
        querystring: z.object({ state: z.enum(OFFER_STATES).optional() }),
      },
    },
    async (request) => offers.inbox(await request.accessScope(), { state: request.query.state }),
  );

  app.post(
    '/api/offers/:id/accept',
    {
      config: { access: 'offers:decide' },
      schema: {
        tags: ['offers'],
        summary: 'Schedule offered content in your commune: at the proposed time, or at startAt / on a recurrence you choose (which also settles the order after a clash)',
        params,
        body: z
          .object({ startAt: z.iso.datetime({ offset: true }).optional(), recurrence: recurrenceSchema.optional(), repeat: repeatSchema.optional() })
          .nullish(),
      },
    },
    async (request) => {
      const body = request.body ?? {};
      return offers.accept(request.params.id, await actorOf(request), { ...body, startAt: body.startAt ? new Date(body.startAt) : undefined });
    },
  );

  app.post(
    '/api/offers/:id/decline',
    {
      config: { access: 'offers:decide' },
      schema: { tags: ['offers'], summary: 'Decline offered content, with a reason the sender sees', params, body: z.object({ reason: z.string().trim().max(1_000).optional() }).nullish() },
    },
    async (request) => offers.decline(request.params.id, await actorOf(request), request.body?.reason),
  );
};
