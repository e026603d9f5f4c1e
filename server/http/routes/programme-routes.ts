import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ProgrammeSync } from '../../scheduling/programme-sync.js';

export const programmeRoutes: FastifyPluginAsyncZod<{ programmes: ProgrammeSync }> = async (app, { programmes }) => {
  app.get(
    '/api/schedules',
    { schema: { tags: ['schedule'], summary: 'The programme files of schedules/ as last loaded, with any errors (file, field, line, reason)' } },
    async () => {
      const report = programmes.lastReport() ?? (await programmes.sync());
      return { ok: report.files.every((f) => f.errors.length === 0), ...report };
    },
  );

  app.post(
    '/api/schedules/reload',
    {
      schema: {
        tags: ['schedule'],
        summary: 'Read schedules/ again; an invalid file is reported and its previous version stays in force',
      },
    },
    async () => {
      const report = await programmes.sync();
      return { ok: report.files.every((f) => f.errors.length === 0), ...report };
    },
  );
};
