/**
 * `POST /api/live/credential`: a read-only MQTT credential for the console's live view, scoped like
 * its user. Only the embedded broker can honour it; with an external broker the live view uses the
 * server's event feed instead (docs/external-broker.md).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DeviceFeed } from '../../devices/device-feed.js';
import type { DeviceRegistry } from '../../devices/device-registry.js';
import { AppError, unauthorized } from '../../errors.js';
import type { LiveViewCredentials } from '../../mqtt/live-view-credentials.js';

export interface LiveRouteOptions {
  /** Absent with an external broker. */
  readonly liveView: LiveViewCredentials | undefined;
  readonly devices: DeviceRegistry;
  readonly feed: DeviceFeed;
}

const liveViewUnavailable = () =>
  new AppError(
    'LIVE_MQTT_UNAVAILABLE',
    409,
    'Live MQTT credentials exist only with the embedded broker; with an external broker (MQTT_URL) the live view uses the server-sent event feed GET /api/live/devices',
  );

export const liveRoutes: FastifyPluginAsyncZod<LiveRouteOptions> = async (app, { liveView, devices, feed }) => {
  app.get(
    '/api/live/devices',
    {
      config: { access: 'devices:read' },
      schema: {
        tags: ['live'],
        summary:
          'Receivers in your areas as server-sent events: `devices` with all of them now, then `devices` with those whose state (online, playing, volume, last seen, clock offset, last play) changed',
      },
    },
    async (request, reply) => {
      const areas = (await request.accessScope()).areas;
      const all = await feed.snapshot(areas);
      const stream = app.openEventStream(request, reply);
      stream.send('devices', all);
      stream.onClose(feed.watch({ areas, send: (changed) => stream.send('devices', changed) }));
    },
  );


  app.post(
    '/api/live/credential',
    {
      config: { access: 'devices:read' },
      schema: {
        tags: ['live'],
        summary:
          'A short-lived MQTT-over-WebSocket credential that may only subscribe to the availability, events and telemetry of receivers in your areas, and the server state',
      },
    },
    async (request, reply) => {
      if (!liveView) throw liveViewUnavailable();
      const user = request.user;
      if (!user) throw unauthorized();
      const areas = (await request.accessScope()).areas;
      const inScope = areas === null ? [] : (await devices.list(areas)).map((device) => device.id);
      const issued = liveView.issue(user.id, areas);
      return reply.status(201).send({
        url: `${request.protocol === 'https' ? 'wss' : 'ws'}://${request.host}/mqtt`,
        clientId: issued.username,
        username: issued.username,
        password: issued.password,
        expiresAt: new Date(issued.access.expiresAt).toISOString(),
        topics: liveView.topicsFor(areas, inScope),
      });
    },
  );
};
