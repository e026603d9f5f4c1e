import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log.js';

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditLog }> = async (app, { audit }) => {
  app.get(
    '/api/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log (admins only): every write and sign-in attempt, newest first',
        querystring: z.object({
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          userId: z.string().min(1).optional(),
          username: z.string().min(1).optional(),
          route: z.string().startsWith('/api/').optional(),
          entityId: z.string().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(1_000).default(100),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      return audit.query({ ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
    },
  );
};
