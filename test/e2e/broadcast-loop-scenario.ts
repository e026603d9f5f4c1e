/**
 * The core loop, end to end, with real parts: server (database + broker + ffmpeg), three agent
 * processes with the file player, a Vietnamese bulletin broadcast to an area 3 s ahead.
 */
import path from 'node:path';
import { expect } from 'vitest';
import { measureLoudness } from '../../server/audio/loudness-normalizer.js';
import { ApiClient } from '../helpers/api-client.js';
import type { AgentProcess } from '../helpers/agent-process.js';
import { recordMeasurement } from '../helpers/measurements.js';
import { registerCommune, startAgents, waitForDeliveries, waitUntilOnline } from '../helpers/receiver-fleet.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TEST_ADMIN, type TestServer } from '../helpers/test-server.js';

export const VIETNAMESE_BULLETIN =
  'Thông báo của Ủy ban nhân dân xã. Do ảnh hưởng của mưa lớn, mực nước sông Đà đang lên nhanh. ' +
  'Đề nghị bà con không đi qua các ngầm tràn, không đánh bắt cá trên sông, và chủ động di chuyển tài sản lên nơi cao ráo. ' +
  'Các hộ gia đình ở ven suối cần theo dõi thông tin trên loa truyền thanh của xóm.';

export interface LoopResult {
  readonly startSkewMs: number;
  readonly maxStartErrorMs: number;
  readonly loudnessLufs: number;
}

/** How far apart the agent's two reads of its clock at a start may be (event time vs player time). */
const MAX_READ_GAP_MS = 3;

export async function runBroadcastLoop(server: TestServer, brokerUrl: string): Promise<LoopResult> {
  const api = new ApiClient(server.url);
  await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
  const work = await makeTempDir('cb-agents');
  let agents: AgentProcess[] = [];
  try {
    const commune = await registerCommune(api, work.path, 3);
    const devices = commune.receivers;
    agents = startAgents(devices, brokerUrl, server.topics.root);
    await waitUntilOnline(api, devices, agents);

    const bulletin = await api.post<{ id: string; audio: { sha256: string; url: string; durationMs: number } }>('/api/bulletins', {
      title: 'Cảnh báo mưa lũ',
      text: VIETNAMESE_BULLETIN,
    });
    expect(bulletin.status).toBe(201);

    const startAt = Date.now() + 3_000;
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { areaIds: [commune.communeId] },
      startAt: new Date(startAt).toISOString(),
    });
    expect(broadcast.status).toBe(201);

    const played = await waitForDeliveries(api, broadcast.body.id, (rows) => rows.length === 3 && rows.every((d) => d.state === 'played'), {
      what: 'three deliveries played',
      timeoutMs: 3_000 + bulletin.body.audio.durationMs + 15_000,
      agents,
    });
    expect(played.map((d) => d.deviceId).sort()).toEqual(devices.map((d) => d.id).sort());

    const starts: number[] = [];
    for (const agent of agents) {
      const plays = await agent.plays();
      expect(plays).toHaveLength(1);
      const [play] = plays;
      expect(play).toMatchObject({ broadcastId: broadcast.body.id, sha256: bulletin.body.audio.sha256, outcome: 'completed' });
      expect(Math.abs(play!.startedAt - startAt)).toBeLessThanOrEqual(50);
      starts.push(play!.startedAt);
    }

    // The server reports the same synchronisation from the receivers' `started` events, whose time the
    // agent reads a moment apart from the player's: a few milliseconds each on a loaded two-core
    // machine, and a spread compares two receivers' reads.
    const view = await api.get<{ occurrences: { startSync: { receivers: number; spreadMs: number; maxErrorMs: number } }[] }>(
      `/api/broadcasts/${broadcast.body.id}`,
    );
    const reported = view.body.occurrences[0]?.startSync;
    expect(reported?.receivers).toBe(3);
    expect(Math.abs(reported!.spreadMs - (Math.max(...starts) - Math.min(...starts)))).toBeLessThanOrEqual(MAX_READ_GAP_MS * 2);
    expect(Math.abs(reported!.maxErrorMs - Math.max(...starts.map((s) => Math.abs(s - startAt))))).toBeLessThanOrEqual(MAX_READ_GAP_MS);

    const stored = path.join(server.config.audio.dir, `${bulletin.body.audio.sha256}.mp3`);
    const loudness = await measureLoudness(stored);
    expect(loudness.integratedLufs).toBeGreaterThanOrEqual(-17);
    expect(loudness.integratedLufs).toBeLessThanOrEqual(-15);

    const result = {
      startSkewMs: Math.max(...starts) - Math.min(...starts),
      maxStartErrorMs: Math.max(...starts.map((s) => Math.abs(s - startAt))),
      loudnessLufs: loudness.integratedLufs,
    };
    await recordMeasurement('broadcast-loop', result);
    return result;
  } finally {
    await Promise.all(agents.map((agent) => agent.stop()));
    await work.remove();
  }
}
