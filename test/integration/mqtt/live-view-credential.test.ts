/**
 * The console's live view: a short-lived, read-only MQTT-over-WebSocket credential scoped like its
 * user. A commune user's credential sees its commune's receivers and nothing else, never
 * publishes, and stops working when it expires.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePayload, type Telemetry } from '../../../protocol/index.js';
import { AreaService } from '../../../server/areas/area-service.js';
import { DeviceRegistry } from '../../../server/devices/device-registry.js';
import { EmbeddedBroker } from '../../../server/mqtt/embedded-broker.js';
import { LiveViewCredentials } from '../../../server/mqtt/live-view-credentials.js';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import { asDevice, connectSession, grants, pause, refusal, withinMs, type Session } from '../../helpers/mqtt-session.js';
import { registerCommune, type Commune } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const REFUSED = 128;
const COMMUNE_USER = { username: 'can-bo-xa-dong', password: 'nghe-loa-moi-sang-2026' };

interface LiveCredential {
  url: string;
  clientId: string;
  username: string;
  password: string;
  expiresAt: string;
  topics: string[];
}

const telemetry = (volume: number): Buffer =>
  encodePayload({
    at: Date.now(),
    volume,
    uptimeSeconds: 60,
    agentVersion: 'test',
    cacheBytes: 0,
    cacheFiles: 0,
    clockOffsetMs: 0,
    playing: null,
    outboxPending: 0,
  } satisfies Telemetry);

describe('live-view credential', () => {
  let server: TestServer;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let admin: ApiClient;
  let communeUser: ApiClient;
  let east: Commune;
  let west: Commune;
  let brokerUrl: string;
  const sessions: Session[] = [];
  const open = async (session: Promise<Session>): Promise<Session> => {
    const opened = await session;
    sessions.push(opened);
    return opened;
  };

  beforeAll(async () => {
    work = await makeTempDir('cb-live');
    server = await startTestServer();
    if (server.mqtt.mode !== 'embedded' || server.mqtt.port === null) throw new Error('expected the embedded broker');
    brokerUrl = `mqtt://127.0.0.1:${server.mqtt.port}`;
    admin = new ApiClient(server.url);
    await admin.login(TEST_ADMIN.username, TEST_ADMIN.password);
    east = await registerCommune(admin, work.path, 2, 'Xã Đông');
    west = await registerCommune(admin, work.path, 1, 'Xã Tây');
    const user = await admin.post('/api/users', { ...COMMUNE_USER, role: 'viewer', areaId: east.communeId });
    expect(user.status).toBe(201);
    communeUser = new ApiClient(server.url);
    await communeUser.login(COMMUNE_USER.username, COMMUNE_USER.password);
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.end()));
    await server?.close();
    await work?.remove();
  });

  it('lists exactly the commune\'s receivers\' report topics and the server state, and expires soon', async () => {
    const response = await communeUser.post<LiveCredential>('/api/live/credential');
    expect(response.status).toBe(201);
    const credential = response.body;
    expect(credential.url).toBe(`${server.url.replace(/^http/, 'ws')}/mqtt`);
    expect(credential.clientId).toBe(credential.username);
    expect(credential.username).toMatch(/^ui:/);
    const expected = [
      server.topics.serverState(),
      ...east.receivers.flatMap((r) => (['availability', 'event', 'telemetry'] as const).map((channel) => server.topics.device(r.id, channel))),
    ];
    expect([...credential.topics].sort()).toEqual(expected.sort());
    const ttl = Date.parse(credential.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });

  it('receives its commune\'s telemetry; another commune\'s topics, wildcards and commands are refused', async () => {
    const credential = (await communeUser.post<LiveCredential>('/api/live/credential')).body;
    const viewer = await open(connectSession(credential.url, credential));
    const [eastReceiver, eastHamletReceiver] = east.receivers;
    const westReceiver = west.receivers[0]!;
    const topics = server.topics;

    const allowed = await grants(viewer, credential.topics);
    expect(Object.values(allowed).every((qos) => qos !== REFUSED)).toBe(true);
    const refused = await grants(viewer, [
      topics.device(westReceiver.id, 'telemetry'),
      topics.device(westReceiver.id, 'availability'),
      topics.allDevices('telemetry'),
      `${topics.root}/#`,
      '#',
      topics.device(eastReceiver!.id, 'command'),
      topics.device(eastReceiver!.id, 'config'),
      topics.device(eastReceiver!.id, 'schedule'),
      topics.areaCommand(east.communeId),
    ]);
    expect(Object.entries(refused).filter(([, qos]) => qos !== REFUSED)).toEqual([]);

    const eastDevice = await open(connectSession(brokerUrl, asDevice(eastHamletReceiver!)));
    const westDevice = await open(connectSession(brokerUrl, asDevice(westReceiver)));
    await westDevice.client.publishAsync(topics.device(westReceiver.id, 'telemetry'), telemetry(11), { qos: 1 });
    await eastDevice.client.publishAsync(topics.device(eastHamletReceiver!.id, 'telemetry'), telemetry(42), { qos: 1 });
    await waitFor(async () => viewer.received.some((m) => m.topic === topics.device(eastHamletReceiver!.id, 'telemetry')), {
      what: 'the commune receiver\'s telemetry at the viewer',
      timeoutMs: 5_000,
    });
    expect(viewer.received.filter((m) => m.topic.includes(westReceiver.id))).toEqual([]);
  });

  it('may never publish: the broker drops the viewer and the command reaches no receiver', async () => {
    const credential = (await communeUser.post<LiveCredential>('/api/live/credential')).body;
    const receiver = east.receivers[0]!;
    const device = await open(connectSession(brokerUrl, asDevice(receiver)));
    await device.client.subscribeAsync(server.topics.device(receiver.id, 'command'), { qos: 1 });
    const viewer = await open(connectSession(credential.url, credential));

    await viewer.client.publishAsync(server.topics.device(receiver.id, 'command'), encodePayload({ commandId: 'forged', type: 'stop' }), { qos: 0 });
    await withinMs(viewer.closed, 2_000, 'the publishing viewer being dropped');
    await pause(300);
    expect(device.received).toEqual([]);
  });

  it('refuses a wrong password, the credential under another client id, and an unknown viewer', async () => {
    const credential = (await communeUser.post<LiveCredential>('/api/live/credential')).body;
    expect(await refusal(credential.url, { ...credential, password: `${credential.password}x` })).toMatch(/Bad username or password/i);
    expect(await refusal(credential.url, { ...credential, clientId: `${credential.clientId}-2` })).toMatch(/Bad username or password/i);
    expect(await refusal(credential.url, { ...credential, clientId: 'ui:nobody:1', username: 'ui:nobody:1' })).toMatch(/Bad username or password/i);
  });

  it('is refused without a signed-in user', async () => {
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.post('/api/live/credential')).status).toBe(401);
  });

  it('gives an admin the report wildcards, which a commune user may not use', async () => {
    const credential = (await admin.post<LiveCredential>('/api/live/credential')).body;
    expect(credential.topics).toContain(server.topics.allDevices('telemetry'));
    const viewer = await open(connectSession(credential.url, credential));
    const granted = await grants(viewer, [server.topics.allDevices('telemetry'), server.topics.allDevices('event')]);
    expect(Object.values(granted)).toEqual([1, 1]);
    expect((await grants(viewer, [`${server.topics.root}/device/+/command`, '#']))).toEqual({
      [`${server.topics.root}/device/+/command`]: REFUSED,
      '#': REFUSED,
    });
  });

  it('closes the session when the credential expires and refuses it afterwards', async () => {
    // A broker of the test's own over the server's real registry, with a credential that lives 1.5 s.
    const registry = new DeviceRegistry(server.database.prisma, new AreaService(server.database.prisma));
    await registry.load();
    const viewers = new LiveViewCredentials({ topics: server.topics, ttlMs: 1_500 });
    const broker = new EmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      portFallback: false,
      topics: server.topics,
      authenticator: registry,
      viewers,
      logger: pino({ level: 'silent' }),
    });
    await broker.start();
    try {
      const description = broker.describe();
      if (description.mode !== 'embedded' || description.tcpPort === null) throw new Error('expected a TCP port');
      const url = `mqtt://127.0.0.1:${description.tcpPort}`;
      const issued = viewers.issue('user-1', new Set([east.communeId]));
      const credential = { clientId: issued.username, username: issued.username, password: issued.password };
      const viewer = await open(connectSession(url, credential));
      expect(Object.values(await grants(viewer, [server.topics.device(east.receivers[0]!.id, 'telemetry')]))).toEqual([1]);
      await withinMs(viewer.closed, 3_000, 'the expired session being closed');
      expect(await refusal(url, credential)).toMatch(/Bad username or password/i);
    } finally {
      await broker.stop();
    }
  });
});
