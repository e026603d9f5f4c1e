/**
 * A server on an external Mosquitto whose password file and ACL are regenerated from the device
 * registry (as `npm run mosquitto:files` does) and reloaded with SIGHUP: rotated-away, revoked and
 * removed credentials are refused from the reload on, a session they opened is cut off only then,
 * and a real receiver keeps working throughout. The live-view credential is not offered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics } from '../../../protocol/index.js';
import { AreaService } from '../../../server/areas/area-service.js';
import { DeviceRegistry } from '../../../server/devices/device-registry.js';
import { writeMosquittoFiles } from '../../../server/mqtt/mosquitto-files-writer.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import { mosquittoProcess, type MosquittoProcess } from '../../helpers/mosquitto-process.js';
import { asDevice, connectSession, pause, refusal, withinMs, type Credential, type Session } from '../../helpers/mqtt-session.js';
import { registerCommune, startAgents, waitForDeliveries, waitUntilOnline, type Commune } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const SERVER_ACCOUNT = { username: 'commune-server', password: 'server-secret-for-tests' };
const RELOAD_MS = 5_000;

interface DeviceBody {
  id: string;
  token: string;
}

describe('external Mosquitto with files regenerated from the registry', () => {
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let mosquitto: MosquittoProcess;
  let server: TestServer;
  let api: ApiClient;
  let registry: DeviceRegistry;
  let commune: Commune;
  let agents: AgentProcess[] = [];
  const sessions: Session[] = [];

  /** What an operator does after changing receivers: regenerate both files, then SIGHUP. */
  const regenerateAndReload = async () => {
    await registry.load();
    await writeMosquittoFiles(work.path, server.topics, await registry.mosquittoDevices(), SERVER_ACCOUNT);
    mosquitto.reload();
  };
  const accepted = (credential: Credential): Promise<Session> =>
    waitFor(
      async () => {
        const session = await connectSession(mosquitto.url, credential);
        sessions.push(session);
        return session;
      },
      { what: `Mosquitto accepting ${credential.clientId}`, timeoutMs: RELOAD_MS },
    );
  const refused = (credential: Credential): Promise<string> =>
    waitFor(() => refusal(mosquitto.url, credential).catch(() => undefined), { what: `Mosquitto refusing ${credential.clientId}`, timeoutMs: RELOAD_MS });
  const register = async (name: string): Promise<DeviceBody> => {
    const created = await api.post<DeviceBody>('/api/devices', { name, areaId: commune.communeId });
    expect(created.status).toBe(201);
    return created.body;
  };

  beforeAll(async () => {
    work = await makeTempDir('cb-mosquitto-credentials');
    // At first only the server's own account (on the default topic root): receivers are added once registered.
    const files = await writeMosquittoFiles(work.path, createTopics(), [], SERVER_ACCOUNT);
    mosquitto = await mosquittoProcess({
      dir: work.path,
      lines: ['allow_anonymous false', `password_file ${files.passwordFile}`, `acl_file ${files.aclFile}`],
    });
    await mosquitto.start();
    server = await startTestServer({ mqttUrl: mosquitto.url, env: { MQTT_USERNAME: SERVER_ACCOUNT.username, MQTT_PASSWORD: SERVER_ACCOUNT.password } });
    registry = new DeviceRegistry(server.database.prisma, new AreaService(server.database.prisma));
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    commune = await registerCommune(api, work.path, 1, 'Xã Bên Sông');
    await regenerateAndReload();
    await accepted(asDevice(commune.receivers[0]!)).then((session) => session.end());
    agents = startAgents(commune.receivers, mosquitto.url, server.topics.root);
    await waitUntilOnline(api, commune.receivers, agents);
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.end()));
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await mosquitto?.kill();
    await work?.remove();
  });

  it('offers no live-view credential: the live view uses the server\'s event feed', async () => {
    const response = await api.post<{ code: string; message: string }>('/api/live/credential');
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('LIVE_MQTT_UNAVAILABLE');
    expect(response.body.message).toMatch(/event feed/);
  });

  it('refuses a rotated-away token from the reload on, and cuts off the session it opened only then', async () => {
    const device = await register('Loa đổi khoá');
    await regenerateAndReload();
    const session = await accepted(asDevice(device));

    const rotated = await api.post<DeviceBody>(`/api/devices/${device.id}/token`);
    expect(rotated.status).toBe(200);
    // Mosquitto has not re-read its files: it still honours the old token.
    await pause(500);
    expect(session.isClosed()).toBe(false);

    await regenerateAndReload();
    await withinMs(session.closed, RELOAD_MS, 'Mosquitto cutting the old session off on reload');
    expect(await refused(asDevice(device))).toMatch(/Not authorized|Bad username or password/i);
    await accepted(asDevice(rotated.body));
  });

  it('refuses a revoked device after the reload and cuts its session off', async () => {
    const device = await register('Loa thu hồi');
    await regenerateAndReload();
    const session = await accepted(asDevice(device));
    expect((await api.post(`/api/devices/${device.id}/revoke`)).status).toBe(200);
    await regenerateAndReload();
    await withinMs(session.closed, RELOAD_MS, 'Mosquitto cutting the revoked session off on reload');
    expect(await refused(asDevice(device))).toMatch(/Not authorized|Bad username or password/i);
  });

  it('refuses a removed device after the reload', async () => {
    const device = await register('Loa tháo dỡ');
    await regenerateAndReload();
    await accepted(asDevice(device)).then((session) => session.end());
    expect((await api.send('DELETE', `/api/devices/${device.id}`)).status).toBe(204);
    await regenerateAndReload();
    expect(await refused(asDevice(device))).toMatch(/Not authorized|Bad username or password/i);
  });

  it('keeps the real receiver working through every reload: it still receives a broadcast and reports playing it', async () => {
    const bulletin = await api.post<{ id: string }>('/api/bulletins', { title: 'Thông báo', text: 'Kính thưa bà con, sáng mai tiêm phòng.' });
    expect(bulletin.status).toBe(201);
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { deviceIds: [commune.receivers[0]!.id] },
      startAt: new Date(Date.now() + 3_000).toISOString(),
    });
    expect(broadcast.status).toBe(201);
    await waitForDeliveries(api, broadcast.body.id, (rows) => rows.length === 1 && rows[0]!.state === 'played', {
      what: 'the receiver played',
      agents,
    });
  });
});
