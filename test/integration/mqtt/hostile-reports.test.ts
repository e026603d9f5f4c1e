/**
 * What receivers publish is checked before it is believed: oversized, replayed, unstorable and
 * forged reports are dropped with a log line and never reach the database, and a valid report sent
 * alongside them is still stored. Real server, real broker (embedded aedes and a Mosquitto of the
 * test's own), real database.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePayload, MAX_DEVICE_REPORT_BYTES } from '../../../protocol/index.js';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import { connectAsDevice } from '../../helpers/device-connection.js';
import { mosquittoProcess, type MosquittoProcess } from '../../helpers/mosquitto-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface LogLine {
  msg: string;
  topic?: string;
  reason?: string;
  deviceId?: string;
  clientId?: string;
}

const event = (seq: number, extra: Record<string, unknown> = {}) => ({
  type: 'failed',
  seq,
  broadcastId: 'b-hostile',
  commandId: 'o-hostile',
  at: Date.now(),
  reason: 'loa hỏng',
  ...extra,
});

async function registerDevice(api: ApiClient, areaId: string, name: string): Promise<{ id: string; token: string }> {
  const created = await api.post<{ id: string; token: string }>('/api/devices', { name, areaId });
  expect(created.status).toBe(201);
  return created.body;
}

describe('hostile reports on the embedded broker', () => {
  let server: TestServer;
  let api: ApiClient;
  let areaId: string;
  let device: { id: string; token: string };
  let client: MqttClient;
  const logLines: string[] = [];
  const logged = () => logLines.map((line) => JSON.parse(line) as LogLine);
  const eventsOf = (deviceId: string) => server.database.prisma.deviceEvent.findMany({ where: { deviceId }, orderBy: { seq: 'asc' } });

  beforeAll(async () => {
    server = await startTestServer({ logLines });
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    areaId = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Hòa Bình', kind: 'commune' })).body.id;
    device = await registerDevice(api, areaId, 'Loa chợ');
    client = await connectAsDevice(server, device);
  });
  afterAll(async () => {
    await client?.endAsync();
    await server?.close();
  });

  /** Publishes in order on one connection; the last one with QoS 1, so all have arrived when it resolves. */
  async function publishEvents(...payloads: (string | Buffer)[]): Promise<void> {
    const topic = server.topics.device(device.id, 'event');
    for (const payload of payloads.slice(0, -1)) client.publish(topic, payload, { qos: 0 });
    await client.publishAsync(topic, payloads.at(-1)!, { qos: 1 });
    await server.intake.flush();
  }

  it(`drops a report over ${MAX_DEVICE_REPORT_BYTES} bytes before parsing it, and keeps one just under`, async () => {
    const shell = encodePayload(event(100, { padding: '' })).length;
    const under = encodePayload(event(100, { padding: 'x'.repeat(MAX_DEVICE_REPORT_BYTES - shell) }));
    const over = encodePayload(event(101, { padding: 'x'.repeat(MAX_DEVICE_REPORT_BYTES - shell + 1) }));
    expect(under.length).toBe(MAX_DEVICE_REPORT_BYTES);
    expect(over.length).toBe(MAX_DEVICE_REPORT_BYTES + 1);
    await publishEvents(over, under);
    expect((await eventsOf(device.id)).map((row) => row.seq)).toEqual([100]);
    expect(logged()).toContainEqual(
      expect.objectContaining({
        msg: 'invalid playback event dropped',
        topic: server.topics.device(device.id, 'event'),
        reason: `payload is ${MAX_DEVICE_REPORT_BYTES + 1} bytes, over the limit of ${MAX_DEVICE_REPORT_BYTES}`,
      }),
    );
    const telemetryTopic = server.topics.device(device.id, 'telemetry');
    await client.publishAsync(telemetryTopic, Buffer.alloc(MAX_DEVICE_REPORT_BYTES * 4, ' '), { qos: 1 });
    expect(logged()).toContainEqual(expect.objectContaining({ msg: 'invalid telemetry dropped', reason: expect.stringMatching(/over the limit/) }));
  });

  it('stores a replayed sequence number once, keeping the first report, within a batch and across batches', async () => {
    await publishEvents(encodePayload(event(200, { reason: 'lần đầu' })), encodePayload(event(200, { reason: 'phát lại' })));
    await publishEvents(encodePayload(event(200, { reason: 'phát lại sau' })));
    const rows = (await eventsOf(device.id)).filter((row) => row.seq === 200);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toMatchObject({ reason: 'lần đầu' });
  });

  it('drops events that parse but could not be stored, without losing the valid event in the same batch', async () => {
    const unstorable = [
      { seq: 2 ** 31 },
      { seq: 301, at: 8.64e15 + 1 },
      { seq: 302, reason: 'a\u0000b' },
      { seq: 303, broadcastId: 'b\u0000' },
      { seq: 304, reason: '\ud800' },
    ];
    const dropsBefore = logged().filter((line) => line.msg === 'invalid playback event dropped').length;
    await publishEvents(...unstorable.map((fields) => JSON.stringify(event(0, fields))), encodePayload(event(310)));
    expect((await eventsOf(device.id)).map((row) => row.seq)).toContain(310);
    expect((await eventsOf(device.id)).map((row) => row.seq).filter((seq) => seq > 300 && seq < 310)).toEqual([]);
    const reasons = logged()
      .filter((line) => line.msg === 'invalid playback event dropped')
      .slice(dropsBefore)
      .map((line) => line.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/^seq: /),
      expect.stringMatching(/^at: /),
      expect.stringMatching(/^reason: must not contain NUL/),
      expect.stringMatching(/^broadcastId: must not contain NUL/),
      expect.stringMatching(/^reason: must not contain NUL or unpaired surrogate/),
    ]);
    expect(logged().filter((line) => /writing device reports failed|update failed/.test(line.msg))).toEqual([]);
  });

  it('refuses, at the broker, a receiver publishing for another receiver or for an unknown id', async () => {
    const victim = await registerDevice(api, areaId, 'Loa trường học');
    const forgerDevice = await registerDevice(api, areaId, 'Loa giả');
    const forgedTopics = [server.topics.device(victim.id, 'event'), server.topics.device('rx-nobody', 'event'), server.topics.device(victim.id, 'availability')];
    const refusals = () => logged().filter((line) => line.msg === 'mqtt publish refused by access policy' && line.clientId === forgerDevice.id);
    for (const [index, topic] of forgedTopics.entries()) {
      const forger = await connectAsDevice(server, forgerDevice);
      const closed = new Promise<void>((resolve) => forger.once('close', () => resolve()));
      forger.publish(topic, encodePayload(event(400)), { qos: 1 });
      // The broker answers a forbidden publish by closing the connection.
      await closed;
      forger.end(true);
      await waitFor(async () => refusals().length > index, { what: `the refusal of ${topic}`, timeoutMs: 5_000 });
    }
    await server.intake.flush();
    expect(await eventsOf(victim.id)).toEqual([]);
    expect(await server.database.prisma.deviceEvent.count({ where: { deviceId: 'rx-nobody' } })).toBe(0);
    expect((await api.get<{ online: boolean }>(`/api/devices/${victim.id}`)).body.online).toBe(false);
    expect(refusals().map((line) => line.topic)).toEqual(forgedTopics);
  });
});

