/**
 * (a) Three receivers start together at startAt, one of them with its clock 400 ms fast, which it
 * corrects by synchronising with the server. Repeats give several starts to measure skew over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { recordMeasurement } from '../../helpers/measurements.js';
import { percentiles, registerCommune, startAgents, waitForDeliveries, waitUntilOnline, type Commune } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const REPEATS = 4;
const SKEWED_CLOCK_MS = 400;

describe('synchronized start', () => {
  let server: TestServer;
  let api: ApiClient;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let commune: Commune;
  let agents: AgentProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    work = await makeTempDir('cb-sync');
    commune = await registerCommune(api, work.path, 3);
    if (server.mqtt.mode !== 'embedded') throw new Error('expected the embedded broker');
    agents = startAgents(commune.receivers, `mqtt://127.0.0.1:${server.mqtt.port}`, server.topics.root, (_receiver, index): Record<string, string> =>
      index === 2 ? { AGENT_CLOCK_SKEW_MS: String(SKEWED_CLOCK_MS) } : {},
    );
    await waitUntilOnline(api, commune.receivers, agents);
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await work?.remove();
  });

  it('starts every play on every receiver within 30 ms of startAt and of each other, correcting a 400 ms clock error', async () => {
    const bulletin = await api.post<{ id: string; audio: { durationMs: number } }>('/api/bulletins', {
      title: 'Thông báo ngắn',
      text: 'Kính thưa bà con, đây là bản tin thử của xã.',
    });
    expect(bulletin.status).toBe(201);
    const firstStart = Date.now() + 4_000;
    const gapSeconds = 1;
    const created = await api.post<{ id: string; occurrences: { startAt: string }[] }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { areaIds: [commune.communeId] },
      startAt: new Date(firstStart).toISOString(),
      repeat: { count: REPEATS, gapSeconds },
    });
    expect(created.status).toBe(201);
    const starts = created.body.occurrences.map((o) => Date.parse(o.startAt));
    expect(starts).toHaveLength(REPEATS);
    starts.forEach((start, k) => expect(start).toBe(firstStart + k * (bulletin.body.audio.durationMs + gapSeconds * 1_000)));

    await waitForDeliveries(api, created.body.id, (rows) => rows.length === 3 * REPEATS && rows.every((r) => r.state === 'played'), {
      timeoutMs: 4_000 + REPEATS * (bulletin.body.audio.durationMs + 1_000) + 15_000,
      what: 'every repeat played on every receiver',
      agents,
    });

    const errors: number[] = [];
    const spreads: number[] = [];
    const byStart = new Map<number, number[]>();
    for (const agent of agents) {
      const plays = await agent.plays();
      expect(plays).toHaveLength(REPEATS);
      plays.forEach((play, k) => {
        expect(play.outcome).toBe('completed');
        const scheduled = starts[k]!;
        errors.push(Math.abs(play.systemTime - scheduled));
        byStart.set(scheduled, [...(byStart.get(scheduled) ?? []), play.systemTime]);
      });
    }
    for (const times of byStart.values()) spreads.push(Math.max(...times) - Math.min(...times));
    expect(Math.max(...errors)).toBeLessThanOrEqual(30);
    expect(Math.max(...spreads)).toBeLessThanOrEqual(30);

    await recordMeasurement('start-skew', { startErrorMs: percentiles(errors), spreadMs: percentiles(spreads), errors, spreads });
  });
});
