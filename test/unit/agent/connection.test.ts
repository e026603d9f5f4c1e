import net, { type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { afterEach, describe, expect, it } from 'vitest';
import { MqttTransport, reconnectDelay, redactUrl, type TransportHandlers } from '../../../device-agent/connection.js';
import { silentLogger, waitFor } from './helpers.js';

describe('reconnect backoff', () => {
  it('doubles from the minimum up to the cap, with jitter in [1/2, 1]', () => {
    const policy = { minDelayMs: 500, maxDelayMs: 30_000 };
    expect([0, 1, 2, 3].map((n) => reconnectDelay(n, policy, () => 1))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(reconnectDelay(50, policy, () => 1)).toBe(30_000);
    expect(reconnectDelay(0, policy, () => 0)).toBe(250);
  });

  it('never puts credentials from a URL into logs', () => {
    expect(redactUrl('mqtt://dev:secret@host:1883')).toBe('mqtt://host:1883');
    expect(redactUrl('not a url')).toBe('(invalid url)');
  });
});

describe('MQTT transport', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function broker(port = 0) {
    const aedes = await Aedes.createBroker();
    const connects: { clientId: string; clean: boolean; will: unknown; username?: string }[] = [];
    const subscriptions = new Set<string>();
    aedes.on('client', (client) => {
      const c = client as unknown as { id: string; clean: boolean; will?: { topic: string; payload: Buffer; retain: boolean } };
      connects.push({ clientId: c.id, clean: c.clean, will: c.will && { topic: c.will.topic, payload: c.will.payload.toString(), retain: c.will.retain } });
    });
    aedes.on('subscribe', (subs) => subs.forEach((s) => subscriptions.add(s.topic)));
    aedes.on('unsubscribe', (topics) => topics.forEach((t) => subscriptions.delete(t)));
    const server = net.createServer((socket) => aedes.handle(socket));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    const close = async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return { aedes, port: (server.address() as AddressInfo).port, connects, subscriptions, close };
  }

  function handlers(log: string[]): TransportHandlers {
    return {
      onConnect: () => log.push('connect'),
      onDisconnect: () => log.push('disconnect'),
      onMessage: async (topic) => {
        log.push(`message ${topic}`);
      },
    };
  }

  it('connects with a persistent session and retained will, follows subscription changes, and reconnects after an outage', async () => {
    const first = await broker();
    const transport = new MqttTransport({
      brokerUrl: `mqtt://127.0.0.1:${first.port}`,
      deviceId: 'dev-1',
      token: 'tok',
      will: { topic: 'loa/device/dev-1/availability', payload: Buffer.from('{"state":"offline"}'), flags: { qos: 1, retain: true } },
      logger: silentLogger,
      reconnect: { minDelayMs: 50, maxDelayMs: 200 },
    });
    const log: string[] = [];
    transport.setSubscriptions(['loa/device/dev-1/config', 'loa/area/a1/command']);
    transport.start(handlers(log));
    cleanups.push(() => transport.stop());
    await waitFor(() => expect(transport.connected).toBe(true));
    expect(first.connects[0]).toEqual({
      clientId: 'dev-1',
      clean: false,
      will: { topic: 'loa/device/dev-1/availability', payload: '{"state":"offline"}', retain: true },
    });
    await waitFor(() => expect([...first.subscriptions].sort()).toEqual(['loa/area/a1/command', 'loa/device/dev-1/config']));

    transport.setSubscriptions(['loa/device/dev-1/config', 'loa/area/a2/command']);
    await waitFor(() => expect([...first.subscriptions].sort()).toEqual(['loa/area/a2/command', 'loa/device/dev-1/config']));

    await new Promise<void>((resolve) => first.aedes.publish({ cmd: 'publish', topic: 'loa/area/a2/command', payload: Buffer.from('{}'), qos: 1, retain: false, dup: false }, () => resolve()));
    await waitFor(() => expect(log).toContain('message loa/area/a2/command'));

    const port = first.port;
    await first.close();
    await waitFor(() => expect(log).toContain('disconnect'));
    await expect(transport.publish('loa/device/dev-1/telemetry', Buffer.from('{}'), { qos: 0, retain: false })).rejects.toThrow('offline');
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few failed attempts
    const second = await broker(port);
    cleanups.push(second.close);
    await waitFor(() => expect(log.filter((l) => l === 'connect')).toHaveLength(2), 5_000);
    // A new broker has no session: everything is subscribed again.
    await waitFor(() => expect([...second.subscriptions].sort()).toEqual(['loa/area/a2/command', 'loa/device/dev-1/config']));
  });
});
