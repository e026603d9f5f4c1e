/**
 * (b) The broker (an external Mosquitto) dies 5 s before startAt and comes back 10 s after:
 * receivers play on time from what they already have, and every delivery ends played once the
 * outboxes are delivered after reconnection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { mosquittoProcess, type MosquittoProcess } from '../../helpers/mosquitto-process.js';
import { broadcastAndAwaitDownloads, registerCommune, startAgents, waitForDeliveries, waitUntilOnline } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

describe('broker outage around startAt', () => {
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let broker: MosquittoProcess;
  let server: TestServer;
  let agents: AgentProcess[] = [];

  beforeAll(async () => {
    work = await makeTempDir('cb-outage');
    broker = await mosquittoProcess({ dir: work.path });
    await broker.start();
    server = await startTestServer({ mqttUrl: broker.url });
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await broker?.kill();
    await work?.remove();
  });

  it('plays on time without the broker and reports afterwards', async () => {
    const api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const commune = await registerCommune(api, work.path, 3);
    agents = startAgents(commune.receivers, broker.url, server.topics.root);
    await waitUntilOnline(api, commune.receivers, agents);

    const startAt = Date.now() + 9_000;
    const broadcastId = await broadcastAndAwaitDownloads(api, commune, startAt, agents);

    await sleepUntil(startAt - 5_000);
    await broker.kill();
    await sleepUntil(startAt + 10_000);
    await broker.start();

    await waitForDeliveries(api, broadcastId, (rows) => rows.length === 3 && rows.every((r) => r.state === 'played'), {
      timeoutMs: 30_000,
      what: 'all played after the broker came back',
      agents,
    });
    for (const agent of agents) {
      const plays = await agent.plays();
      expect(plays).toHaveLength(1);
      expect(plays[0]).toMatchObject({ broadcastId: broadcastId, outcome: 'completed' });
      expect(Math.abs(plays[0]!.systemTime - startAt)).toBeLessThanOrEqual(30);
    }
  });
});
