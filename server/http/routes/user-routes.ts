import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { USER_ROLES } from '../../auth/permissions.js';
import type { UserService } from '../../auth/user-service.js';
import { userIdOf } from '../authentication.js';

const params = z.object({ id: z.string().min(1) });
const username = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits and . _ @ - only');
const password = z.string().min(1).max(200);

export const userRoutes: FastifyPluginAsyncZod<{ users: UserService }> = async (app, { users }) => {
  app.get('/api/users', { config: { access: 'users:manage' }, schema: { tags: ['users'], summary: 'Every user (admins only)' } }, async () =>
    users.list(),
  );

  app.get(
    '/api/users/:id',
    { config: { access: 'users:manage' }, schema: { tags: ['users'], summary: 'One user', params } },
    async (request) => users.get(request.params.id),
  );

  app.post(
    '/api/users',
    {
      config: { access: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: 'Create a user with a role and the area (subtree) they work in',
        body: z.object({ username, password, role: z.enum(USER_ROLES), areaId: z.string().min(1).nullable().optional() }),
      },
    },
    async (request, reply) => reply.status(201).send(await users.create(request.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { access: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: 'Change role or area, or reset the password (which also unlocks the account); the user\'s sessions end',
        params,
        body: z.object({ role: z.enum(USER_ROLES).optional(), areaId: z.string().min(1).nullable().optional(), password: password.optional() }),
      },
    },
    async (request) => users.update(request.params.id, request.body),
  );

  app.delete(
    '/api/users/:id',
    { config: { access: 'users:manage' }, schema: { tags: ['users'], summary: 'Delete a user and their tokens', params } },
    async (request, reply) => {
      await users.delete(request.params.id, userIdOf(request));
      return reply.status(204).send();
    },
  );
};
