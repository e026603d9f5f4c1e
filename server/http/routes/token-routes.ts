import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.js';
import { signedInUser } from '../authentication.js';

const MAX_VALID_DAYS = 730;

export const tokenRoutes: FastifyPluginAsyncZod<{ auth: AuthService }> = async (app, { auth }) => {
  app.post(
    '/api/tokens',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: 'Create a named bearer token for an integration; it acts with your role and area, and is shown only once',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          validDays: z.number().int().min(1).max(MAX_VALID_DAYS).default(365),
        }),
      },
    },
    async (request, reply) => {
      const user = signedInUser(request);
      return reply.status(201).send(await auth.createIntegrationToken(user.id, request.body.name, request.body.validDays));
    },
  );

  app.get(
    '/api/tokens',
    { config: { access: 'signed-in' }, schema: { tags: ['auth'], summary: 'Your integration tokens (an admin sees everyone\'s); never the secrets' } },
    async (request) => {
      const user = signedInUser(request);
      return auth.listIntegrationTokens(user.role === 'admin' ? null : user.id);
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['auth'], summary: 'Revoke an integration token at once (yours; an admin may revoke any)', params: z.object({ id: z.string().min(1) }) },
    },
    async (request) => {
      const user = signedInUser(request);
      return auth.revokeIntegrationToken(request.params.id, user.role === 'admin' ? null : user.id);
    },
  );
};
