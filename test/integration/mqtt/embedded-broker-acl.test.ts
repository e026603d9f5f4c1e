/**
 * The embedded broker's access control, driven with raw MQTT against a real server: who may
 * connect (and who is cut off when a credential is rotated, revoked or removed), what a device may
 * subscribe and publish, and that real receivers keep working through all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePayload } from '../../../protocol/index.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { ApiClient } from '../../helpers/api-client.js';
import { asDevice, connectSession, grants, pause, refusal, withinMs, type Session } from '../../helpers/mqtt-session.js';
import { registerCommune, startAgents, waitForDeliveries, waitUntilOnline, type Commune, type Receiver } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const REFUSED = 128;

interface DeviceBody {
  id: string;
  token: string;
  revokedAt: string | null;
}

describe('embedded broker access control', () => {
  let server: TestServer;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let api: ApiClient;
  let brokerUrl: string;
  let east: Commune;
  let west: Commune;
  /** A registered receiver that misbehaves: its own credential, others' topics. */
  let rogue: Receiver;
  let agents: AgentProcess[] = [];
  /** The admin console's live view, watching everything receivers report. */
  let watcher: Session;
  const sessions: Session[] = [];

  const register = async (name: string, areaId: string): Promise<DeviceBody> => {
    const created = await api.post<DeviceBody>('/api/devices', { name, areaId });
    expect(created.status).toBe(201);
    return created.body;
  };
  const open = async (session: Promise<Session>): Promise<Session> => {
    const opened = await session;
    sessions.push(opened);
    return opened;
  };

  beforeAll(async () => {
    work = await makeTempDir('cb-acl');
    server = await startTestServer();
    if (server.mqtt.mode !== 'embedded' || server.mqtt.port === null) throw new Error('expected the embedded broker');
    brokerUrl = `mqtt://127.0.0.1:${server.mqtt.port}`;
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    east = await registerCommune(api, work.path, 1, 'Xã Đông');
    west = await registerCommune(api, work.path, 1, 'Xã Tây');
    const rogueDevice = await register('Loa lạ', east.communeId);
    rogue = { ...rogueDevice, dataDir: work.path, playLog: '' };
    agents = startAgents([east.receivers[0]!, west.receivers[0]!], brokerUrl, server.topics.root);
    await waitUntilOnline(api, [east.receivers[0]!, west.receivers[0]!], agents);

    const live = await api.post<{ url: string; clientId: string; username: string; password: string; topics: string[] }>('/api/live/credential');
    expect(live.status).toBe(201);
    watcher = await open(connectSession(live.body.url, live.body));
    for (const channel of ['event', 'telemetry', 'availability'] as const) await watcher.client.subscribeAsync(server.topics.allDevices(channel), { qos: 1 });
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.end()));
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await work?.remove();
  });

  it('refuses anonymous clients, unknown device ids, wrong tokens and a token presented under another client id', async () => {
    const eastReceiver = east.receivers[0]!;
    const reasons = [
      await refusal(brokerUrl, { clientId: 'anonymous-listener' }),
      await refusal(brokerUrl, { clientId: 'rx-0000000000', username: 'rx-0000000000', password: rogue.token }),
      await refusal(brokerUrl, { ...asDevice(eastReceiver), password: rogue.token }),
      await refusal(brokerUrl, { ...asDevice(eastReceiver), password: `${eastReceiver.token}x` }),
      // The rogue's valid token, but claiming the east receiver's session (which would cut the real one off).
      await refusal(brokerUrl, { ...asDevice(rogue), clientId: eastReceiver.id }),
    ];
    for (const reason of reasons) expect(reason).toMatch(/Bad username or password/i);
  });

  it('refuses a revoked token and cuts off the session it opened at once; rotating re-enables the device', async () => {
    const device = await register('Loa thu hồi', east.communeId);
    const session = await open(connectSession(brokerUrl, asDevice(device)));

    const revoked = await api.post<DeviceBody>(`/api/devices/${device.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    await withinMs(session.closed, 1_000, 'the revoked session being cut off');
    expect(await refusal(brokerUrl, asDevice(device))).toMatch(/Bad username or password/i);
    expect((await api.get<DeviceBody>(`/api/devices/${device.id}`)).body.revokedAt).not.toBeNull();

    const rotated = await api.post<DeviceBody>(`/api/devices/${device.id}/token`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.revokedAt).toBeNull();
    expect(await refusal(brokerUrl, asDevice(device))).toMatch(/Bad username or password/i);
    const renewed = await open(connectSession(brokerUrl, asDevice(rotated.body)));
    expect(renewed.isClosed()).toBe(false);
  });

  it('cuts off a session when its token is rotated and refuses the rotated-away token from then on', async () => {
    const device = await register('Loa đổi khoá', east.communeId);
    const session = await open(connectSession(brokerUrl, asDevice(device)));

    const rotated = await api.post<DeviceBody>(`/api/devices/${device.id}/token`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(device.token);
    await withinMs(session.closed, 1_000, 'the old session being cut off');
    expect(await refusal(brokerUrl, asDevice(device))).toMatch(/Bad username or password/i);
    await open(connectSession(brokerUrl, asDevice(rotated.body)));
  });

  it('removes a device: its session ends at once, its token no longer connects and the API no longer knows it', async () => {
    const device = await register('Loa tháo dỡ', east.communeId);
    const session = await open(connectSession(brokerUrl, asDevice(device)));

    expect((await api.send(`DELETE`, `/api/devices/${device.id}`)).status).toBe(204);
    await withinMs(session.closed, 1_000, 'the removed device being cut off');
    expect(await refusal(brokerUrl, asDevice(device))).toMatch(/Bad username or password/i);
    expect((await api.get(`/api/devices/${device.id}`)).status).toBe(404);
    expect((await api.post(`/api/devices/${device.id}/token`)).status).toBe(404);
  });

  it('refuses every subscription outside the device\'s own topics, its areas and the server state', async () => {
    const topics = server.topics;
    const eastReceiver = east.receivers[0]!;
    const westReceiver = west.receivers[0]!;
    const session = await open(connectSession(brokerUrl, asDevice(rogue)));
    const granted = await grants(session, [
      '#',
      `${topics.root}/#`,
      `${topics.root}/device/+/command`,
      topics.allDevices('telemetry'),
      topics.device(eastReceiver.id, 'command'),
      topics.device(eastReceiver.id, 'config'),
      topics.device(westReceiver.id, 'schedule'),
      topics.device(westReceiver.id, 'event'),
      topics.areaCommand(west.communeId),
      topics.areaCommand(east.hamletId),
    ]);
    expect(Object.entries(granted).filter(([, qos]) => qos !== REFUSED)).toEqual([]);
    const own = await grants(session, [topics.device(rogue.id, 'command'), topics.device(rogue.id, 'config'), topics.areaCommand(east.communeId), topics.serverState()]);
    expect(Object.values(own)).toEqual([1, 1, 1, 1]);
  });

  it('drops a device that publishes where it may not, and nothing it sent reaches anyone', async () => {
    const topics = server.topics;
    const eastReceiver = east.receivers[0]!;
    const forged = encodePayload({ state: 'offline' });
    for (const topic of [
      topics.device(eastReceiver.id, 'availability'),
      topics.device(eastReceiver.id, 'event'),
      topics.device(eastReceiver.id, 'telemetry'),
      topics.device(eastReceiver.id, 'command'),
      topics.device(rogue.id, 'command'),
      topics.areaCommand(east.communeId),
      topics.serverState(),
    ]) {
      const session = await open(connectSession(brokerUrl, asDevice(rogue)));
      await session.client.publishAsync(topic, forged, { qos: 0, retain: true });
      await withinMs(session.closed, 2_000, `the rogue being dropped for publishing to ${topic}`);
    }
    await pause(300);
    const seen = watcher.received.filter((m) => m.topic.includes(eastReceiver.id) || m.topic.includes(rogue.id));
    expect(seen.filter((m) => m.payload === forged.toString())).toEqual([]);
    const list = await api.get<{ id: string; online: boolean }[]>('/api/devices');
    expect(list.body.find((d) => d.id === eastReceiver.id)?.online).toBe(true);
  });

  it('keeps the legitimate receivers working: both still receive a broadcast and report playing it', async () => {
    const receivers = [east.receivers[0]!, west.receivers[0]!];
    const bulletin = await api.post<{ id: string }>('/api/bulletins', { title: 'Thông báo', text: 'Kính thưa bà con, chiều nay xã họp dân.' });
    expect(bulletin.status).toBe(201);
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { deviceIds: receivers.map((r) => r.id) },
      startAt: new Date(Date.now() + 3_000).toISOString(),
    });
    expect(broadcast.status).toBe(201);
    const played = await waitForDeliveries(api, broadcast.body.id, (rows) => rows.length === 2 && rows.every((r) => r.state === 'played'), {
      what: 'both receivers played',
      agents,
    });
    expect(played.map((d) => d.deviceId).sort()).toEqual(receivers.map((r) => r.id).sort());
    // The watcher saw their real reports, so the live view works for an unrestricted user.
    expect(watcher.received.some((m) => m.topic === server.topics.device(receivers[0]!.id, 'event'))).toBe(true);
  });
});
