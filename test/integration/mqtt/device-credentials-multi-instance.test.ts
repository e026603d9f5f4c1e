/**
 * Two server instances on one PostgreSQL, each with its embedded broker: a receiver registered,
 * rotated, revoked or removed through one instance is admitted, cut off and refused by the other
 * within seconds (DEVICE_ACCESS_REFRESH_MS), not only after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import { asDevice, connectSession, refusal, withinMs, type Session } from '../../helpers/mqtt-session.js';
import { createPostgresDatabase } from '../../helpers/test-database.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

/** The refresh interval plus a generous margin for a loaded machine. */
const PROPAGATION_MS = 10_000;

interface DeviceBody {
  id: string;
  token: string;
}

function brokerUrlOf(server: TestServer): string {
  if (server.mqtt.mode !== 'embedded' || server.mqtt.port === null) throw new Error('expected the embedded broker');
  return `mqtt://127.0.0.1:${server.mqtt.port}`;
}

describe('device credentials across server instances', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let first: TestServer;
  let second: TestServer;
  let api: ApiClient;
  let secondBroker: string;
  let areaId: string;
  const sessions: Session[] = [];

  /** Connects to the second instance's broker once it has learnt the credential. */
  const connectToSecond = (device: DeviceBody): Promise<Session> =>
    waitFor(
      async () => {
        const session = await connectSession(secondBroker, asDevice(device));
        sessions.push(session);
        return session;
      },
      { what: 'the second instance admitting the device', timeoutMs: PROPAGATION_MS },
    );

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const env = { DATABASE_URL: database.url };
    first = await startTestServer({ env });
    second = await startTestServer({ env });
    secondBroker = brokerUrlOf(second);
    api = new ApiClient(first.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const commune = await api.post<{ id: string }>('/api/areas', { name: 'Xã Hai Máy', kind: 'commune', code: `X${Date.now()}` });
    expect(commune.status).toBe(201);
    areaId = commune.body.id;
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.end()));
    await second?.close();
    await first?.close();
    await database?.drop();
  });

  it('admits on the second instance a receiver registered through the first', async () => {
    const device = (await api.post<DeviceBody>('/api/devices', { name: 'Loa một', areaId })).body;
    const session = await connectToSecond(device);
    expect(session.isClosed()).toBe(false);
  });

  it('cuts off and refuses on the second instance a token rotated through the first', async () => {
    const device = (await api.post<DeviceBody>('/api/devices', { name: 'Loa hai', areaId })).body;
    const session = await connectToSecond(device);
    const rotated = await api.post<DeviceBody>(`/api/devices/${device.id}/token`);
    expect(rotated.status).toBe(200);
    await withinMs(session.closed, PROPAGATION_MS, 'the second instance cutting the old session off');
    expect(await refusal(secondBroker, asDevice(device))).toMatch(/Bad username or password/i);
    await connectToSecond(rotated.body);
  });

  it('cuts off and refuses on the second instance a device revoked through the first', async () => {
    const device = (await api.post<DeviceBody>('/api/devices', { name: 'Loa ba', areaId })).body;
    const session = await connectToSecond(device);
    expect((await api.post(`/api/devices/${device.id}/revoke`)).status).toBe(200);
    await withinMs(session.closed, PROPAGATION_MS, 'the second instance cutting the revoked session off');
    expect(await refusal(secondBroker, asDevice(device))).toMatch(/Bad username or password/i);
  });

  it('cuts off and refuses on the second instance a device removed through the first', async () => {
    const device = (await api.post<DeviceBody>('/api/devices', { name: 'Loa bốn', areaId })).body;
    const session = await connectToSecond(device);
    expect((await api.send('DELETE', `/api/devices/${device.id}`)).status).toBe(204);
    await withinMs(session.closed, PROPAGATION_MS, 'the second instance cutting the removed device off');
    expect(await refusal(secondBroker, asDevice(device))).toMatch(/Bad username or password/i);
  });
});
