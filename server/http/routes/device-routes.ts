import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DeviceRegistry } from '../../devices/device-registry.js';
import type { DeviceConfigPublisher } from '../../devices/device-config-publisher.js';

export const deviceRoutes: FastifyPluginAsyncZod<{ devices: DeviceRegistry; configPublisher: DeviceConfigPublisher }> = async (
  app,
  { devices, configPublisher },
) => {
  app.post(
    '/api/devices',
    {
      schema: {
        tags: ['devices'],
        summary: 'Register a receiver; the token is returned only once',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          areaId: z.string().min(1),
          lat: z.number().min(-90).max(90).optional(),
          lon: z.number().min(-180).max(180).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { device, token } = await devices.create(request.body);
      const [profile] = await devices.profiles([device.id]);
      if (profile) await configPublisher.publish(profile);
      return reply.status(201).send({ ...device, token });
    },
  );

  app.get(
    '/api/devices',
    { schema: { tags: ['devices'], summary: 'Receivers with live state (online, last seen, volume, playing)' } },
    async () => devices.list(),
  );

  app.get(
    '/api/devices/:id',
    { schema: { tags: ['devices'], summary: 'One receiver', params: z.object({ id: z.string().min(1) }) } },
    async (request) => devices.get(request.params.id),
  );
};
