/**
 * The device agent as a real process against an in-test aedes broker and HTTP server: synchronous
 * start, event order, corrupt downloads, area commands, the durable outbox through a broker outage
 * and through an agent restart, idempotent redelivery, clean stop, WebSocket and bad credentials.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioRef, DeviceConfig, PlayCommand, PlaybackEvent } from '../../../protocol/index.js';
import {
  audioRef,
  eventually,
  makeMp3,
  sleep,
  spawnAgent,
  startAudioServer,
  startBroker,
  type AgentProcess,
  type AudioServer,
  type Published,
  type TestBroker,
} from './harness.js';

const DEVICE = 'dev-int-1';
const TOKEN = 'int-secret-token-0123456789';
const AREAS = ['province-1', 'commune-7'];
const ROOT = 'loa';

interface FileLine {
  broadcastId: string;
  sha256: string;
  startedAt: number;
  systemTime: number;
  endedAt: number;
  outcome: 'completed' | 'interrupted';
}

describe('device agent process', () => {
  let dir: string;
  let playsFile: string;
  let dataDir: string;
  let http: AudioServer;
  let broker: TestBroker;
  let agent: AgentProcess;
  const log: Published[] = [];
  let short: AudioRef;
  let long: AudioRef;
  /** A real file's ref, but its URL serves other bytes of the same length. */
  let corrupt: AudioRef;
  let commandSeq = 0;

  const config = (): DeviceConfig => ({
    deviceId: DEVICE,
    name: 'Loa xã 7',
    areaPath: AREAS,
    volume: 70,
    timezone: 'Asia/Ho_Chi_Minh',
    heartbeatSeconds: 5,
    serverUrl: http.url,
    revision: 1_700_000_000_000,
  });

  async function bringUpBroker(port?: number) {
    broker = await startBroker({ port, devices: { [DEVICE]: TOKEN }, areaPaths: { [DEVICE]: AREAS }, root: ROOT, log });
    await broker.publish(`${ROOT}/server/state`, { state: 'online' }, true);
    await broker.publish(`${ROOT}/device/${DEVICE}/config`, config(), true);
  }

  function launchAgent(): AgentProcess {
    return spawnAgent([
      '--broker-url', `mqtt://127.0.0.1:${broker.port}`,
      '--device-id', DEVICE,
      '--player', `file:${playsFile}`,
      '--data-dir', dataDir,
      '--server-url', http.url,
    ], { AGENT_TOKEN: TOKEN });
  }

  /** Events by seq, deduplicated as the server does (a replay may deliver one twice). */
  function events(commandId?: string): PlaybackEvent[] {
    const bySeq = new Map<number, PlaybackEvent>();
    for (const entry of log) {
      if (entry.topic !== `${ROOT}/device/${DEVICE}/event`) continue;
      const event = entry.payload as PlaybackEvent;
      bySeq.set(event.seq, event);
    }
    return [...bySeq.values()].filter((e) => !commandId || e.commandId === commandId).sort((a, b) => a.seq - b.seq);
  }

  /** Waits for the command's first event of this type. */
  function eventOf<T extends PlaybackEvent['type']>(commandId: string, type: T, timeoutMs: number): Promise<Extract<PlaybackEvent, { type: T }>> {
    return eventually(() => {
      const found = events(commandId).find((e) => e.type === type);
      expect(found).toBeDefined();
      return found as Extract<PlaybackEvent, { type: T }>;
    }, timeoutMs);
  }

  async function lines(): Promise<FileLine[]> {
    const text = await readFile(playsFile, 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as FileLine);
  }

  async function pendingOutboxFiles(): Promise<string[]> {
    return (await readdir(path.join(dataDir, 'outbox')).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));
  }

  function play(audio: AudioRef, leadMs = 1_500, overrides: Partial<PlayCommand> = {}): PlayCommand {
    commandSeq++;
    const startAt = Date.now() + leadMs;
    return {
      type: 'play',
      commandId: `cmd-${commandSeq}`,
      broadcastId: `bc-${commandSeq}`,
      priority: 'normal',
      audio,
      startAt,
      expiresAt: startAt + 60_000,
      issuedAt: Date.now(),
      ...overrides,
    };
  }

  const commandTopic = `${ROOT}/device/${DEVICE}/command`;

  function availability(): unknown[] {
    return log.filter((p) => p.topic === `${ROOT}/device/${DEVICE}/availability`).map((p) => p.payload);
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'agent-int-'));
    playsFile = path.join(dir, 'plays.jsonl');
    dataDir = path.join(dir, 'data');
    http = await startAudioServer();
    const shortMp3 = await makeMp3(path.join(dir, 'short.mp3'), 1);
    const longMp3 = await makeMp3(path.join(dir, 'long.mp3'), 3, 660);
    http.serve('short.mp3', shortMp3);
    http.serve('long.mp3', longMp3);
    const otherMp3 = await makeMp3(path.join(dir, 'other.mp3'), 1, 880);
    // Same length as the real file, different bytes: only the sha256 check can catch it.
    http.serve('corrupt.mp3', randomBytes(otherMp3.length));
    corrupt = audioRef(`${http.url}/audio/corrupt.mp3`, otherMp3, 1_000);
    short = audioRef(`${http.url}/audio/short.mp3`, shortMp3, 1_000);
    long = audioRef(`${http.url}/audio/long.mp3`, longMp3, 3_000);
    await bringUpBroker();
    agent = launchAgent();
    // Connected, announced, config applied (the area subscriptions only follow the config).
    await eventually(() => {
      expect(availability()).toContainEqual({ state: 'online' });
      expect([...(broker.subscriptions.get(DEVICE) ?? [])].sort()).toEqual(
        [
          `${ROOT}/area/commune-7/command`,
          `${ROOT}/area/province-1/command`,
          `${ROOT}/device/${DEVICE}/command`,
          `${ROOT}/device/${DEVICE}/config`,
          `${ROOT}/device/${DEVICE}/schedule`,
          `${ROOT}/server/state`,
        ].sort(),
      );
    }, 15_000);
  }, 30_000);

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await broker?.close();
    await http?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('drops invalid commands, then plays on time and reports received → downloaded → started → finished', async () => {
    await broker.publish(commandTopic, '{"type":"play",');
    await broker.publish(commandTopic, { type: 'play', commandId: 'bad-1', broadcastId: 'x' });
    const command = play(short);
    await broker.publish(commandTopic, command);

    await eventually(() => expect(events(command.commandId).map((e) => e.type)).toEqual(['received', 'downloaded', 'started', 'finished']), 10_000);
    const reported = events(command.commandId);
    for (let i = 1; i < reported.length; i++) expect(reported[i]!.seq).toBeGreaterThan(reported[i - 1]!.seq);
    expect(reported[1]).toMatchObject({ type: 'downloaded', sha256: short.sha256, fromCache: false });
    expect(reported[3]).toMatchObject({ type: 'finished', outcome: 'completed', broadcastId: command.broadcastId });
    expect(Math.abs(reported[2]!.at - command.startAt)).toBeLessThan(50);

    const played = await eventually(async () => {
      const all = await lines();
      expect(all).toHaveLength(1);
      return all[0]!;
    });
    expect(played).toMatchObject({ broadcastId: command.broadcastId, sha256: short.sha256, outcome: 'completed' });
    expect(Math.abs(played.startedAt - command.startAt)).toBeLessThan(50);
    expect(Math.abs(played.systemTime - command.startAt)).toBeLessThan(50); // no skew here: the OS clock agrees
    expect(played.endedAt - played.startedAt).toBeGreaterThanOrEqual(950);
    expect(played.endedAt - played.startedAt).toBeLessThan(1_500);

    const dropped = agent.logs.filter((l) => l.msg === 'dropped an invalid message' && l.topic === commandTopic);
    expect(dropped).toHaveLength(2);
    expect(dropped.every((l) => l.level === 40 && typeof l.reason === 'string')).toBe(true);
    expect(events('bad-1')).toEqual([]);
  }, 20_000);

  it('refuses a corrupt download after three attempts and never plays it', async () => {
    const before = (await lines()).length;
    const command = play(corrupt);
    await broker.publish(commandTopic, command);
    const failed = await eventOf(command.commandId, 'failed', 15_000);
    expect(failed.reason).toMatch(/^sha256 mismatch: expected [0-9a-f]{64}, got [0-9a-f]{64} \(3 attempts\)$/);
    expect(http.hits.get('/audio/corrupt.mp3')).toBe(3);
    expect(events(command.commandId).map((e) => e.type)).toEqual(['received', 'failed']);
    await sleep(Math.max(0, command.startAt + 300 - Date.now()));
    expect(await lines()).toHaveLength(before);
  }, 20_000);

  it('plays a command sent to one of its areas, from the cache', async () => {
    const command = play(short, 1_000);
    await broker.publish(`${ROOT}/area/commune-7/command`, command);
    await eventually(() => expect(events(command.commandId).map((e) => e.type)).toEqual(['received', 'downloaded', 'started', 'finished']), 10_000);
    expect(events(command.commandId)[1]).toMatchObject({ type: 'downloaded', fromCache: true });
    expect(http.hits.get('/audio/short.mp3')).toBe(1);
    expect(broker.refusedSubscriptions).toEqual([]);
  }, 15_000);

  it('keeps events through a broker outage and delivers them, in order, after reconnecting', async () => {
    const command = play(long);
    await broker.publish(commandTopic, command);
    const started = await eventOf(command.commandId, 'started', 10_000);
    const port = broker.port;
    await broker.close();

    // Playback goes on without the broker; the finished event waits on disk.
    await eventually(async () => expect((await lines()).find((l) => l.broadcastId === command.broadcastId)?.outcome).toBe('completed'), 10_000);
    await eventually(async () => expect((await pendingOutboxFiles()).length).toBeGreaterThanOrEqual(1), 3_000);
    expect(events(command.commandId).map((e) => e.type)).not.toContain('finished');

    await bringUpBroker(port);
    const finished = await eventOf(command.commandId, 'finished', 20_000);
    expect(finished).toMatchObject({ outcome: 'completed', sha256: long.sha256 });
    expect(finished.seq).toBeGreaterThan(started.seq);
    await eventually(async () => expect(await pendingOutboxFiles()).toEqual([]), 5_000);
    await eventually(() => expect(availability().at(-1)).toEqual({ state: 'online' }), 5_000);
  }, 45_000);

  it('keeps events through an agent restart, and a redelivered command does not play twice', async () => {
    const command = play(long);
    await broker.publish(commandTopic, command);
    const started = await eventOf(command.commandId, 'started', 10_000);
    const port = broker.port;
    await broker.close();
    expect(await agent.stop('SIGTERM')).toBe(0);
    expect((await lines()).find((l) => l.broadcastId === command.broadcastId)?.outcome).toBe('interrupted');
    expect((await pendingOutboxFiles()).length).toBeGreaterThanOrEqual(1);

    await bringUpBroker(port);
    agent = launchAgent();
    const finished = await eventOf(command.commandId, 'finished', 20_000);
    expect(finished).toMatchObject({ outcome: 'interrupted' });
    expect(finished.seq).toBeGreaterThan(started.seq);

    // Redelivery of commands this receiver has handled: nothing new happens.
    const linesBefore = (await lines()).length;
    const eventsBefore = events().length;
    const first = events().find((e) => e.type === 'received')!;
    await broker.publish(commandTopic, { ...command });
    await broker.publish(commandTopic, play(short, 500, { commandId: first.commandId, broadcastId: first.broadcastId }));
    await sleep(1_500);
    expect(events().length).toBe(eventsBefore);
    expect((await lines()).length).toBe(linesBefore);
    expect(agent.output()).not.toContain(TOKEN);
  }, 45_000);

  it('announces offline on a clean stop', async () => {
    expect(await agent.stop('SIGTERM')).toBe(0);
    await eventually(() => expect(availability().at(-1)).toEqual({ state: 'offline' }), 5_000);
    expect(agent.logs.some((l) => l.msg === 'device agent stopped')).toBe(true);
  }, 15_000);
});

