/**
 * Who is calling and may they: resolves the caller from `Authorization: Bearer <token>` or the
 * `session` cookie, checks the route's `config.access` against the caller's role, and requires the
 * CSRF header on cookie-authenticated writes. A route under /api without an access rule stops
 * start-up, so no route is ever open by omission.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AccessScope } from '../auth/access-scope.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser, AuthService } from '../auth/auth-service.js';
import { isRouteAccess, roleMay, type RouteAccess } from '../auth/permissions.js';
import { forbidden, unauthorized } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    user: AuthenticatedUser | null;
    /** The areas the caller may see and target (computed once per request, on first use). */
    accessScope(): Promise<AccessScope>;
  }
}

export const SESSION_COOKIE = 'session';
/** Readable by the console's script, which echoes it in the CSRF header. */
export const CSRF_COOKIE = 'csrf_token';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ScopeResolver {
  /** Area ids of `areaId` and everything below it. */
  subtreeOf(areaIds: readonly string[], options: { ignoreUnknown: boolean }): Promise<Set<string>>;
  /** Ids from the root of the tree down to `areaId` inclusive. */
  pathOf(areaId: string): Promise<string[]>;
}

export function credentialOf(request: FastifyRequest): { token: string; via: 'bearer' | 'cookie' } | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice('Bearer '.length).trim(), via: 'bearer' };
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}

const isGuarded = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/docs');
const scopes = new WeakMap<FastifyRequest, Promise<AccessScope>>();

export const authenticationPlugin = fp(async (app: FastifyInstance, options: { auth: AuthService; areas: ScopeResolver }) => {
  app.decorateRequest('user', null);
  app.decorateRequest('accessScope', function accessScope(this: FastifyRequest): Promise<AccessScope> {
    let scope = scopes.get(this);
    if (!scope) {
      scope = scopeFor(this.user, options.areas);
      scopes.set(this, scope);
    }
    return scope;
  });

  app.addHook('onRoute', (route) => {
    if (!isGuarded(route.url)) return;
    const access = (route.config as { access?: unknown } | undefined)?.access;
    if (!isRouteAccess(access)) {
      throw new Error(`route ${String(route.method)} ${route.url} has no access rule: set config.access (see server/auth/permissions.ts)`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url ?? '';
    if (!isGuarded(route)) return;
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    const credential = credentialOf(request);
    const user = credential ? await options.auth.authenticate(credential.token) : null;
    if (!credential || !user) throw unauthorized();
    if (credential.via === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !options.auth.csrfTokenMatches(credential.token, sent)) {
        throw forbidden(`a cookie-authenticated ${request.method} needs the ${CSRF_HEADER} header (the value of the ${CSRF_COOKIE} cookie)`, [
          { field: CSRF_HEADER, message: 'missing or wrong' },
        ]);
      }
    }
    request.user = user;
    if (access !== 'signed-in' && access !== undefined && !roleMay(user.role, access)) {
      throw forbidden(`the ${user.role} role may not do this (${access})`);
    }
  });
});

async function scopeFor(user: AuthenticatedUser | null, areas: ScopeResolver): Promise<AccessScope> {
  if (!user) throw unauthorized();
  if (user.role === 'admin' || user.areaId === null) return AccessScope.everything();
  const [subtree, path] = await Promise.all([areas.subtreeOf([user.areaId], { ignoreUnknown: true }), areas.pathOf(user.areaId)]);
  return AccessScope.subtree(user.areaId, subtree, path);
}

export function userIdOf(request: FastifyRequest): string | null {
  return request.user?.id ?? null;
}

/** The caller on a route that is not public (the onRequest hook has already refused anyone else). */
export function signedInUser(request: FastifyRequest): AuthenticatedUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

/** The caller as the services see it: user and area scope. */
export async function actorOf(request: FastifyRequest): Promise<Actor> {
  return { user: signedInUser(request), scope: await request.accessScope() };
}
