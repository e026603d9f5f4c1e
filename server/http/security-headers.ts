/**
 * Response headers that close common browser-side holes (OWASP Secure Headers): no MIME sniffing,
 * no framing (clickjacking), no referrer leaking bulletin ids, HSTS when served over HTTPS.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const securityHeaders = fp(async (app: FastifyInstance, options: { https: boolean }) => {
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cross-origin-opener-policy', 'same-origin');
    if (options.https) void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });
});
