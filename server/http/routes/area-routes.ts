import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AREA_KINDS, type AreaService } from '../../areas/area-service.js';
import { quietHoursSchema } from '../../scheduling/recurrence-spec.js';

export const areaRoutes: FastifyPluginAsyncZod<{ areas: AreaService }> = async (app, { areas }) => {
  app.post(
    '/api/areas',
    {
      config: { access: 'areas:write' },
      schema: {
        tags: ['areas'],
        summary: 'Create an area (province, district, commune or hamlet)',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          kind: z.enum(AREA_KINDS),
          parentId: z.string().min(1).optional(),
          code: z.string().trim().min(1).max(50).optional(),
          quietHours: quietHoursSchema.nullable().optional(),
        }),
      },
    },
    async (request, reply) => reply.status(201).send(await areas.create(request.body)),
  );

  app.patch(
    '/api/areas/:id',
    {
      config: { access: 'areas:write' },
      schema: {
        tags: ['areas'],
        summary: 'Rename an area, change its code, its quiet hours (null: inherit the parent area\'s), or whether its operators may send emergencies',
        params: z.object({ id: z.string().min(1) }),
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          code: z.string().trim().min(1).max(50).optional(),
          quietHours: quietHoursSchema.nullable().optional(),
          operatorsMaySendEmergency: z.boolean().optional(),
        }),
      },
    },
    async (request) => areas.update(request.params.id, request.body),
  );

  app.get(
    '/api/areas',
    { config: { access: 'areas:read' }, schema: { tags: ['areas'], summary: 'The area tree with receiver counts: your area, what is below it, and the path above it' } },
    async (request) => areas.tree((await request.accessScope()).visibleAreas),
  );
};
