import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PRIORITIES } from '../../../protocol/index.js';
import type { BroadcastService } from '../../broadcasts/broadcast-service.js';
import { recurrenceSchema, repeatSchema } from '../../scheduling/recurrence-spec.js';
import { userIdOf } from '../authentication.js';

const idList = z.array(z.string().min(1)).max(10_000);
const target = z
  .object({ areaIds: idList.optional(), deviceIds: idList.optional() })
  .refine((t) => (t.areaIds?.length ?? 0) + (t.deviceIds?.length ?? 0) > 0, 'give at least one areaId or deviceId');
const startAt = z.iso.datetime({ offset: true });
const params = z.object({ id: z.string().min(1) });

export const broadcastRoutes: FastifyPluginAsyncZod<{ broadcasts: BroadcastService }> = async (app, { broadcasts }) => {
  app.post(
    '/api/broadcasts',
    {
      schema: {
        tags: ['broadcasts'],
        summary: 'Broadcast a bulletin to areas and/or receivers: at startAt (default: in 2 s), or on a recurrence, optionally repeated',
        body: z.object({
          bulletinId: z.string().min(1),
          target,
          startAt: startAt.optional(),
          recurrence: recurrenceSchema.optional(),
          repeat: repeatSchema.optional(),
          priority: z.enum(PRIORITIES).optional(),
        }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await broadcasts.create(
        { ...body, startAt: body.startAt ? new Date(body.startAt) : undefined },
        userIdOf(request),
      );
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/api/broadcasts/:id',
    {
      schema: {
        tags: ['broadcasts'],
        summary: 'Change a broadcast; what has not started yet is withdrawn from receivers and planned again',
        params,
        body: z.object({
          bulletinId: z.string().min(1).optional(),
          target: target.optional(),
          startAt: startAt.optional(),
          recurrence: recurrenceSchema.optional(),
          repeat: repeatSchema.optional(),
          priority: z.enum(PRIORITIES).optional(),
        }),
      },
    },
    async (request) => {
      const body = request.body;
      return broadcasts.update(request.params.id, { ...body, startAt: body.startAt ? new Date(body.startAt) : undefined });
    },
  );

  app.post(
    '/api/broadcasts/:id/cancel',
    { schema: { tags: ['broadcasts'], summary: 'Cancel a broadcast: nothing of it that has not started will play', params } },
    async (request) => broadcasts.cancel(request.params.id),
  );

  app.get('/api/broadcasts', { schema: { tags: ['broadcasts'], summary: 'Recent broadcasts with delivery counts' } }, async () =>
    broadcasts.list(),
  );

  app.get(
    '/api/broadcasts/:id',
    {
      schema: { tags: ['broadcasts'], summary: 'A broadcast with its occurrences and one delivery per receiver and occurrence (proof of play)', params },
    },
    async (request) => broadcasts.get(request.params.id),
  );
};
