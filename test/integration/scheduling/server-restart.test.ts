/**
 * (c) The server is killed (SIGKILL) after it sent an occurrence and before it starts, then
 * started again on the same data: every receiver plays exactly once and every delivery ends played.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { freePort } from '../../helpers/free-port.js';
import { broadcastAndAwaitDownloads, registerCommune, startAgents, waitForDeliveries, waitUntilOnline } from '../../helpers/receiver-fleet.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { copyDataTemplate } from '../../helpers/test-database.js';
import { TEST_ADMIN } from '../../helpers/test-server.js';

describe('server restart between dispatch and start', () => {
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let server: ServerProcess;
  let agents: AgentProcess[] = [];
  let env: Record<string, string>;
  let httpPort: number;

  beforeAll(async () => {
    work = await makeTempDir('cb-restart');
    const dataDir = path.join(work.path, 'data');
    await copyDataTemplate(dataDir);
    httpPort = await freePort();
    env = {
      DATA_DIR: dataDir,
      MQTT_PORT: String(await freePort()),
      ADMIN_USERNAME: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
    };
    server = startServerProcess(env, httpPort);
    await server.ready();
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.kill();
    await work?.remove();
  });

  it('plays exactly once per receiver', async () => {
    const api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const commune = await registerCommune(api, work.path, 3);
    agents = startAgents(commune.receivers, `mqtt://127.0.0.1:${env.MQTT_PORT}`, 'loa');
    await waitUntilOnline(api, commune.receivers, agents);

    const startAt = Date.now() + 12_000;
    const broadcastId = await broadcastAndAwaitDownloads(api, commune, startAt, agents);

    await server.kill('SIGKILL');
    server = startServerProcess(env, httpPort);
    await server.ready();
    expect(Date.now()).toBeLessThan(startAt);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);

    await waitForDeliveries(api, broadcastId, (rows) => rows.length === 3 && rows.every((r) => r.state === 'played'), {
      timeoutMs: startAt - Date.now() + 20_000,
      what: 'all played after the restart',
      agents,
    });
    for (const agent of agents) {
      const plays = (await agent.plays()).filter((p) => p.broadcastId === broadcastId);
      expect(plays).toHaveLength(1);
      expect(Math.abs(plays[0]!.systemTime - startAt)).toBeLessThanOrEqual(50);
    }
    const view = await api.get<{ occurrences: unknown[] }>(`/api/broadcasts/${broadcastId}`);
    expect(view.body.occurrences).toHaveLength(1);
  });
});
