import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.js';
import type { LoginThrottle } from '../../auth/login-throttle.js';
import { AppError, tooManyAttempts } from '../../errors.js';
import { SESSION_COOKIE, credentialOf } from '../authentication.js';

export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService; secureCookies: boolean; throttle: LoginThrottle }> = async (
  app,
  { auth, secureCookies, throttle },
) => {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in; returns a bearer token and sets the session cookie',
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
      void reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        path: '/',
        expires: session.expiresAt,
      });
      return { token: session.token, expiresAt: session.expiresAt, user: session.user };
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'Revoke the current session' } }, async (request, reply) => {
    const token = credentialOf(request);
    if (token) await auth.logout(token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user' } }, async (request) => request.user);
};
