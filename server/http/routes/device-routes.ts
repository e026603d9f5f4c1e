/**
 * Receivers: registration, listing, credentials, and what an official changes on one (name, area,
 * volume, stop). A user sees and manages only the receivers in their area scope; one outside it
 * reads as not found, so a commune cannot learn another's devices.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_TOPIC_ROOT } from '../../../protocol/index.js';
import type { DeviceConfigPublisher } from '../../devices/device-config-publisher.js';
import type { DeviceChangeListener, DeviceControl } from '../../devices/device-control.js';
import type { DeviceRegistry, DeviceView } from '../../devices/device-registry.js';
import { conflict, notFound } from '../../errors.js';
import type { BrokerDescription } from '../../mqtt/message-bus.js';

/** Where a new receiver's agent connects, for the command the console shows after registering it. */
export interface AgentSetupSource {
  broker(): BrokerDescription;
  readonly topicRoot: string;
  /** The base URL receivers are given (PUBLIC_URL, or the loopback address when it is not set). */
  serverUrl(): string;
}

export interface DeviceRouteOptions {
  readonly devices: DeviceRegistry;
  readonly configPublisher: DeviceConfigPublisher;
  readonly control: DeviceControl;
  readonly changes: DeviceChangeListener;
  readonly agentSetup: AgentSetupSource;
}

const params = z.object({ id: z.string().min(1) });
const EVENTS_DEFAULT_LIMIT = 50;
const EVENTS_MAX_LIMIT = 200;

export const deviceRoutes: FastifyPluginAsyncZod<DeviceRouteOptions> = async (app, { devices, configPublisher, control, changes, agentSetup }) => {
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
      changes.noteChanged([device.id]);
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

  app.get(
    '/api/devices/agent-setup',
    {
      config: { access: 'devices:manage' },
      schema: {
        tags: ['devices'],
        summary: 'What a new receiver\'s agent needs besides its id and token: the broker URL it connects to (`null` when the server cannot tell) and the topic root',
      },
    },
    async (request) => ({
      brokerUrl: agentBrokerUrl(agentSetup.broker(), receiverHost(agentSetup.serverUrl(), request.hostname)),
      topicRoot: agentSetup.topicRoot,
      defaultTopicRoot: agentSetup.topicRoot === DEFAULT_TOPIC_ROOT,
    }),
  );

  app.patch(
    '/api/devices/:id',
    {
      config: { access: 'devices:manage' },
      schema: {
        tags: ['devices'],
        summary: 'Rename the receiver or move it to another area of yours; a moved receiver is sent its new area path and takes its new areas\' commands from then on',
        params,
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          areaId: z.string().min(1).optional(),
        }),
      },
    },
    async (request) => {
      await deviceInScope(request, request.params.id);
      const { name, areaId } = request.body;
      if (areaId !== undefined) (await request.accessScope()).requireAreas([areaId], 'areaId');
      return control.update(request.params.id, { name, areaId });
    },
  );

  app.post(
    '/api/devices/:id/volume',
    {
      config: { access: 'devices:control' },
      schema: {
        tags: ['devices'],
        summary: 'Set the receiver\'s volume (0–100): applied at once if it is connected, and kept in its config for when it restarts',
        params,
        body: z.object({ volume: z.number().int().min(0).max(100) }),
      },
    },
    async (request) => {
      await deviceInScope(request, request.params.id);
      return control.setVolume(request.params.id, request.body.volume);
    },
  );

  app.post(
    '/api/devices/:id/stop',
    {
      config: { access: 'devices:control' },
      schema: {
        tags: ['devices'],
        summary:
          'Stop what the receiver plays now (202 with the command id); its report shows the play `interrupted`. 409 when it is offline: a stop delivered on its return could cut off a later play',
        params,
      },
    },
    async (request, reply) => {
      const device = await deviceInScope(request, request.params.id);
      if (!device.online) throw conflict('the receiver is offline: there is nothing it plays to stop');
      return reply.status(202).send(await control.stop(device.id, device.playing));
    },
  );

  app.get(
    '/api/devices/:id/events',
    {
      config: { access: 'devices:read' },
      schema: {
        tags: ['devices'],
        summary: 'The receiver\'s latest playback events, newest first: type, broadcast and its bulletin title, time, and why a play failed',
        params,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(EVENTS_MAX_LIMIT).default(EVENTS_DEFAULT_LIMIT) }),
      },
    },
    async (request) => {
      await deviceInScope(request, request.params.id);
      return devices.recentEvents(request.params.id, request.query.limit);
    },
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

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[?::1\]?)$/;

/**
 * The host receivers reach the server at: PUBLIC_URL's, unless that is the loopback default of a
 * server without PUBLIC_URL, where the host the official's browser used is the better guess.
 */
function receiverHost(serverUrl: string, requestHost: string): string {
  const configured = new URL(serverUrl).hostname;
  return LOOPBACK.test(configured) ? requestHost : configured;
}

/**
 * MQTT over TLS when the embedded broker offers it (tokens cross networks the commune does not
 * own), else plain MQTT; an external broker's own URL without credentials, its host replaced when
 * it is a loopback address only the server can use.
 */
function agentBrokerUrl(broker: BrokerDescription, host: string): string | null {
  if (broker.mode === 'external') {
    const url = new URL(broker.url);
    url.username = '';
    url.password = '';
    if (LOOPBACK.test(url.hostname)) url.hostname = host;
    return url.toString().replace(/\/$/, '');
  }
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  if (broker.tlsPort !== null) return `mqtts://${hostPart}:${broker.tlsPort}`;
  if (broker.tcpPort !== null) return `mqtt://${hostPart}:${broker.tcpPort}`;
  return null;
}
