import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachmentDisposition } from '../../reports/csv.js';
import { areaReportCsv, deliveriesCsv, type CsvFile } from '../../reports/report-csv.js';
import { CSV_LANGUAGES } from '../../reports/report-labels.js';
import { isPeriodBound, parsePeriod, PERIOD_BOUND_HINT } from '../../reports/report-period.js';
import type { ReportService } from '../../reports/report-service.js';
import { BROADCAST_REPORT_STATES } from '../../reports/report-state.js';

const bound = z.string().refine(isPeriodBound, PERIOD_BOUND_HINT);
const language = z.enum(CSV_LANGUAGES).default('vi');

export const reportRoutes: FastifyPluginAsyncZod<{ reports: ReportService }> = async (app, { reports }) => {
  app.get(
    '/api/reports/areas',
    {
      config: { access: 'broadcasts:read' },
      schema: {
        tags: ['reports'],
        summary:
          'Per area (the chosen one and its children, else your top areas and theirs) and period: broadcasts aired, minutes on air, plays completed/failed/missed, receivers and their availability. from/to: days (Vietnam time, to inclusive) or instants. format=csv for a spreadsheet (table=areas or receivers, lang=vi or en)',
        querystring: z.object({
          from: bound,
          to: bound,
          areaId: z.string().min(1).optional(),
          format: z.enum(['json', 'csv']).default('json'),
          table: z.enum(['areas', 'receivers']).default('areas'),
          lang: language,
        }),
      },
    },
    async (request, reply) => {
      const { format, table, lang, areaId } = request.query;
      const report = await reports.areaReport(await request.accessScope(), parsePeriod(request.query), areaId);
      if (format === 'csv') return sendCsv(reply, areaReportCsv(report, table, lang));
      return report;
    },
  );

  app.get(
    '/api/reports/broadcasts',
    {
      config: { access: 'broadcasts:read' },
      schema: {
        tags: ['reports'],
        summary:
          'Broadcasts you can see that were due to air in the period, latest first, with their deliveries in the period by state. state: pending or rejected (approval), scheduled (still to come), dispatched (on air), completed (nothing more to come), cancelled',
        querystring: z.object({ from: bound, to: bound, state: z.enum(BROADCAST_REPORT_STATES).optional() }),
      },
    },
    async (request) => reports.broadcastReport(await request.accessScope(), parsePeriod(request.query), request.query.state),
  );

  app.get(
    '/api/broadcasts/:id/deliveries.csv',
    {
      config: { access: 'broadcasts:read' },
      schema: {
        tags: ['reports'],
        summary: 'The delivery table of a broadcast as CSV, your receivers only: airing, receiver, area, state, sent/received/downloaded/started/finished (Vietnam time), error',
        params: z.object({ id: z.string().min(1) }),
        querystring: z.object({ lang: language }),
      },
    },
    async (request, reply) => {
      const { rows } = await reports.deliveryRows(request.params.id, await request.accessScope());
      return sendCsv(reply, deliveriesCsv(request.params.id, rows, request.query.lang));
    },
  );
};

function sendCsv(reply: FastifyReply, file: CsvFile): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', attachmentDisposition(file.name))
    .header('cache-control', 'private, no-store')
    .send(file.body);
}
