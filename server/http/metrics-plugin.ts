/**
 * `GET /metrics` in Prometheus' text format, and every request's duration by route. With
 * METRICS_TOKEN set the scrape needs `Authorization: Bearer <token>`; without it the endpoint is
 * open, as a scrape from inside the operator's network usually is.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { unauthorized } from '../errors.js';
import type { ServerMetrics } from '../observability/metrics.js';

export interface MetricsPluginOptions {
  readonly metrics: ServerMetrics;
  readonly token: string | undefined;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export const metricsPlugin = fp(async (app: FastifyInstance, { metrics, token }: MetricsPluginOptions) => {
  app.addHook('onResponse', async (request, reply) => {
    // Unmatched URLs (scans, typos) share one label, so they cannot grow the series without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    if (token !== undefined && !tokenMatches(request.headers.authorization, token)) throw unauthorized('a valid METRICS_TOKEN bearer token is required');
    return reply.type(metrics.contentType).send(await metrics.text());
  });
});
