/**
 * What an official changes on a receiver, checked against real agent processes and raw MQTT
 * sessions: a rename and a move show in the API and in the receiver's retained config, a moved
 * receiver's access follows its new areas (it takes their commands, and loses the old area's, even
 * through a subscription its persistent session kept), a
 * volume reaches the agent (its telemetry reports it) and survives in the config, a stop cuts off
 * what plays (the agent logs it `interrupted`), and the recent events list it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema, telemetrySchema, type DeviceConfig } from '../../../protocol/index.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import { embeddedBrokerUrl } from '../../helpers/device-connection.js';
import { asDevice, connectSession, grants, type Session } from '../../helpers/mqtt-session.js';
import { registerCommune, startAgents, waitForDeliveries, waitUntilOnline, type Commune } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const REFUSED = 128;

interface DeviceBody {
  id: string;
  name: string;
  areaId: string;
  online: boolean;
  volume: number;
  playing: string | null;
  token?: string;
}

interface ErrorBody {
  code: string;
  details: { field?: string; message: string }[];
}

interface EventBody {
  seq: number;
  type: string;
  broadcastId: string;
  bulletinTitle: string | null;
  at: string;
  reason: string | null;
  outcome: string | null;
}

interface LiveCredential {
  url: string;
  username: string;
  password: string;
}

/** Long enough (about half a minute of speech) to be stopped while it plays. */
const LONG_TEXT = Array.from({ length: 6 }, (_, i) => `Kính thưa bà con, đây là đoạn thông báo thứ ${i + 1} về lịch tiêm phòng cho đàn gia súc của xã.`).join(' ');

