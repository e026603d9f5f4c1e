import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.js';
import { SESSION_COOKIE, credentialOf } from '../authentication.js';

export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService; secureCookies: boolean }> = async (app, { auth, secureCookies }) => {
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
      const session = await auth.login(request.body.username, request.body.password);
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
