/**
 * When a real agent process starts playing, measured on the OS clock: an agent whose own clock is
 * 400 ms fast (`--clock-skew-ms 400`) still starts at the true startAt, because clock sync measures
 * the error away; and a long download for a later play does not delay an earlier one.
 * The HTTP server's /api/time is Date.now(), so server time is the true time here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioRef, DeviceConfig, PlayCommand, PlaybackEvent, Telemetry } from '../../../protocol/index.js';
import {
  audioRef,
  eventually,
  makeMp3,
  spawnAgent,
  startAudioServer,
  startBroker,
  type AgentProcess,
  type AudioServer,
  type Published,
  type TestBroker,
} from './harness.js';

const DEVICE = 'dev-skew-1';
const TOKEN = 'skew-secret-token-0123456789';
const ROOT = 'loa';
const SKEW_MS = 400;
/** Speakers within earshot must start within ~40 ms of each other (DESIGN.md); each may use 30 of it. */
const TOLERANCE_MS = 30;

interface FileLine {
  broadcastId: string;
  startedAt: number;
  systemTime: number;
  endedAt: number;
  outcome: 'completed' | 'interrupted';
}

describe('agent start time on the true clock', () => {
  let dir: string;
  let playsFile: string;
  let http: AudioServer;
  let broker: TestBroker;
  let agent: AgentProcess;
  const log: Published[] = [];
  let short: AudioRef;
  let other: AudioRef;
  let big: AudioRef;
  let seq = 0;

  function play(audio: AudioRef, leadMs: number): PlayCommand {
    seq++;
    const startAt = Date.now() + leadMs;
    return {
      type: 'play',
      commandId: `skew-cmd-${seq}`,
      broadcastId: `skew-bc-${seq}`,
      priority: 'normal',
      audio,
      startAt,
      expiresAt: startAt + 60_000,
      issuedAt: Date.now(),
    };
  }

  function published<T>(channel: string): T[] {
    return log.filter((p) => p.topic === `${ROOT}/device/${DEVICE}/${channel}`).map((p) => p.payload as T);
  }

  function events(commandId: string): PlaybackEvent[] {
    const bySeq = new Map<number, PlaybackEvent>();
    for (const event of published<PlaybackEvent>('event')) if (event.commandId === commandId) bySeq.set(event.seq, event);
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  async function lineOf(broadcastId: string): Promise<FileLine> {
    return eventually(async () => {
      const text = await readFile(playsFile, 'utf8').catch(() => '');
      const line = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as FileLine).find((l) => l.broadcastId === broadcastId);
      expect(line).toBeDefined();
      return line!;
    }, 10_000);
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'agent-skew-'));
    playsFile = path.join(dir, 'plays.jsonl');
    http = await startAudioServer();
    const shortMp3 = await makeMp3(path.join(dir, 'short.mp3'), 1);
    const otherMp3 = await makeMp3(path.join(dir, 'other.mp3'), 1, 550);
    http.serve('short.mp3', shortMp3);
    http.serve('other.mp3', otherMp3);
    short = audioRef(`${http.url}/audio/short.mp3`, shortMp3, 1_000);
    other = audioRef(`${http.url}/audio/other.mp3`, otherMp3, 1_000);
    // 512 KB at 32 KB per 100 ms: about 1.6 s on the wire, every chunk a turn of the agent's event loop.
    const bigBody = randomBytes(512 * 1024);
    http.serve('big.mp3', bigBody, { chunkBytes: 32 * 1024, intervalMs: 100 });
    big = audioRef(`${http.url}/audio/big.mp3`, bigBody, 1_000);

    broker = await startBroker({ devices: { [DEVICE]: TOKEN }, root: ROOT, log });
    const config: DeviceConfig = {
      deviceId: DEVICE,
      name: 'Loa lệch giờ',
      areaPath: ['commune-9'],
      volume: 70,
      timezone: 'Asia/Ho_Chi_Minh',
      heartbeatSeconds: 5,
      serverUrl: http.url,
      revision: 1,
    };
    await broker.publish(`${ROOT}/device/${DEVICE}/config`, config, true);
    agent = spawnAgent(
      [
        '--broker-url', `mqtt://127.0.0.1:${broker.port}`,
        '--device-id', DEVICE,
        '--player', `file:${playsFile}`,
        '--data-dir', path.join(dir, 'data'),
        '--server-url', http.url,
        '--clock-skew-ms', String(SKEW_MS),
      ],
      { AGENT_TOKEN: TOKEN },
    );
    // Synced: the telemetry sent after the sync on connect reports the measured offset (server − local).
    await eventually(() => {
      const synced = published<Telemetry>('telemetry').filter((t) => Math.abs(t.clockOffsetMs + SKEW_MS) < 5);
      expect(synced.length).toBeGreaterThan(0);
    }, 15_000);
  }, 30_000);

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await broker?.close();
    await http?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('measures its 400 ms clock error and plays at the true startAt', async () => {
    // stdout and the broker link are separate channels: the log line may come after the telemetry.
    const synced = await eventually(() => {
      const line = agent.logs.filter((l) => l.msg === 'clock synced').at(-1);
      expect(line).toMatchObject({ samples: 8, used: 4 });
      return line!;
    }, 5_000);
    expect(Math.abs((synced.offsetMs as number) + SKEW_MS)).toBeLessThan(5);
    expect(agent.logs.some((l) => String(l.msg).startsWith('simulated clock error') && l.clockSkewMs === SKEW_MS)).toBe(true);

    const command = play(short, 1_500);
    await broker.publish(`${ROOT}/device/${DEVICE}/command`, command);
    const line = await lineOf(command.broadcastId);
    // Without the sync it would start 400 ms early (its own clock says startAt 400 ms before it is).
    expect(Math.abs(line.systemTime - command.startAt)).toBeLessThan(TOLERANCE_MS);
    expect(Math.abs(line.startedAt - command.startAt)).toBeLessThan(TOLERANCE_MS);
    expect(line.outcome).toBe('completed');
    await eventually(() => expect(events(command.commandId).map((e) => e.type)).toEqual(['received', 'downloaded', 'started', 'finished']), 5_000);
    expect(Math.abs(events(command.commandId)[2]!.at - command.startAt)).toBeLessThan(TOLERANCE_MS);
  }, 20_000);

  it('starts an earlier play on time while a long download for a later play is still running', async () => {
    const later = play(big, 2_800);
    const earlier = play(other, 1_000);
    await broker.publish(`${ROOT}/device/${DEVICE}/command`, later); // its download starts first
    await broker.publish(`${ROOT}/device/${DEVICE}/command`, earlier);

    const first = await lineOf(earlier.broadcastId);
    expect(Math.abs(first.systemTime - earlier.startAt)).toBeLessThan(TOLERANCE_MS);
    const bigDone = await eventually(() => {
      const at = http.completed.get('/audio/big.mp3');
      expect(at).toBeDefined();
      return at!;
    }, 10_000);
    expect(bigDone).toBeGreaterThan(first.systemTime + 200); // the big download really was still going

    const second = await lineOf(later.broadcastId);
    expect(Math.abs(second.systemTime - later.startAt)).toBeLessThan(TOLERANCE_MS);
    expect(events(later.commandId).map((e) => e.type)).toContain('downloaded');
  }, 20_000);
});
