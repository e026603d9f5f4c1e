/** DeviceAgent wiring without a broker or processes: fake transport, virtual time, fake player, fake fetch. */
import { createHash, randomBytes } from 'node:crypto';
import { access, cp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTopics,
  decodePayload,
  encodePayload,
  playbackEventSchema,
  telemetrySchema,
  type DeviceConfig,
  type PlaybackEvent,
  type PlayCommand,
  type PublishFlags,
  type SignalRef,
} from '../../../protocol/index.js';
import { DeviceAgent, type DeviceAgentOptions } from '../../../device-agent/agent.js';
import { monotonicNow, type ServerClock, type TimeFetcher } from '../../../device-agent/clock.js';
import type { AgentTransport, OutgoingMessage, TransportHandlers, TransportParams } from '../../../device-agent/connection.js';
import type { FetchLike } from '../../../device-agent/downloader.js';
import { FakePlayer, ManualTime, deferred, playCommand, silentLogger, tempDir, waitFor } from './helpers.js';

const topics = createTopics('loa');
const DEVICE = 'dev-1';

class FakeTransport implements AgentTransport {
  connected = false;
  handlers: TransportHandlers | undefined;
  subscriptions: string[] = [];
  readonly published: { topic: string; payload: Buffer; flags: PublishFlags }[] = [];
  stoppedWith: OutgoingMessage | undefined;
  constructor(readonly params: TransportParams) {}
  start(handlers: TransportHandlers): void {
    this.handlers = handlers;
  }
  connect(): void {
    this.connected = true;
    this.handlers!.onConnect();
  }
  disconnect(): void {
    this.connected = false;
    this.handlers!.onDisconnect();
  }
  setSubscriptions(filters: readonly string[]): void {
    this.subscriptions = [...filters];
  }
  publish(topic: string, payload: Buffer, flags: PublishFlags): Promise<void> {
    if (!this.connected) return Promise.reject(new Error('offline'));
    this.published.push({ topic, payload, flags });
    return Promise.resolve();
  }
  async stop(last?: OutgoingMessage): Promise<void> {
    this.stoppedWith = last;
    this.connected = false;
  }
  deliver(topic: string, body: unknown): Promise<void> {
    return this.handlers!.onMessage(topic, typeof body === 'string' ? Buffer.from(body) : encodePayload(body));
  }
  events(): PlaybackEvent[] {
    return this.published
      .filter((p) => p.topic === topics.device(DEVICE, 'event'))
      .map((p) => {
        const decoded = decodePayload(playbackEventSchema, p.payload);
        if (!decoded.ok) throw new Error(decoded.error);
        return decoded.value;
      });
  }
}

class ManualServerClock implements ServerClock {
  readonly offsetMs = 0;
  readonly rttMs = 0;
  readonly samples = 0;
  readonly synced = true;
  serverUrl: string | undefined;
  constructor(private readonly time: ManualTime) {}
  now(): number {
    return this.time.now();
  }
  setServerUrl(url: string): void {
    this.serverUrl = url;
  }
  resync(): Promise<void> {
    return Promise.resolve();
  }
  start(): void {}
  stop(): void {}
}

const audioBody = randomBytes(2_000);
const audioRef = {
  url: 'http://server.test/audio/news.mp3',
  sha256: createHash('sha256').update(audioBody).digest('hex'),
  bytes: audioBody.length,
  durationMs: 4_000,
  mime: 'audio/mpeg' as const,
};

