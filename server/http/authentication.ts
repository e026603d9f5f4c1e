/**
 * Resolves the caller from `Authorization: Bearer <token>` or the `session` cookie and rejects
 * unauthenticated calls to every /api route except the public ones.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthenticatedUser, AuthService } from '../auth/auth-service.js';
import { unauthorized } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthenticatedUser | null;
  }
}

export const SESSION_COOKIE = 'session';
const PUBLIC_ROUTES = new Set(['/api/auth/login', '/api/time']);

export function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return request.cookies[SESSION_COOKIE];
}

export const authenticationPlugin = fp(async (app: FastifyInstance, options: { auth: AuthService }) => {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith('/api/') || PUBLIC_ROUTES.has(route) || route.startsWith('/api/docs')) return;
    const token = credentialOf(request);
    const user = token ? await options.auth.authenticate(token) : null;
    if (!user) throw unauthorized();
    request.user = user;
  });
});

export function userIdOf(request: FastifyRequest): string | null {
  return request.user?.id ?? null;
}