describe('receiver management', () => {
  let server: TestServer;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let admin: ApiClient;
  let approver: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;
  let east: Commune;
  let west: Commune;
  let secondHamlet: string;
  let agents: AgentProcess[] = [];
  const sessions: Session[] = [];

  const userIn = async (username: string, role: string, areaId: string): Promise<ApiClient> => {
    const password = `${role}-mat-khau-dai-2026`;
    expect((await admin.post('/api/users', { username, password, role, areaId })).status).toBe(201);
    const client = new ApiClient(server.url);
    await client.login(username, password);
    return client;
  };

  /** The receiver's retained config, as a session with its credential reads it on subscribing. */
  const retainedConfig = async (device: { id: string; token: string }): Promise<DeviceConfig> => {
    const session = await connectSession(embeddedBrokerUrl(server), asDevice(device), { clean: true });
    sessions.push(session);
    try {
      await session.client.subscribeAsync(`${server.topics.root}/device/${device.id}/config`, { qos: 1 });
      const message = await waitFor(async () => session.received.find((m) => m.topic.endsWith('/config')), { what: 'retained config' });
      return deviceConfigSchema.parse(JSON.parse(message.payload));
    } finally {
      await session.end();
    }
  };

  beforeAll(async () => {
    work = await makeTempDir('cb-receivers');
    server = await startTestServer();
    admin = new ApiClient(server.url);
    await admin.login(TEST_ADMIN.username, TEST_ADMIN.password);
    east = await registerCommune(admin, work.path, 2, 'Xã Đông');
    west = await registerCommune(admin, work.path, 1, 'Xã Tây');
    const hamlet = await admin.post<{ id: string }>('/api/areas', { name: 'Xóm Mới', kind: 'hamlet', parentId: east.communeId });
    secondHamlet = hamlet.body.id;
    approver = await userIn('duyet-xa-dong', 'approver', east.communeId);
    operator = await userIn('bientap-xa-dong', 'operator', east.communeId);
    viewer = await userIn('xem-xa-dong', 'viewer', east.communeId);
    agents = startAgents(east.receivers, embeddedBrokerUrl(server), server.topics.root);
    await waitUntilOnline(admin, east.receivers, agents);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.end()));
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await work?.remove();
  });

  it('renames and moves a receiver; the agent is sent its new area path and takes the new area\'s commands', async () => {
    const moved = east.receivers[0]!;
    const response = await approver.patch<DeviceBody>(`/api/devices/${moved.id}`, { name: '  Loa Xóm Mới  ', areaId: secondHamlet });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: moved.id, name: 'Loa Xóm Mới', areaId: secondHamlet });
    expect((await viewer.get<DeviceBody>(`/api/devices/${moved.id}`)).body).toMatchObject({ name: 'Loa Xóm Mới', areaId: secondHamlet });

    // The agent applies the new config and subscribes to its new hamlet's command topic.
    await waitFor(async () => agents[0]!.output().includes(secondHamlet), { what: 'the agent applying its new area path', timeoutMs: 10_000 });

    // An emergency to the new hamlet is one publish on that hamlet's topic: the moved agent must receive it.
    const emergency = await admin.post<{ id: string; broadcastId: string }>('/api/emergency', {
      text: 'Khẩn cấp cho Xóm Mới.',
      target: { areaIds: [secondHamlet] },
      tone: null,
      repeat: 1,
    });
    expect(emergency.status).toBe(201);
    const deliveries = await waitForDeliveries(admin, emergency.body.broadcastId, (rows) => rows.some((r) => r.deviceId === moved.id && r.state !== 'sent'), {
      what: 'the moved receiver to receive the new area\'s emergency',
      agents,
    });
    expect(deliveries.map((d) => d.deviceId)).toEqual([moved.id]);
    await admin.post(`/api/emergency/${emergency.body.id}/stop`);
  });

  it('moves a connected raw session\'s access: the new area\'s topic is granted, the old one refused, and the retained config names the new path', async () => {
    const created = await admin.post<DeviceBody & { token: string }>('/api/devices', { name: 'Loa thử', areaId: east.hamletId });
    const device = { id: created.body.id, token: created.body.token };
    const session = await connectSession(embeddedBrokerUrl(server), asDevice(device), { clean: true });
    sessions.push(session);
    const root = server.topics.root;
    expect(await grants(session, [`${root}/area/${east.hamletId}/command`, `${root}/area/${secondHamlet}/command`])).toEqual({
      [`${root}/area/${east.hamletId}/command`]: 1,
      [`${root}/area/${secondHamlet}/command`]: REFUSED,
    });

    expect((await approver.patch(`/api/devices/${device.id}`, { areaId: secondHamlet })).status).toBe(200);
    expect(session.isClosed()).toBe(false);
    expect(await grants(session, [`${root}/area/${secondHamlet}/command`, `${root}/area/${east.hamletId}/command`])).toEqual({
      [`${root}/area/${secondHamlet}/command`]: 1,
      [`${root}/area/${east.hamletId}/command`]: REFUSED,
    });

    // Its subscription to the old hamlet outlives the move (a persistent session keeps it), yet the
    // old hamlet's commands no longer reach it; the new hamlet's do.
    const emergencyTo = (areaId: string) =>
      admin.post<{ id: string }>('/api/emergency', { text: 'Thử hệ thống.', target: { areaIds: [areaId] }, tone: null, repeat: 1 });
    const toOld = await emergencyTo(east.hamletId);
    const toNew = await emergencyTo(secondHamlet);
    await waitFor(async () => session.received.some((m) => m.topic === `${root}/area/${secondHamlet}/command`), { what: 'the new hamlet\'s command' });
    expect(session.received.filter((m) => m.topic.includes('/area/')).map((m) => m.topic)).toEqual([`${root}/area/${secondHamlet}/command`]);
    for (const sent of [toOld, toNew]) await admin.post(`/api/emergency/${sent.body.id}/stop`);

    await session.end();
    const config = await retainedConfig(device);
    expect(config.areaPath).toEqual([east.communeId, secondHamlet]);
    expect(config.name).toBe('Loa thử');
  });

  it('sets the volume: the agent reports it in its telemetry, and the retained config keeps it for a restart', async () => {
    const target = east.receivers[1]!;
    const credential = (await admin.post<LiveCredential>('/api/live/credential')).body;
    const watch = await connectSession(credential.url, { clientId: credential.username, username: credential.username, password: credential.password });
    sessions.push(watch);
    await watch.client.subscribeAsync(`${server.topics.root}/device/${target.id}/telemetry`, { qos: 0 });

    const response = await operator.post<DeviceBody>(`/api/devices/${target.id}/volume`, { volume: 35 });
    expect(response.status).toBe(200);
    expect(response.body.volume).toBe(35);
    await waitFor(
      async () => watch.received.some((m) => m.topic.endsWith('/telemetry') && telemetrySchema.parse(JSON.parse(m.payload)).volume === 35),
      { what: 'telemetry reporting volume 35', timeoutMs: 10_000 },
    );
    expect((await viewer.get<DeviceBody>(`/api/devices/${target.id}`)).body.volume).toBe(35);
  });

  it('refuses a bad volume naming the field', async () => {
    const id = east.receivers[1]!.id;
    for (const volume of [101, -1, 12.5, 'loud']) {
      const response = await operator.post<ErrorBody>(`/api/devices/${id}/volume`, { volume });
      expect(response.status).toBe(400);
      expect(response.body.details.map((d) => d.field)).toContain('volume');
    }
    const badLimit = await viewer.get<ErrorBody>(`/api/devices/${id}/events?limit=0`);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.details.map((d) => d.field)).toContain('limit');
  });

  it('stops what a receiver plays: the agent logs it interrupted, and its recent events show it', async () => {
    const target = east.receivers[1]!;
    const bulletin = await admin.post<{ id: string }>('/api/bulletins', { title: 'Lịch tiêm phòng', text: LONG_TEXT });
    expect(bulletin.status).toBe(201);
    const broadcast = await admin.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { deviceIds: [target.id] },
      startAt: new Date(Date.now() + 3_000).toISOString(),
    });
    expect(broadcast.status).toBe(201);
    await waitForDeliveries(admin, broadcast.body.id, (rows) => rows.some((r) => r.state === 'playing'), { what: 'playing', agents });
    await waitFor(async () => (await admin.get<DeviceBody>(`/api/devices/${target.id}`)).body.playing === broadcast.body.id, { what: 'the server seeing it on air' });

    expect((await viewer.post(`/api/devices/${target.id}/stop`)).status).toBe(403);
    const stop = await operator.post<{ commandId: string; broadcastId: string | null }>(`/api/devices/${target.id}/stop`);
    expect(stop.status).toBe(202);
    expect(stop.body.commandId).toEqual(expect.any(String));
    expect(stop.body.broadcastId).toBe(broadcast.body.id);

    const plays = await waitFor(async () => {
      const lines = await agents[1]!.plays();
      return lines.some((line) => line.broadcastId === broadcast.body.id) ? lines : undefined;
    }, { what: 'the play log line', timeoutMs: 10_000 });
    expect(plays.find((line) => line.broadcastId === broadcast.body.id)?.outcome).toBe('interrupted');

    const events = await waitFor(async () => {
      const response = await viewer.get<EventBody[]>(`/api/devices/${target.id}/events?limit=5`);
      // An earlier test's plays on this receiver are in the list too: wait for this broadcast's end.
      return response.body.some((e) => e.type === 'finished' && e.broadcastId === broadcast.body.id) ? response.body : undefined;
    }, { what: 'the finished event' });
    expect(events.length).toBeLessThanOrEqual(5);
    expect(events[0]).toMatchObject({ type: 'finished', broadcastId: broadcast.body.id, bulletinTitle: 'Lịch tiêm phòng', outcome: 'interrupted' });
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => b - a));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['started', 'finished']));
  }, 90_000);

  it('refuses to stop an offline receiver, and keeps the volume in the retained config across a restart', async () => {
    const target = east.receivers[1]!;
    await agents[1]!.stop();
    await waitFor(async () => !(await admin.get<DeviceBody>(`/api/devices/${target.id}`)).body.online, { what: 'offline' });
    const stop = await operator.post<ErrorBody>(`/api/devices/${target.id}/stop`);
    expect(stop.status).toBe(409);
    expect((await operator.post(`/api/devices/${target.id}/volume`, { volume: 20 })).status).toBe(200);
    const config = await retainedConfig(target);
    expect(config.volume).toBe(20);
    expect(config.areaPath).toEqual([east.communeId, east.hamletId]);
  });

  it('keeps other communes out: their receivers read as not found, and a move out of the caller\'s area is forbidden', async () => {
    const westId = west.receivers[0]!.id;
    for (const response of [
      await approver.patch(`/api/devices/${westId}`, { name: 'Loa lạ' }),
      await operator.post(`/api/devices/${westId}/volume`, { volume: 10 }),
      await operator.post(`/api/devices/${westId}/stop`),
      await viewer.get(`/api/devices/${westId}/events`),
    ]) {
      expect(response.status).toBe(404);
    }
    const away = await approver.patch<ErrorBody>(`/api/devices/${east.receivers[1]!.id}`, { areaId: west.communeId });
    expect(away.status).toBe(403);
    expect(away.body.details.map((d) => d.field)).toEqual(['areaId.0']);
    expect((await operator.patch(`/api/devices/${east.receivers[1]!.id}`, { name: 'Loa' })).status).toBe(403);
    expect((await admin.get<DeviceBody>(`/api/devices/${westId}`)).body.name).toBe('Loa 1');
  });

  it('tells the console where a new receiver\'s agent connects', async () => {
    const setup = await approver.get<{ brokerUrl: string | null; topicRoot: string }>('/api/devices/agent-setup');
    expect(setup.status).toBe(200);
    expect(setup.body).toEqual({ brokerUrl: embeddedBrokerUrl(server), topicRoot: server.topics.root, defaultTopicRoot: server.topics.root === 'loa' });
    expect((await operator.get('/api/devices/agent-setup')).status).toBe(403);
  });
});
