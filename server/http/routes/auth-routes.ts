import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.js';
import type { LoginThrottle } from '../../auth/login-throttle.js';
import { AppError, tooManyAttempts } from '../../errors.js';
import { permissionsOf } from '../../auth/permissions.js';
import { CSRF_COOKIE, SESSION_COOKIE, credentialOf, signedInUser } from '../authentication.js';

export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService; secureCookies: boolean; throttle: LoginThrottle }> = async (
  app,
  { auth, secureCookies, throttle },
) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; returns a bearer token and sets the session cookie (and the CSRF cookie that cookie-authenticated writes echo in x-csrf-token)',
        body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      },
    },
    async (request, reply) => {
      const wait = throttle.retryAfterSeconds(request.ip);
      if (wait > 0) {
        void reply.header('retry-after', wait);
        throw tooManyAttempts(`Too many failed sign-ins from this address; try again in ${wait} s`, wait);
      }
      const session = await auth.login(request.body.username, request.body.password).catch((error: unknown) => {
        if (error instanceof AppError && error.statusCode === 401) throttle.recordFailure(request.ip);
        if (error instanceof AppError && error.code === 'ACCOUNT_LOCKED') {
          void reply.header('retry-after', (error.cause as { retryAfterSeconds: number }).retryAfterSeconds);
        }
        throw error;
      });
      throttle.recordSuccess(request.ip);
      const cookieOptions = { sameSite: 'strict', secure: secureCookies, path: '/', expires: session.expiresAt } as const;
      void reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, httpOnly: true });
      void reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookieOptions, httpOnly: false });
      return { token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt, user: session.user };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'signed-in' }, schema: { tags: ['auth'], summary: 'End the current session' } },
    async (request, reply) => {
      const credential = credentialOf(request);
      if (credential) await auth.logout(credential.token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Whether this request is signed in: `{user}` with what the role may do, or `{user: null}` (never a 401, so a page can ask on load)',
      },
    },
    async (request) => {
      const credential = credentialOf(request);
      const user = credential ? await auth.authenticate(credential.token) : null;
      return { user: user ? { ...user, permissions: permissionsOf(user.role) } : null };
    },
  );

  app.get(
    '/api/auth/me',
    { config: { access: 'signed-in' }, schema: { tags: ['auth'], summary: 'The signed-in user, with what the role may do' } },
    async (request) => {
      const user = signedInUser(request);
      return { ...user, permissions: permissionsOf(user.role) };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password',
        body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }),
      },
    },
    async (request, reply) => {
      await auth.changeOwnPassword(signedInUser(request).id, request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send();
    },
  );
};
