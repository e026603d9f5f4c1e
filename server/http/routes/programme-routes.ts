import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ProgrammeSync } from '../../scheduling/programme-sync.js';

export const programmeRoutes: FastifyPluginAsyncZod<{ programmes: ProgrammeSync }> = async (app, { programmes }) => {
  app.get(
    '/api/schedules',
    { config: { access: 'schedules:manage' }, schema: { tags: ['schedule'], summary: 'The programme files of schedules/ as last loaded, with any errors (file, field, line, reason)' } },
    async () => {
      // A read never loads (which would write broadcasts): only the leader and an explicit reload do.
      const report = programmes.lastReport();
      if (!report) return { ok: null, loadedAt: null, files: [], note: 'schedules/ has not been loaded by this server instance; the scheduler leader loads it' };
      return { ok: report.files.every((f) => f.errors.length === 0), ...report };
    },
  );

  app.post(
    '/api/schedules/reload',
    {
      config: { access: 'schedules:manage' },
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