describe('reports for unknown receivers on a shared broker', () => {
  let mosquitto: MosquittoProcess;
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let server: TestServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    dir = await makeTempDir('cb-hostile-mosquitto');
    // Anonymous clients allowed: anything on the broker can publish under the server's topic root.
    mosquitto = await mosquittoProcess({ dir: dir.path });
    await mosquitto.start();
    server = await startTestServer({ mqttUrl: mosquitto.url, logLines, env: { MQTT_TOPIC_ROOT: `cbtest-${randomBytes(4).toString('hex')}` } });
  });
  afterAll(async () => {
    await server?.close();
    await mosquitto?.kill();
    await dir?.remove();
  });

  it('drops events, telemetry and availability whose topic names no registered receiver', async () => {
    const stranger = await mqtt.connectAsync(mosquitto.url, { clientId: 'stranger', reconnectPeriod: 0, protocolVersion: 4 });
    const unknown = 'rx-unregistered';
    await stranger.publishAsync(server.topics.device(unknown, 'event'), encodePayload(event(1)), { qos: 1 });
    await stranger.publishAsync(server.topics.device(unknown, 'availability'), encodePayload({ state: 'online' }), { qos: 1 });
    await stranger.endAsync();
    await waitFor(
      async () => {
        await server.intake.flush();
        return logLines.map((line) => JSON.parse(line) as LogLine).some((line) => line.msg === 'reports from an unknown device dropped' && line.deviceId === unknown);
      },
      { what: 'the unknown device to be logged', timeoutMs: 5_000 },
    );
    expect(await server.database.prisma.deviceEvent.count()).toBe(0);
    expect(await server.database.prisma.device.count({ where: { id: unknown } })).toBe(0);
  });
});
