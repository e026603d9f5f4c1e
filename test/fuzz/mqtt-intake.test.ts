/**
 * Property-based fuzzing of the server's MQTT intake through the real embedded broker: a
 * registered receiver publishes random and near-valid reports on its own topics. Whatever it sends,
 * the server stays healthy and a valid event published right after the garbage is still stored.
 */
import fc from 'fast-check';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePayload, MAX_DEVICE_REPORT_BYTES, type DeviceOutboundChannel } from '../../protocol/index.js';
import { ApiClient } from '../helpers/api-client.js';
import { connectAsDevice } from '../helpers/device-connection.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../helpers/test-server.js';

const RUNS = 150;
/** Seqs of the valid events the test checks for; the fuzzed events never use them. */
const SENTINEL_SEQ = 2_000_000_000;

const sha = 'd'.repeat(64);
/** Values at the edges of what JSON, JavaScript and PostgreSQL can hold: where parsing passes and storing fails. */
const EDGES = [
  -1, 0, 0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 8.64e15, 8.64e15 + 1, 1e308,
  '', '\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\ud83d\ude00', 'x'.repeat(600), '../../etc/passwd', "'; DROP TABLE device; --",
];
const awkwardValue = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(...EDGES) },
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.maxSafeInteger(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .filter((value) => !(typeof value === 'number' && value >= SENTINEL_SEQ && value < SENTINEL_SEQ + 10 * RUNS));

const validEvent = (seq: number) => ({ type: 'failed', seq, broadcastId: 'b-fuzz', commandId: 'o-fuzz', at: Date.now(), reason: 'fuzz sentinel' });
const validTelemetry = {
  at: 1_800_000_000_000,
  volume: 70,
  uptimeSeconds: 5,
  agentVersion: '0.1.0',
  cacheBytes: 0,
  cacheFiles: 0,
  clockOffsetMs: 0,
  playing: null,
  outboxPending: 0,
};
const eventTemplates = ['received', 'downloaded', 'started', 'finished', 'failed', 'preempted'].map((type) => ({
  type,
  seq: 1,
  broadcastId: 'b-1',
  commandId: 'o-1',
  at: 1_800_000_000_000,
  sha256: sha,
  fromCache: false,
  outcome: 'completed',
  reason: 'no network',
}));

/** A valid report with some fields replaced by awkward values: the inputs most likely to pass the schema yet hurt later. */
function nearValid(template: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(template);
  return fc
    .dictionary(fc.constantFrom(...keys), awkwardValue, { minKeys: 1, maxKeys: 2 })
    .map((changes) => JSON.stringify({ ...template, ...changes }));
}

const anyChannel = fc.constantFrom<DeviceOutboundChannel>('event', 'telemetry', 'availability');
/** Payloads are JSON text where they can be, so a counterexample reads as what was sent. */
const report: fc.Arbitrary<{ channel: DeviceOutboundChannel; payload: string | Buffer }> = fc.oneof(
  fc.record({ channel: anyChannel, payload: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) }),
  fc.record({ channel: anyChannel, payload: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) }),
  { weight: 3, arbitrary: fc.record({ channel: fc.constant<DeviceOutboundChannel>('event'), payload: fc.constantFrom(...eventTemplates).chain(nearValid) }) },
  fc.record({ channel: fc.constant<DeviceOutboundChannel>('telemetry'), payload: nearValid(validTelemetry) }),
  fc.record({ channel: fc.constant<DeviceOutboundChannel>('availability'), payload: nearValid({ state: 'online' }) }),
  fc.record({
    channel: fc.constantFrom<DeviceOutboundChannel>('event', 'telemetry'),
    payload: fc.integer({ min: 1, max: 4 }).map((factor) => Buffer.alloc(MAX_DEVICE_REPORT_BYTES * factor, ' ')),
  }),
);

describe('MQTT intake under fuzzing', () => {
  let server: TestServer;
  let api: ApiClient;
  let device: { id: string; token: string };
  let client: MqttClient;
  const logLines: string[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    server = await startTestServer({ logLines });
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const area = await api.post<{ id: string }>('/api/areas', { name: 'Xã Thử Nghiệm', kind: 'commune' });
    device = (await api.post<{ id: string; token: string }>('/api/devices', { name: 'Loa fuzz', areaId: area.body.id })).body;
    client = await connectAsDevice(server, device);
  });
  afterAll(async () => {
    await client?.endAsync();
    await server?.close();
    process.off('unhandledRejection', onRejection);
  });

  it(`stores a valid event sent right after random reports (${RUNS} runs)`, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(report, { minLength: 1, maxLength: 8 }), async (reports) => {
        // QoS 0 then one QoS 1 publish on the same connection: they arrive in order, in one intake batch.
        for (const { channel, payload } of reports) client.publish(server.topics.device(device.id, channel), payload, { qos: 0 });
        const seq = SENTINEL_SEQ + run++;
        await client.publishAsync(server.topics.device(device.id, 'event'), encodePayload(validEvent(seq)), { qos: 1 });
        await server.intake.flush();
        const stored = await server.database.prisma.deviceEvent.findUnique({ where: { deviceId_seq: { deviceId: device.id, seq } } });
        expect(stored, `valid event ${seq} after ${reports.length} fuzzed reports`).not.toBeNull();
      }),
      { numRuns: RUNS },
    );

    expect(client.connected).toBe(true);
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/readyz')).status).toBe(200);
    // Everything hostile is refused by its schema; nothing gets as far as a failed database write.
    const problems = logLines
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level >= 50 || /update failed/.test(line.msg));
    expect(problems).toEqual([]);
    expect(rejections).toEqual([]);
  });
});