describe('DeviceAgent', () => {
  let dataDir: string;
  let cleanup: () => Promise<void>;
  let time: ManualTime;
  let downloads: number;
  const agents: DeviceAgent[] = [];

  beforeEach(async () => {
    ({ dir: dataDir, cleanup } = await tempDir());
    time = new ManualTime();
    downloads = 0;
  });
  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.stop();
    await cleanup();
  });

  /** `realClock`: let the agent build its own SyncedClock (with `fetchServerTime`) instead of the manual one. */
  async function startAgent(extra: { options?: Partial<DeviceAgentOptions>; realClock?: boolean; fetchServerTime?: TimeFetcher; fetchAudio?: FetchLike } = {}) {
    let transport: FakeTransport | undefined;
    const player = new FakePlayer(time);
    const clock = new ManualServerClock(time);
    const agent = new DeviceAgent(
      { deviceId: DEVICE, token: 'tok', brokerUrl: 'mqtt://broker.test', dataDir, topicRoot: 'loa', ...extra.options },
      {
        logger: silentLogger,
        player,
        clock: extra.realClock ? undefined : clock,
        fetchServerTime: extra.fetchServerTime,
        timers: time,
        transportFactory: (params) => (transport = new FakeTransport(params)),
        fetchAudio:
          extra.fetchAudio ??
          (async () => {
            downloads++;
            return new Response(audioBody);
          }),
      },
    );
    agents.push(agent);
    await agent.start();
    transport!.connect();
    return { agent, transport: transport!, player, clock };
  }

  function config(overrides: Partial<DeviceConfig> = {}): DeviceConfig {
    return {
      deviceId: DEVICE,
      name: 'Loa 1',
      areaPath: ['province', 'commune'],
      volume: 70,
      timezone: 'Asia/Ho_Chi_Minh',
      heartbeatSeconds: 30,
      serverUrl: 'http://server.test',
      revision: 1,
      ...overrides,
    };
  }

  it('connects with a retained offline will, announces itself online, and subscribes to exactly its topics', async () => {
    const { transport } = await startAgent();
    expect(transport.params).toMatchObject({ deviceId: DEVICE, token: 'tok', will: { topic: 'loa/device/dev-1/availability', flags: { qos: 1, retain: true } } });
    expect(JSON.parse(transport.params.will.payload.toString())).toEqual({ state: 'offline' });
    const online = transport.published.find((p) => p.topic === 'loa/device/dev-1/availability');
    expect(online && JSON.parse(online.payload.toString())).toEqual({ state: 'online' });
    expect(online?.flags).toEqual({ qos: 1, retain: true });
    expect(transport.subscriptions.sort()).toEqual(['loa/device/dev-1/command', 'loa/device/dev-1/config', 'loa/device/dev-1/schedule', 'loa/server/state']);
  });

  it('follows the config: area subscriptions, volume, server URL, and ignores an older revision', async () => {
    const { agent, transport, clock } = await startAgent();
    await transport.deliver(topics.device(DEVICE, 'config'), config({ revision: 10 }));
    expect(transport.subscriptions).toEqual(expect.arrayContaining(['loa/area/province/command', 'loa/area/commune/command']));
    expect(agent.status().volume).toBe(70);
    expect(clock.serverUrl).toBe('http://server.test');

    await transport.deliver(topics.device(DEVICE, 'config'), config({ revision: 11, areaPath: ['province', 'other-commune'], volume: 55 }));
    expect(transport.subscriptions).toContain('loa/area/other-commune/command');
    expect(transport.subscriptions).not.toContain('loa/area/commune/command');
    expect(agent.status().volume).toBe(55);

    await transport.deliver(topics.device(DEVICE, 'config'), config({ revision: 9, areaPath: ['x'], volume: 1 }));
    expect(agent.status()).toMatchObject({ volume: 55, areaPath: ['province', 'other-commune'] });
  });

  it('plays a command and publishes received → downloaded → started → finished with increasing seq', async () => {
    const { transport, player } = await startAgent();
    const play = playCommand({ startAt: time.now() + 2_000, audio: audioRef });
    await transport.deliver(topics.device(DEVICE, 'command'), play);
    await waitFor(() => expect(transport.events().map((e) => e.type)).toEqual(['received', 'downloaded']));
    await time.advance(2_000);
    expect(player.plays[0]).toMatchObject({ broadcastId: play.broadcastId, startedAt: play.startAt });
    await time.advance(4_000);
    await waitFor(() => expect(transport.events().map((e) => e.type)).toEqual(['received', 'downloaded', 'started', 'finished']));
    const events = transport.events();
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(events[3]).toMatchObject({ outcome: 'completed', commandId: play.commandId, broadcastId: play.broadcastId });
  });

  it('drops invalid messages (bad JSON, bad schema, wrong device, unknown area) and keeps working', async () => {
    const { transport, player } = await startAgent();
    await transport.deliver(topics.device(DEVICE, 'config'), config());
    await transport.deliver(topics.device(DEVICE, 'command'), '{"type":"play",');
    await transport.deliver(topics.device(DEVICE, 'command'), { type: 'play', commandId: 'x' });
    await transport.deliver(topics.device(DEVICE, 'schedule'), { deviceId: 'someone-else', version: 1, plays: [] });
    await transport.deliver(topics.areaCommand('not-mine'), playCommand({ startAt: time.now(), audio: audioRef }));
    await transport.deliver('elsewhere/topic', {});
    expect(transport.events()).toEqual([]);
    const play = playCommand({ startAt: time.now() + 1_000, audio: audioRef });
    await transport.deliver(topics.areaCommand('commune'), play);
    await waitFor(() => expect(transport.events().map((e) => e.type)).toEqual(['received', 'downloaded']));
    await time.advance(1_000);
    expect(player.plays).toHaveLength(1);
  });

  it('applies volume commands, uses them for playback, and keeps them across a restart', async () => {
    const first = await startAgent();
    await first.transport.deliver(topics.device(DEVICE, 'command'), { type: 'volume', commandId: 'v1', volume: 35, issuedAt: time.now() });
    expect(first.agent.status().volume).toBe(35);
    await first.agent.stop();
    expect(first.transport.stoppedWith && JSON.parse(first.transport.stoppedWith.payload.toString())).toEqual({ state: 'offline' });

    const second = await startAgent();
    expect(second.agent.status().volume).toBe(35);
    await second.transport.deliver(topics.device(DEVICE, 'command'), playCommand({ startAt: time.now() + 1_000, audio: audioRef }));
    await waitFor(() => expect(second.transport.events().map((e) => e.type)).toContain('downloaded'));
    await time.advance(1_000);
    expect(second.player.plays[0]!.volume).toBe(35);
  });

  it('remembers handled commands across a restart: a redelivered play neither plays twice nor is forgotten', async () => {
    const play = playCommand({ startAt: time.now() + 10_000, audio: audioRef });
    const first = await startAgent();
    await first.transport.deliver(topics.device(DEVICE, 'command'), play);
    await waitFor(() => expect(first.transport.events().map((e) => e.type)).toEqual(['received', 'downloaded']));
    await first.agent.stop();

    const second = await startAgent();
    await second.transport.deliver(topics.device(DEVICE, 'command'), play); // redelivery
    await waitFor(() => expect(second.transport.events().map((e) => e.type)).toEqual(['downloaded']));
    expect(second.transport.events()[0]).toMatchObject({ seq: 2, fromCache: true });
    await time.advance(10_000);
    await time.advance(4_000);
    await waitFor(() => expect(second.transport.events().map((e) => e.type)).toEqual(['downloaded', 'started', 'finished']));
    expect(second.player.plays).toHaveLength(1);
    expect(downloads).toBe(1);

    await second.agent.stop();
    const third = await startAgent();
    await third.transport.deliver(topics.device(DEVICE, 'command'), play);
    await time.advance(20_000);
    expect(third.player.plays).toHaveLength(0);
    expect(third.transport.events()).toEqual([]);
  });

  it('keeps events produced offline and publishes them in order after reconnect', async () => {
    const { agent, transport } = await startAgent();
    const play = playCommand({ startAt: time.now() + 1_000, audio: audioRef });
    await transport.deliver(topics.device(DEVICE, 'command'), play);
    await waitFor(() => expect(transport.events()).toHaveLength(2));
    await time.advance(1_000);
    await waitFor(() => expect(transport.events()).toHaveLength(3));
    transport.disconnect();
    await time.advance(4_000); // finishes while offline
    await waitFor(() => expect(agent.status().outboxPending).toBe(1));
    expect(transport.events()).toHaveLength(3);
    transport.connect();
    await waitFor(() =>
      expect(transport.events().map((e) => [e.type, e.seq])).toEqual([
        ['received', 0],
        ['downloaded', 1],
        ['started', 2],
        ['finished', 3],
      ]),
    );
    await waitFor(() => expect(agent.status().outboxPending).toBe(0));
  });

  it('reports a play cut off by a stop, or by a crash, as interrupted and never replays it', async () => {
    const first = await startAgent();
    const play = playCommand({ startAt: time.now() + 1_000, audio: audioRef });
    await first.transport.deliver(topics.device(DEVICE, 'command'), play);
    await waitFor(() => expect(first.transport.events()).toHaveLength(2));
    await time.advance(1_000);
    await waitFor(() => expect(first.transport.events()).toHaveLength(3));
    // Snapshot of the data dir as a crash would leave it: the play marked started, not finished.
    const crashed = `${dataDir}-crashed`;
    await waitFor(async () => expect(await readFile(path.join(dataDir, 'state.json'), 'utf8')).toContain('"started"'));
    await waitFor(async () => expect((await readdir(path.join(dataDir, 'outbox'))).filter((n) => n.endsWith('.json'))).toEqual([]));
    await cp(dataDir, crashed, { recursive: true });

    await first.agent.stop();
    expect(first.player.plays[0]!.outcome).toBe('interrupted');
    expect(first.transport.events().at(-1)).toMatchObject({ type: 'finished', outcome: 'interrupted', seq: 3 });

    dataDir = crashed;
    const second = await startAgent();
    await waitFor(() => expect(second.transport.events()).toEqual([expect.objectContaining({ type: 'finished', outcome: 'interrupted', commandId: play.commandId, seq: 3 })]));
    await time.advance(10_000);
    expect(second.player.plays).toHaveLength(0);
    await second.agent.stop();
    await rm(crashed, { recursive: true, force: true });
  });

  it('handles the retained schedule manifest like commands and ignores an older version', async () => {
    const { transport, player } = await startAgent();
    const a = playCommand({ startAt: time.now() + 1_000, audio: audioRef, broadcastId: 'morning' });
    const b = playCommand({ startAt: time.now() + 20_000, audio: audioRef, broadcastId: 'noon' });
    await transport.deliver(topics.device(DEVICE, 'schedule'), { deviceId: DEVICE, version: 5, plays: [a] });
    await transport.deliver(topics.device(DEVICE, 'command'), a);
    await transport.deliver(topics.device(DEVICE, 'schedule'), { deviceId: DEVICE, version: 6, plays: [a, b] });
    await transport.deliver(topics.device(DEVICE, 'schedule'), { deviceId: DEVICE, version: 4, plays: [playCommand({ startAt: time.now() + 5_000, audio: audioRef, broadcastId: 'old' })] });
    await waitFor(() => expect(transport.events().filter((e) => e.type === 'downloaded')).toHaveLength(2));
    expect(transport.events().filter((e) => e.type === 'received').map((e) => e.broadcastId)).toEqual(['morning', 'noon']);
    await time.advance(30_000);
    expect(player.plays.map((p) => p.broadcastId)).toEqual(['morning', 'noon']);
  });

  const schedule = (version: number, plays: PlayCommand[]) => ({ deviceId: DEVICE, version, plays });
  const ofCommand = (transport: FakeTransport, commandId: string) => transport.events().filter((e) => e.commandId === commandId);

  it('cancels a pending play that a newer manifest leaves out, if it was issued before the manifest, and never plays it, even after a restart', async () => {
    const first = await startAgent();
    const version = time.now();
    const dropped = playCommand({ startAt: time.now() + 10_000, audio: audioRef, issuedAt: version - 60_000 });
    const listed = playCommand({ startAt: time.now() + 20_000, audio: audioRef, issuedAt: version - 60_000 });
    const issuedAfter = playCommand({ startAt: time.now() + 30_000, audio: audioRef, issuedAt: version + 1 });
    await first.transport.deliver(topics.device(DEVICE, 'schedule'), schedule(version - 120_000, []));
    for (const play of [dropped, listed, issuedAfter]) await first.transport.deliver(topics.device(DEVICE, 'command'), play);
    await waitFor(() => expect(first.transport.events().filter((e) => e.type === 'downloaded')).toHaveLength(3));

    await first.transport.deliver(topics.device(DEVICE, 'schedule'), schedule(version, [listed]));
    await waitFor(() => expect(ofCommand(first.transport, dropped.commandId).map((e) => e.type)).toEqual(['received', 'downloaded', 'failed']));
    expect(ofCommand(first.transport, dropped.commandId)[2]).toMatchObject({ reason: 'cancelled', broadcastId: dropped.broadcastId });
    expect(first.transport.events().filter((e) => e.type === 'failed')).toHaveLength(1); // issued after the manifest: kept
    expect(JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8')).commands[dropped.commandId]).toMatchObject({ status: 'done' });
    await first.agent.stop();

    const second = await startAgent();
    await second.transport.deliver(topics.device(DEVICE, 'command'), dropped); // redelivered: still cancelled
    await second.transport.deliver(topics.device(DEVICE, 'schedule'), schedule(version, [listed])); // retained, again
    await time.advance(40_000);
    expect(second.player.plays.map((p) => p.broadcastId)).toEqual([listed.broadcastId, issuedAfter.broadcastId]);
    await waitFor(() => expect(second.transport.events().filter((e) => e.type === 'finished')).toHaveLength(2));
    expect(ofCommand(second.transport, dropped.commandId)).toEqual([]);
  });

  it('cancels pending plays restored after a restart when the manifest that arrives on reconnect is newer and leaves them out', async () => {
    const play = playCommand({ startAt: time.now() + 10_000, audio: audioRef, issuedAt: time.now() - 1_000 });
    const first = await startAgent();
    await first.transport.deliver(topics.device(DEVICE, 'schedule'), schedule(time.now() - 2_000, []));
    await first.transport.deliver(topics.device(DEVICE, 'command'), play);
    await waitFor(() => expect(first.transport.events().map((e) => e.type)).toEqual(['received', 'downloaded']));
    await first.agent.stop();

    // Offline while the occurrence was cancelled; back before startAt.
    await time.advance(5_000);
    const second = await startAgent();
    await second.transport.deliver(topics.device(DEVICE, 'schedule'), schedule(time.now() - 1_000, []));
    await waitFor(() => expect(second.transport.events().map((e) => e.type)).toContain('failed'));
    expect(second.transport.events().find((e) => e.type === 'failed')).toMatchObject({ commandId: play.commandId, reason: 'cancelled' });
    await time.advance(20_000);
    expect(second.player.plays).toEqual([]);
  });

  it('cancels a play command that arrives after a manifest built later that does not list it (queued while offline), and no other', async () => {
    const first = await startAgent();
    const version = time.now();
    await first.transport.deliver(topics.device(DEVICE, 'schedule'), schedule(version, []));
    const stale = playCommand({ startAt: time.now() + 5_000, audio: audioRef, issuedAt: version - 30_000 });
    const fresh = playCommand({ startAt: time.now() + 5_000, audio: audioRef, issuedAt: version + 10 });
    await first.transport.deliver(topics.device(DEVICE, 'command'), stale);
    await first.transport.deliver(topics.device(DEVICE, 'command'), fresh);
    await waitFor(() => expect(ofCommand(first.transport, stale.commandId).map((e) => e.type)).toEqual(['received', 'failed']));
    expect(ofCommand(first.transport, stale.commandId)[1]).toMatchObject({ reason: 'cancelled' });
    await time.advance(5_000);
    expect(first.player.plays.map((p) => p.broadcastId)).toEqual([fresh.broadcastId]);
    await first.agent.stop();

    // The manifest's list is on disk: the rule still holds for a command first seen after a restart.
    const second = await startAgent();
    const alsoStale = playCommand({ startAt: time.now() + 5_000, audio: audioRef, issuedAt: version - 1 });
    await second.transport.deliver(topics.device(DEVICE, 'command'), alsoStale);
    await second.transport.deliver(topics.device(DEVICE, 'command'), stale);
    await waitFor(() => expect(ofCommand(second.transport, alsoStale.commandId).map((e) => e.type)).toEqual(['received', 'failed']));
    await time.advance(10_000);
    expect(second.player.plays).toEqual([]);
    expect(ofCommand(second.transport, stale.commandId)).toEqual([]);
  });

  it('a play command and a manifest that cancels it, delivered concurrently, never play it', async () => {
    const { transport, player } = await startAgent();
    const play = playCommand({ startAt: time.now() + 5_000, audio: audioRef, issuedAt: time.now() - 1_000 });
    await Promise.all([
      transport.deliver(topics.device(DEVICE, 'command'), play),
      transport.deliver(topics.device(DEVICE, 'schedule'), schedule(time.now(), [])),
    ]);
    await waitFor(() => expect(ofCommand(transport, play.commandId).map((e) => e.type)).toContain('failed'));
    await time.advance(10_000);
    expect(player.plays).toEqual([]);
    expect(ofCommand(transport, play.commandId).filter((e) => e.type === 'failed')).toEqual([expect.objectContaining({ reason: 'cancelled' })]);
  });

  it('restarts a preempted play from the beginning, also after an agent restart; a newer manifest without it does not cancel it', async () => {
    const first = await startAgent();
    const normal = playCommand({ startAt: time.now() + 1_000, audio: audioRef, expiresAt: time.now() + 60_000 });
    const emergency = playCommand({ startAt: time.now() + 2_000, audio: audioRef, priority: 'emergency' });
    await first.transport.deliver(topics.device(DEVICE, 'command'), normal);
    await first.transport.deliver(topics.device(DEVICE, 'command'), emergency);
    await waitFor(() => expect(first.transport.events().filter((e) => e.type === 'downloaded')).toHaveLength(2));
    await time.advance(2_000);
    await waitFor(() => expect(ofCommand(first.transport, normal.commandId).map((e) => e.type)).toEqual(['received', 'downloaded', 'started', 'preempted', 'finished']));
    // The server marks the delivery preempted and leaves it out of the next manifest.
    await first.transport.deliver(topics.device(DEVICE, 'schedule'), schedule(time.now(), [emergency]));
    await waitFor(async () => expect(JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8')).commands[normal.commandId]).toMatchObject({ status: 'preempted' }));
    await first.agent.stop(); // the emergency on air ends interrupted and is never replayed
    expect(ofCommand(first.transport, normal.commandId).map((e) => e.type)).not.toContain('failed');

    const second = await startAgent();
    const restartedAt = time.now();
    await waitFor(async () => {
      await time.advance(0); // the cached file is verified on real I/O first
      expect(second.player.plays).toEqual([expect.objectContaining({ broadcastId: normal.broadcastId, startedAt: restartedAt })]);
    });
    await time.advance(audioRef.durationMs);
    await waitFor(() => expect(ofCommand(second.transport, normal.commandId).map((e) => e.type)).toEqual(['downloaded', 'started', 'finished']));
    expect(ofCommand(second.transport, normal.commandId)[2]).toMatchObject({ outcome: 'completed' });
    const seqs = [...first.transport.events(), ...second.transport.events()].filter((e) => e.commandId === normal.commandId).map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(ofCommand(second.transport, emergency.commandId)).toEqual([]);
    expect(second.player.plays).toHaveLength(1);
  });

  it('a preempted play whose expiresAt passed while the agent was down stays preempted: no event after the restart', async () => {
    const first = await startAgent();
    const normal = playCommand({ startAt: time.now() + 1_000, audio: audioRef, expiresAt: time.now() + 10_000 });
    const emergency = playCommand({ startAt: time.now() + 2_000, audio: audioRef, priority: 'emergency' });
    await first.transport.deliver(topics.device(DEVICE, 'command'), normal);
    await first.transport.deliver(topics.device(DEVICE, 'command'), emergency);
    await waitFor(() => expect(first.transport.events().filter((e) => e.type === 'downloaded')).toHaveLength(2));
    await time.advance(2_000);
    await waitFor(() => expect(ofCommand(first.transport, normal.commandId).map((e) => e.type)).toContain('finished'));
    await first.agent.stop();

    await time.advance(60_000);
    const second = await startAgent();
    await time.advance(1_000);
    await waitFor(async () => expect(JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8')).commands[normal.commandId]).toMatchObject({ status: 'done' }));
    expect(second.transport.events()).toEqual([]);
    expect(second.player.plays).toEqual([]);
  });

  it('builds its clock on a local clock skewed by clockSkewMs, and clock sync measures the skew away', async () => {
    const requests: string[] = [];
    const { agent, transport } = await startAgent({
      realClock: true,
      options: { clockSkewMs: 400 },
      fetchServerTime: async (url) => {
        requests.push(url);
        return monotonicNow(); // the server's clock is the true time
      },
    });
    await transport.deliver(topics.device(DEVICE, 'config'), config());
    await waitFor(() => expect(agent.status().clockSamples).toBe(8));
    expect(requests.every((url) => url === 'http://server.test')).toBe(true);
    expect(Math.abs(agent.status().clockOffsetMs + 400)).toBeLessThan(5);
    expect(agent.status().clockRttMs).toEqual(expect.any(Number));
  });

  describe('attention signals and the emergency volume', () => {
    const signalBody = randomBytes(2_000);
    const storm: SignalRef = {
      name: 'storm',
      audio: { url: 'http://server.test/audio/storm.mp3', sha256: createHash('sha256').update(signalBody).digest('hex'), bytes: signalBody.length, durationMs: 3_000, mime: 'audio/mpeg' },
    };
    const otherBody = randomBytes(2_000);
    const otherRef = { ...audioRef, url: 'http://server.test/audio/other.mp3', sha256: createHash('sha256').update(otherBody).digest('hex') };
    const bodies = new Map([
      [audioRef.url, audioBody],
      [storm.audio.url, signalBody],
      [otherRef.url, otherBody],
    ]);
    let fetched: string[];
    beforeEach(() => {
      fetched = [];
    });
    const serve: FetchLike = async (url) => {
      fetched.push(url);
      return new Response(bodies.get(url) ?? null, { status: bodies.has(url) ? 200 : 404 });
    };
    const cached = (sha256: string) => access(path.join(dataDir, 'cache', sha256)).then(() => true, () => false);

    it('downloads the config\'s signals and keeps them pinned against eviction until a newer config drops them', async () => {
      // Room for one file: every commit evicts whatever is not pinned.
      const { transport } = await startAgent({ options: { cacheMaxBytes: 3_000 }, fetchAudio: serve });
      await transport.deliver(topics.device(DEVICE, 'config'), config({ signals: [storm] }));
      await waitFor(async () => expect(await cached(storm.audio.sha256)).toBe(true));

      const play = async (audio: typeof audioRef) => {
        const command = playCommand({ startAt: time.now() + 1_000, audio });
        await transport.deliver(topics.device(DEVICE, 'command'), command);
        await waitFor(() => expect(transport.events().filter((e) => e.commandId === command.commandId).map((e) => e.type)).toContain('downloaded'));
        await time.advance(1_000 + audio.durationMs);
        await waitFor(() => expect(transport.events().filter((e) => e.commandId === command.commandId).map((e) => e.type)).toContain('finished'));
      };
      await play(audioRef);
      await play(otherRef); // evicts the first play's file, not the pinned signal
      expect(await cached(audioRef.sha256)).toBe(false);
      expect(await cached(storm.audio.sha256)).toBe(true);

      await transport.deliver(topics.device(DEVICE, 'config'), config({ revision: 2, signals: [] }));
      await play(audioRef); // now the signal is fair game
      expect(await cached(storm.audio.sha256)).toBe(false);
      expect(fetched.filter((url) => url === storm.audio.url)).toHaveLength(1);
    });

    it('at start, downloads the signals of the config it kept, before any message from the broker', async () => {
      const first = await startAgent({ fetchAudio: serve });
      await first.transport.deliver(topics.device(DEVICE, 'config'), config({ signals: [storm] }));
      await waitFor(async () => expect(await cached(storm.audio.sha256)).toBe(true));
      await first.agent.stop();
      await rm(path.join(dataDir, 'cache'), { recursive: true, force: true });

      fetched = [];
      await startAgent({ fetchAudio: serve });
      await waitFor(async () => expect(await cached(storm.audio.sha256)).toBe(true));
      expect(fetched).toEqual([storm.audio.url]);
    });

    it('tries a signal whose download failed again on reconnect', async () => {
      let failing = true;
      const flaky: FetchLike = async (url) => {
        if (failing && url === storm.audio.url) {
          fetched.push(url);
          return new Response(null, { status: 503 });
        }
        return serve(url, { signal: new AbortController().signal });
      };
      const { transport } = await startAgent({ options: { downloadBackoffMs: 1 }, fetchAudio: flaky });
      await transport.deliver(topics.device(DEVICE, 'config'), config({ signals: [storm] }));
      await waitFor(() => expect(fetched).toHaveLength(3)); // the downloader's three attempts
      expect(await cached(storm.audio.sha256)).toBe(false);
      failing = false;
      // Reconnects until one comes after the failure was handled; a reconnect while the signal is held does nothing.
      await waitFor(async () => {
        transport.disconnect();
        transport.connect();
        expect(await cached(storm.audio.sha256)).toBe(true);
      });
      expect(fetched.filter((url) => url === storm.audio.url)).toHaveLength(4);
    });

    it('plays an emergency\'s signal from the cache at the emergency volume while its message downloads; other plays keep the normal volume', async () => {
      const message = deferred<void>();
      const gated: FetchLike = async (url, init) => {
        if (url === audioRef.url) await message.promise;
        return serve(url, init);
      };
      const { transport, player } = await startAgent({ fetchAudio: gated });
      await transport.deliver(topics.device(DEVICE, 'config'), config({ volume: 70, emergencyVolume: 95, signals: [storm] }));
      await waitFor(async () => expect(await cached(storm.audio.sha256)).toBe(true));

      const alert = playCommand({ startAt: time.now() + 1_000, priority: 'emergency', audio: audioRef, signal: storm, repeat: { count: 2, gapMs: 500 } });
      await transport.deliver(topics.areaCommand('commune'), alert);
      await waitFor(() => expect(transport.events().map((e) => e.type)).toEqual(['received']));
      // The signal was verified when it was cached in this process: it is ready within the turn, no disk read.
      await time.advance(1_000);
      await waitFor(() => expect(player.plays).toEqual([expect.objectContaining({ sha256: storm.audio.sha256, startedAt: alert.startAt, volume: 95 })]));
      await time.advance(3_500); // the signal ends at +3 000; the message is still downloading
      expect(player.plays).toHaveLength(1);
      message.resolve();
      await waitFor(async () => {
        await time.advance(0);
        expect(player.plays).toHaveLength(2);
      });
      expect(player.plays[1]).toMatchObject({ sha256: audioRef.sha256, startedAt: alert.startAt + 3_500, volume: 95 });
      await time.advance(audioRef.durationMs + 500 + audioRef.durationMs);
      await waitFor(() =>
        expect(transport.events().map((e) => (e.type === 'part' ? `part:${e.part}:${e.index}` : e.type))).toEqual([
          'received', 'started', 'part:signal:0', 'downloaded', 'part:message:0', 'part:message:1', 'finished',
        ]),
      );
      expect(player.plays.map((p) => [p.sha256, p.startedAt - alert.startAt, p.volume])).toEqual([
        [storm.audio.sha256, 0, 95],
        [audioRef.sha256, 3_500, 95],
        [audioRef.sha256, 3_500 + 4_000 + 500, 95],
      ]);

      const normal = playCommand({ startAt: time.now() + 1_000, audio: audioRef });
      await transport.deliver(topics.device(DEVICE, 'command'), normal);
      await waitFor(() => expect(transport.events().filter((e) => e.commandId === normal.commandId).map((e) => e.type)).toContain('downloaded'));
      await time.advance(1_000);
      expect(player.plays.at(-1)).toMatchObject({ broadcastId: normal.broadcastId, volume: 70 });
    });
  });

  it('publishes telemetry that matches the protocol schema', async () => {
    const { transport } = await startAgent();
    await waitFor(() => expect(transport.published.some((p) => p.topic === 'loa/device/dev-1/telemetry')).toBe(true));
    const message = transport.published.find((p) => p.topic === 'loa/device/dev-1/telemetry')!;
    expect(message.flags).toEqual({ qos: 0, retain: false });
    const decoded = decodePayload(telemetrySchema, message.payload);
    expect(decoded.ok).toBe(true);
    expect(decoded.ok && decoded.value).toMatchObject({ volume: 80, playing: null, outboxPending: 0, agentVersion: expect.any(String) });
  });
});
