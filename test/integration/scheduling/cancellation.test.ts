/**
 * Editing and cancelling reach receivers, including one that is offline when the change is made
 * and reconnects before startAt: it must not play the cancelled occurrence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { registerCommune, startAgents, waitForDeliveries, waitUntilOnline, type Commune } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

describe('cancelling and changing broadcasts', () => {
  let server: TestServer;
  let api: ApiClient;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let commune: Commune;
  let agents: AgentProcess[] = [];
  let brokerUrl: string;
  let bulletinId: string;

  beforeAll(async () => {
    server = await startTestServer();
    if (server.mqtt.mode !== 'embedded') throw new Error('expected the embedded broker');
    brokerUrl = `mqtt://127.0.0.1:${server.mqtt.port}`;
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    work = await makeTempDir('cb-cancel');
    commune = await registerCommune(api, work.path, 2);
    agents = startAgents(commune.receivers, brokerUrl, server.topics.root);
    await waitUntilOnline(api, commune.receivers, agents);
    bulletinId = (await api.post<{ id: string }>('/api/bulletins', { title: 'Thông báo', text: 'Kính thưa bà con, lịch họp đã thay đổi.' })).body.id;
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await work?.remove();
  });

  it('does not play a cancelled occurrence, even on a receiver that was offline when it was cancelled', async () => {
    const startAt = Date.now() + 12_000;
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [commune.communeId] },
      startAt: new Date(startAt).toISOString(),
    });
    await waitForDeliveries(api, broadcast.body.id, (rows) => rows.length === 2 && rows.every((r) => r.state === 'downloaded'), { agents });

    const offline = agents[1]!;
    await offline.stop();
    const cancelled = await api.post<{ status: string; occurrences: { state: string }[] }>(`/api/broadcasts/${broadcast.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.occurrences.map((o) => o.state)).toEqual(['cancelled']);
    agents[1] = startAgents([commune.receivers[1]!], brokerUrl, server.topics.root)[0]!;
    await waitUntilOnline(api, commune.receivers, agents);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now()) + 4_000));
    for (const agent of agents) {
      expect((await agent.plays()).filter((p) => p.broadcastId === broadcast.body.id)).toEqual([]);
    }
    const view = await api.get<{ deliveries: { state: string }[] }>(`/api/broadcasts/${broadcast.body.id}`);
    expect(view.body.deliveries.map((d) => d.state)).toEqual(['cancelled', 'cancelled']);
  });

  it('moves a broadcast to a new time: receivers play it then, once', async () => {
    const firstStart = Date.now() + 20_000;
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId,
      target: { deviceIds: [commune.receivers[0]!.id] },
      startAt: new Date(firstStart).toISOString(),
    });
    await waitForDeliveries(api, broadcast.body.id, (rows) => rows.length === 1 && rows[0]!.state === 'downloaded', { agents });
    const newStart = Date.now() + 5_000;
    const moved = await api.patch<{ occurrences: { startAt: string; state: string }[] }>(`/api/broadcasts/${broadcast.body.id}`, {
      startAt: new Date(newStart).toISOString(),
    });
    expect(moved.status).toBe(200);
    expect(moved.body.occurrences.map((o) => [Date.parse(o.startAt), o.state])).toEqual([
      [newStart, 'dispatched'],
      [firstStart, 'cancelled'],
    ]);
    await waitForDeliveries(api, broadcast.body.id, (rows) => rows.some((r) => r.state === 'played'), { agents, timeoutMs: 20_000 });
    const plays = (await agents[0]!.plays()).filter((p) => p.broadcastId === broadcast.body.id);
    expect(plays).toHaveLength(1);
    expect(Math.abs(plays[0]!.systemTime - newStart)).toBeLessThanOrEqual(50);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstStart - Date.now()) + 2_000));
    expect((await agents[0]!.plays()).filter((p) => p.broadcastId === broadcast.body.id)).toHaveLength(1);
  });
});
