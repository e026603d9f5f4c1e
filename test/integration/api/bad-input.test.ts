/**
 * Hostile and careless input against the real server: every mistake gets a 4xx JSON body naming
 * the problem, and nothing a client sends over MQTT can crash the server or reach the database.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePayload } from '../../../protocol/index.js';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: { field?: string; message: string }[];
}

describe('bad input', () => {
  let server: TestServer;
  let api: ApiClient;
  let areaId: string;
  let device: { id: string; token: string };
  const logLines: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ logLines });
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    areaId = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Phú Lương', kind: 'commune' })).body.id;
    device = (await api.post<{ id: string; token: string }>('/api/devices', { name: 'Loa 1', areaId })).body;
  });
  afterAll(async () => server?.close());

  const expectError = (response: { status: number; body: unknown }, status: number, field?: string) => {
    expect(response.status).toBe(status);
    const body = response.body as ErrorBody;
    expect(body).toMatchObject({ statusCode: status, code: expect.any(String), message: expect.any(String) });
    if (field) expect(body.details.map((d) => d.field)).toContain(field);
    return body;
  };

  it('requires authentication for the API', async () => {
    const anonymous = new ApiClient(server.url);
    expectError(await anonymous.get('/api/devices'), 401);
    expectError(await anonymous.post('/api/auth/login', { username: 'admin', password: 'wrong' }), 401);
  });

  it('names a missing or empty bulletin text', async () => {
    expectError(await api.post('/api/bulletins', { title: 'Thông báo' }), 400, 'text');
    expectError(await api.post('/api/bulletins', { title: 'Thông báo', text: '   ' }), 400, 'text');
    expectError(await api.post('/api/bulletins', { text: 'Xin chào' }), 400, 'title');
  });

  it('refuses a bulletin text over the documented limit of 20,000 characters', async () => {
    const body = expectError(await api.post('/api/bulletins', { title: 'Dài', text: 'a'.repeat(20_001) }), 400, 'text');
    expect(body.message).toMatch(/20000/);
  });

  it('answers malformed JSON with a 400 naming the body', async () => {
    const body = expectError(await api.postRaw('/api/areas', '{"name": "Xã', { 'content-type': 'application/json' }), 400, 'body');
    expect(body.code).toBe('MALFORMED_JSON');
  });

  it('names unknown areas, kinds and devices', async () => {
    expectError(await api.post('/api/areas', { name: 'Xóm', kind: 'village' }), 400, 'kind');
    expectError(await api.post('/api/areas', { name: 'Xóm', kind: 'hamlet', parentId: 'nope' }), 404, 'parentId');
    expectError(await api.post('/api/devices', { name: 'Loa', areaId: 'nope' }), 404, 'areaId');
    expectError(await api.post('/api/broadcasts', { bulletinId: 'nope', target: { areaIds: [areaId] } }), 404, 'bulletinId');
  });

  it('names an unknown target area and an empty target', async () => {
    const bulletin = await api.post<{ id: string }>('/api/bulletins', { title: 'Ngắn', text: 'Kính thưa bà con. Đây là bản tin thử.' });
    expect(bulletin.status).toBe(201);
    expectError(await api.post('/api/broadcasts', { bulletinId: bulletin.body.id, target: { areaIds: ['no-such-area'] } }), 404, 'target.areaIds.0');
    expectError(await api.post('/api/broadcasts', { bulletinId: bulletin.body.id, target: {} }), 400, 'target');
    expectError(await api.post('/api/broadcasts', { bulletinId: bulletin.body.id, target: { areaIds: [areaId] }, startAt: 'tomorrow' }), 400, 'startAt');
  });

  it('refuses uploads that are not audio', async () => {
    const form = new FormData();
    form.set('title', 'Ghi âm');
    form.set('file', new Blob(['hello']), 'notes.txt');
    const body = expectError(await api.postRaw('/api/bulletins', form), 415, 'file');
    expect(body.message).toMatch(/notes\.txt/);

    const disguised = new FormData();
    disguised.set('title', 'Ghi âm');
    disguised.set('file', new Blob(['this is text, not audio'.repeat(100)]), 'recording.mp3');
    expectError(await api.postRaw('/api/bulletins', disguised), 415, 'file');
  });

  it('refuses a receiver with a wrong token at the broker', async () => {
    if (server.mqtt.mode !== 'embedded') throw new Error('expected the embedded broker');
    const client = mqtt.connect(`mqtt://127.0.0.1:${server.mqtt.port}`, {
      clientId: device.id,
      username: device.id,
      password: 'not-the-token',
      reconnectPeriod: 0,
    });
    const error = await new Promise<Error>((resolve) => client.once('error', resolve));
    client.end(true);
    expect(error.message).toMatch(/Bad username or password|Not authorized/i);
  });

  it('drops MQTT messages that fail their schema, logs them, and keeps working', async () => {
    if (server.mqtt.mode !== 'embedded') throw new Error('expected the embedded broker');
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.mqtt.port}`, {
      clientId: device.id,
      username: device.id,
      password: device.token,
      reconnectPeriod: 0,
    });
    const before = await server.database.prisma.deviceEvent.count();
    await client.publishAsync(server.topics.device(device.id, 'event'), Buffer.from('{not json'), { qos: 1 });
    await client.publishAsync(server.topics.device(device.id, 'event'), encodePayload({ type: 'started', seq: 'x' }), { qos: 1 });
    await client.publishAsync(server.topics.device(device.id, 'telemetry'), encodePayload({ volume: 500 }), { qos: 1 });
    // A valid message after the bad ones is still taken in.
    await client.publishAsync(server.topics.device(device.id, 'availability'), encodePayload({ state: 'online' }), { qos: 1, retain: true });
    await waitFor(async () => (await api.get<{ online: boolean }>(`/api/devices/${device.id}`)).body.online, { what: 'device online' });
    await server.intake.flush();
    expect(await server.database.prisma.deviceEvent.count()).toBe(before);
    await client.endAsync();
    expect((await api.get('/healthz')).status).toBe(200);
    const dropped = logLines.map((line) => JSON.parse(line) as { msg: string; topic?: string; reason?: string });
    expect(dropped.filter((l) => l.msg === 'invalid playback event dropped').map((l) => l.reason)).toEqual([
      'payload is not valid JSON',
      expect.stringMatching(/seq/),
    ]);
    expect(dropped.some((l) => l.msg === 'invalid telemetry dropped' && /volume/.test(l.reason ?? ''))).toBe(true);
  });
});
