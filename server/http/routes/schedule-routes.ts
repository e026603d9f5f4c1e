import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound, validationError } from '../../errors.js';
import type { ScheduleService } from '../../scheduling/schedule-service.js';

const MAX_WINDOW_DAYS = 62;

export const scheduleRoutes: FastifyPluginAsyncZod<{ schedule: ScheduleService }> = async (app, { schedule }) => {
  app.get(
    '/api/schedule',
    {
      config: { access: 'broadcasts:read' },
      schema: {
        tags: ['schedule'],
        summary: 'The concrete occurrences in a window (the calendar), with conflicts marked',
        querystring: z.object({
          from: z.iso.datetime({ offset: true }),
          to: z.iso.datetime({ offset: true }),
          areaId: z.string().min(1).optional(),
        }),
      },
    },
    async (request) => {
      const from = new Date(request.query.from);
      const to = new Date(request.query.to);
      if (to <= from) throw validationError('to must be after from', [{ field: 'to', message: 'must be after from' }]);
      if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
        throw validationError(`the window is longer than ${MAX_WINDOW_DAYS} days`, [{ field: 'to', message: `at most ${MAX_WINDOW_DAYS} days after from` }]);
      }
      const scope = await request.accessScope();
      const areaId = request.query.areaId;
      if (areaId && !scope.concernsArea(areaId)) throw notFound('area', areaId, 'areaId');
      return { from, to, occurrences: await schedule.calendar({ from, to, areaId, visibleAreas: scope.visibleAreas }) };
    },
  );
};
