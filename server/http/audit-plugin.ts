/**
 * Records every write through the API (and every sign-in attempt) in the audit log before the
 * response leaves, so a client that got an answer can rely on the record existing.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { redact, type AuditLog } from '../audit/audit-log.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function outcomeOf(payload: unknown): { id?: unknown; status?: unknown; code?: unknown } | null {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return null;
  try {
    const body = JSON.parse(payload) as Record<string, unknown>;
    return { id: body.id, status: body.status, code: body.code };
  } catch {
    return null;
  }
}

export const auditPlugin = fp(async (app: FastifyInstance, options: { audit: AuditLog }) => {
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url ?? request.url;
    if (!WRITE_METHODS.has(request.method) || !route.startsWith('/api/')) return payload;
    const outcome = outcomeOf(payload);
    const params = (request.params ?? {}) as Record<string, unknown>;
    const body = request.isMultipart() ? { multipart: true } : redact(request.body ?? null);
    const attemptedUser = route === '/api/auth/login' ? (request.body as { username?: unknown } | undefined)?.username : undefined;
    try {
      await options.audit.record({
        userId: request.user?.id ?? null,
        username: request.user?.username ?? (typeof attemptedUser === 'string' ? attemptedUser : null),
        ip: request.ip,
        method: request.method,
        route,
        entityId: typeof params.id === 'string' ? params.id : typeof outcome?.id === 'string' ? outcome.id : null,
        statusCode: reply.statusCode,
        summary: { request: { params, body }, outcome },
      });
    } catch (error) {
      // The write already happened; losing its audit line is logged loudly rather than failing the request.
      request.log.error({ err: error }, 'audit record failed');
    }
    return payload;
  });
});
