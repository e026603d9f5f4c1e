import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PRIORITIES } from '../../../protocol/index.js';
import type { BroadcastService } from '../../broadcasts/broadcast-service.js';
import { userIdOf } from '../authentication.js';

const idList = z.array(z.string().min(1)).max(10_000);

export const broadcastRoutes: FastifyPluginAsyncZod<{ broadcasts: BroadcastService }> = async (app, { broadcasts }) => {
  app.post(
    '/api/broadcasts',
    {
      schema: {
        tags: ['broadcasts'],
        summary: 'Broadcast a bulletin to areas and/or receivers, now or at startAt',
        body: z.object({
          bulletinId: z.string().min(1),
          target: z
            .object({ areaIds: idList.optional(), deviceIds: idList.optional() })
            .refine((t) => (t.areaIds?.length ?? 0) + (t.deviceIds?.length ?? 0) > 0, 'give at least one areaId or deviceId'),
          startAt: z.iso.datetime({ offset: true }).optional(),
          priority: z.enum(PRIORITIES).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { bulletinId, target, startAt, priority } = request.body;
      const created = await broadcasts.create(
        { bulletinId, target, startAt: startAt ? new Date(startAt) : undefined, priority },
        userIdOf(request),
      );
      return reply.status(201).send(created);
    },
  );

  app.get('/api/broadcasts', { schema: { tags: ['broadcasts'], summary: 'Recent broadcasts with delivery counts' } }, async () =>
    broadcasts.list(),
  );

  app.get(
    '/api/broadcasts/:id',
    {
      schema: {
        tags: ['broadcasts'],
        summary: 'A broadcast with one delivery per receiver (proof of play)',
        params: z.object({ id: z.string().min(1) }),
      },
    },
    async (request) => broadcasts.get(request.params.id),
  );
};