describe('device agent links', () => {
  it('connects over WebSocket, and logs a clear error but keeps retrying on bad credentials', async () => {
    const log: Published[] = [];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'agent-ws-'));
    const broker = await startBroker({ devices: { 'dev-ws': 'right-token' }, log, webSocket: true });
    const good = spawnAgent(['--broker-url', broker.wsUrl!, '--device-id', 'dev-ws', '--token', 'right-token', '--player', `file:${dir}/p.jsonl`, '--data-dir', `${dir}/ok`]);
    const bad = spawnAgent([`--broker-url=mqtt://127.0.0.1:${broker.port}`, '--device-id', 'dev-ws-2', '--player', `file:${dir}/q.jsonl`, '--data-dir', `${dir}/bad`], {
      AGENT_TOKEN: 'wrong-token-value',
    });
    try {
      await eventually(() => expect(log).toContainEqual(expect.objectContaining({ topic: 'loa/device/dev-ws/availability', payload: { state: 'online' } })), 15_000);
      await eventually(() => {
        const refused = bad.logs.filter((l) => l.level === 50 && String(l.msg).includes('bad device credentials'));
        expect(refused.length).toBeGreaterThanOrEqual(2); // it tried again
      }, 15_000);
      expect(bad.output()).not.toContain('wrong-token-value');
      expect(bad.child.exitCode).toBeNull();
    } finally {
      await Promise.all([good.stop(), bad.stop()]);
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
