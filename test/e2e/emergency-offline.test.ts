/**
 * Receivers offline during an emergency: one that comes back while the emergency is still valid
 * plays it at once; one that comes back after its expiry never does, and the board says offline.
 * A receiver that stayed online but missed the command gets it again by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../helpers/api-client.js';
import { startAgentProcess, type AgentProcess } from '../helpers/agent-process.js';
import { registerCommune, startAgents, waitUntilOnline, type Commune, type Receiver } from '../helpers/receiver-fleet.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../helpers/test-server.js';

interface Board {
  emergency: { id: string; broadcastId: string; state: string };
  counts: Record<string, number> & { total: number };
  receivers: { deviceId: string; state: string; error: string | null }[];
}

describe('emergency and offline receivers', () => {
  let server: TestServer;
  let api: ApiClient;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let commune: Commune;
  let agents: AgentProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    work = await makeTempDir('cb-emergency-offline');
    commune = await registerCommune(api, work.path, 3);
    agents = startAgents(commune.receivers, brokerUrl(), server.topics.root);
    await waitUntilOnline(api, commune.receivers, agents);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await work?.remove();
  });

  const brokerUrl = () => server.mqtt.mode === 'embedded' ? `mqtt://127.0.0.1:${server.mqtt.port}` : server.mqtt.url;

  async function takeOffline(index: number): Promise<void> {
    await agents[index]!.stop();
    await waitFor(async () => !(await api.get<{ id: string; online: boolean }[]>('/api/devices')).body.find((d) => d.id === commune.receivers[index]!.id)?.online, {
      what: 'the receiver offline',
    });
  }

  function restart(index: number): void {
    const receiver: Receiver = commune.receivers[index]!;
    agents[index] = startAgentProcess({ brokerUrl: brokerUrl(), deviceId: receiver.id, token: receiver.token, dataDir: receiver.dataDir, playLog: receiver.playLog, topicRoot: server.topics.root });
  }

  it('plays on reconnect while the emergency is valid', async () => {
    await takeOffline(1);
    const sent = await api.post<{ id: string; broadcastId: string }>('/api/emergency', {
      text: 'Khẩn cấp. Lũ quét ở suối Bưa.',
      target: { areaIds: [commune.communeId] },
      repeat: 1,
      tone: 'chime',
      validityMinutes: 2,
    });
    expect(sent.status).toBe(201);
    await waitFor(async () => (await api.get<Board>(`/api/emergency/${sent.body.id}`)).body.counts.played === 2, { what: 'the online receivers played', timeoutMs: 30_000 });
    const meanwhile = await api.get<Board>(`/api/emergency/${sent.body.id}`);
    expect(meanwhile.body.receivers.find((r) => r.deviceId === commune.receivers[1]!.id)?.state).toBe('offline');

    restart(1);
    await waitFor(async () => (await api.get<Board>(`/api/emergency/${sent.body.id}`)).body.counts.played === 3, { what: 'the returning receiver played', timeoutMs: 30_000 }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${agents[1]!.output().slice(-4000)}`);
    });
    const plays = (await agents[1]!.plays()).filter((play) => play.broadcastId === sent.body.broadcastId);
    expect(plays.map((play) => play.outcome)).toEqual(['completed', 'completed']);
  }, 90_000);

  it('does not play on reconnect after the emergency expired, and ends offline', async () => {
    await takeOffline(2);
    const sent = await api.post<{ id: string; broadcastId: string }>('/api/emergency', {
      text: 'Khẩn cấp. Sạt lở ở xóm Mới.',
      target: { areaIds: [commune.communeId] },
      repeat: 1,
      tone: null,
      validityMinutes: 0.1,
    });
    expect(sent.status).toBe(201);
    await waitFor(async () => (await api.get<Board>(`/api/emergency/${sent.body.id}`)).body.emergency.state === 'expired', { what: 'the emergency to expire', timeoutMs: 30_000 });
    restart(2);
    await waitUntilOnline(api, [commune.receivers[2]!], [agents[2]!]);
    // Long enough for a stale command (queued by the broker, or in the retained manifest) to have played.
    await waitFor(async () => agents[2]!.output().includes('expired'), { what: 'the agent to drop the expired play', timeoutMs: 15_000 }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await agents[2]!.plays()).filter((play) => play.broadcastId === sent.body.broadcastId)).toEqual([]);
    const board = await api.get<Board>(`/api/emergency/${sent.body.id}`);
    const late = board.body.receivers.find((r) => r.deviceId === commune.receivers[2]!.id)!;
    expect(late.state).toBe('offline');
    expect(board.body.counts.played).toBe(2);
  }, 90_000);
});
