import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** The server clock, for receivers' offset estimation (NTP-style, minimum round trip wins). */
export const timeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/time', { config: { access: 'public' }, schema: { tags: ['devices'], summary: 'Server time in epoch milliseconds' } }, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return { now: Date.now() };
  });
};
