/**
 * Receivers: registration, listing and credentials. A user sees and manages only the receivers in
 * their area scope; one outside it reads as not found, so a commune cannot learn another's devices.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DeviceConfigPublisher } from '../../devices/device-config-publisher.js';
import type { DeviceRegistry, DeviceView } from '../../devices/device-registry.js';
import { notFound } from '../../errors.js';

const params = z.object({ id: z.string().min(1) });

export const deviceRoutes: FastifyPluginAsyncZod<{ devices: DeviceRegistry; configPublisher: DeviceConfigPublisher }> = async (
  app,
  { devices, configPublisher },
) => {
  /** The device, or a 404 when it does not exist or lies outside the caller's areas. */
  async function deviceInScope(request: FastifyRequest, id: string): Promise<DeviceView> {
    const [device, scope] = await Promise.all([devices.get(id), request.accessScope()]);
    if (!scope.includesArea(device.areaId)) throw notFound('device', id);
    return device;
  }

  app.post(
    '/api/devices',
    {
      config: { access: 'devices:manage' },
      schema: {
        tags: ['devices'],
        summary: 'Register a receiver in an area of yours; the token is returned only once',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          areaId: z.string().min(1),
          lat: z.number().min(-90).max(90).optional(),
          lon: z.number().min(-180).max(180).optional(),
        }),
      },
    },
    async (request, reply) => {
      (await request.accessScope()).requireAreas([request.body.areaId], 'areaId');
      const { device, token } = await devices.create(request.body);
      const [profile] = await devices.profiles([device.id]);
      if (profile) await configPublisher.publish(profile);
      return reply.status(201).send({ ...device, token });
    },
  );

  app.get(
    '/api/devices',
    {
      config: { access: 'devices:read' },
      schema: { tags: ['devices'], summary: 'Receivers in your areas with live state (online, last seen, volume, playing)' },
    },
    async (request) => devices.list((await request.accessScope()).areas ?? undefined),
  );

  app.get(
    '/api/devices/:id',
    { config: { access: 'devices:read' }, schema: { tags: ['devices'], summary: 'One receiver', params } },
    async (request) => deviceInScope(request, request.params.id),
  );

  app.post(
    '/api/devices/:id/token',
    {
      config: { access: 'devices:manage' },
      schema: {
        tags: ['devices'],
        summary: 'Issue a new token (returned only once): the old one stops working and a connected receiver is cut off; also lifts a revocation',
        params,
      },
    },
    async (request) => {
      await deviceInScope(request, request.params.id);
      const { device, token } = await devices.rotateToken(request.params.id);
      return { ...device, token };
    },
  );

  app.post(
    '/api/devices/:id/revoke',
    {
      config: { access: 'devices:manage' },
      schema: {
        tags: ['devices'],
        summary: 'Withdraw the receiver\'s credential: it is cut off and cannot connect until its token is rotated',
        params,
      },
    },
    async (request) => {
      await deviceInScope(request, request.params.id);
      return devices.revoke(request.params.id);
    },
  );

  app.delete(
    '/api/devices/:id',
    {
      config: { access: 'devices:manage' },
      schema: { tags: ['devices'], summary: 'Remove the receiver with its delivery history; a connected receiver is cut off', params },
    },
    async (request, reply) => {
      await deviceInScope(request, request.params.id);
      await devices.remove(request.params.id);
      return reply.status(204).send();
    },
  );
};
