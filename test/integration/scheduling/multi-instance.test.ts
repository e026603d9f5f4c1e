/**
 * (d) Two servers on one PostgreSQL and one broker: the first holds the scheduler lock; it is
 * killed before an occurrence is due, the second takes over within seconds and sends it, and
 * nothing is sent twice.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { freePort } from '../../helpers/free-port.js';
import { recordMeasurement } from '../../helpers/measurements.js';
import { mosquittoProcess, type MosquittoProcess } from '../../helpers/mosquitto-process.js';
import { registerCommune, startAgents, waitForDeliveries, waitUntilOnline } from '../../helpers/receiver-fleet.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { createPostgresDatabase } from '../../helpers/test-database.js';
import { TEST_ADMIN } from '../../helpers/test-server.js';

interface LogLine {
  time: number;
  msg: string;
}

function electedAt(output: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as LogLine;
    if (entry.msg.startsWith('elected')) return entry.time;
  }
  return undefined;
}

describe('two servers on one PostgreSQL', () => {
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let broker: MosquittoProcess;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let first: ServerProcess;
  let second: ServerProcess;
  let agents: AgentProcess[] = [];
  const topicRoot = `cbmulti-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    work = await makeTempDir('cb-multi');
    broker = await mosquittoProcess({ dir: work.path });
    await broker.start();
    database = await createPostgresDatabase();
    const shared = {
      DATABASE_URL: database.url,
      MQTT_URL: broker.url,
      MQTT_TOPIC_ROOT: topicRoot,
      ADMIN_USERNAME: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      SCHEDULE_LEAD_SECONDS: '5',
      DATA_DIR: work.path,
    };
    first = startServerProcess({ ...shared, INSTANCE_ID: 'first' }, await freePort());
    await first.ready();
    second = startServerProcess({ ...shared, INSTANCE_ID: 'second' }, await freePort());
    await second.ready();
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await first?.kill();
    await second?.kill();
    await broker?.kill();
    await database?.drop();
    await work?.remove();
  });

  it('lets the survivor fire the next occurrence, once, within seconds of the leader dying', async () => {
    expect(electedAt(first.output())).toBeDefined();
    expect(electedAt(second.output())).toBeUndefined();

    const api = new ApiClient(first.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const commune = await registerCommune(api, work.path, 2);
    agents = startAgents(commune.receivers, broker.url, topicRoot);
    await waitUntilOnline(api, commune.receivers, agents);

    const bulletin = await api.post<{ id: string }>('/api/bulletins', { title: 'Thông báo', text: 'Kính thưa bà con, xã thông báo lịch cắt điện.' });
    const startAt = Date.now() + 14_000;
    const broadcast = await api.post<{ id: string; occurrences: { state: string }[] }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { areaIds: [commune.communeId] },
      startAt: new Date(startAt).toISOString(),
    });
    expect(broadcast.status).toBe(201);
    // Five seconds of lead: the occurrence is planned, not yet sent, when the leader dies.
    expect(broadcast.body.occurrences.map((o) => o.state)).toEqual(['planned']);

    const killedAt = Date.now();
    await first.kill('SIGKILL');
    const takenOverAt = await waitFor(async () => electedAt(second.output()), { timeoutMs: 10_000, what: 'the second server elected' });
    const takeoverMs = takenOverAt - killedAt;
    expect(takeoverMs).toBeLessThan(5_000);

    const survivor = new ApiClient(second.url);
    await survivor.login(TEST_ADMIN.username, TEST_ADMIN.password);
    await waitForDeliveries(survivor, broadcast.body.id, (rows) => rows.length === 2 && rows.every((r) => r.state === 'played'), {
      timeoutMs: startAt - Date.now() + 20_000,
      what: 'played through the surviving server',
      agents,
      context: () => second.output().split('\n').filter((l) => !l.includes('"reqId"')).join('\n').slice(-8000),
    });
    for (const agent of agents) {
      const plays = (await agent.plays()).filter((p) => p.broadcastId === broadcast.body.id);
      expect(plays).toHaveLength(1);
      expect(Math.abs(plays[0]!.systemTime - startAt)).toBeLessThanOrEqual(50);
    }
    const view = await survivor.get<{ occurrences: { state: string }[] }>(`/api/broadcasts/${broadcast.body.id}`);
    expect(view.body.occurrences.map((o) => o.state)).toEqual(['dispatched']);
    await recordMeasurement('takeover', { takeoverMs });
  });
});
