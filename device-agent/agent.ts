/**
 * DeviceAgent: one loudspeaker receiver. Wires the link (MQTT), the server clock, the audio cache
 * and downloader, the timeline, the player, the durable outbox and the persisted state:
 *
 *   broker ─▶ message (zod-validated) ─▶ state (persisted) ─▶ timeline ─▶ player
 *                                                                │
 *   broker ◀─ outbox (seq, on disk) ◀──────── events ◀───────────┘
 *
 * Every collaborator with a side effect is injected or built in start(), so a fleet simulator can
 * run thousands of agents in one process with a shared clock, a fake player and a fake transport.
 * The constructor only assigns.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  DEFAULT_TOPIC_ROOT,
  DEVICE_CHANNEL_FLAGS,
  commandSchema,
  createTopics,
  decodePayload,
  deviceConfigSchema,
  encodePayload,
  scheduleManifestSchema,
  serverStateSchema,
  type Command,
  type DeviceConfig,
  type PlayCommand,
  type ScheduleManifest,
  type Telemetry,
  type Topics,
} from '../protocol/index.js';
import { AudioCache } from './audio-cache.js';
import { SyncedClock, httpTimeFetcher, localClock, monotonicNow, type ServerClock, type TimeFetcher } from './clock.js';
import { createMqttTransport, type AgentTransport, type OutgoingMessage, type TransportFactory } from './connection.js';
import { DeviceState } from './device-state.js';
import { Downloader, type FetchLike } from './downloader.js';
import { Outbox, type PlaybackEventInput } from './outbox.js';
import { PinnedSignals } from './pinned-signals.js';
import { PreciseTimers, type Timers } from './precise-timer.js';
import type { Player } from './player/player.js';
import { CANCELLED_REASON, Timeline, type PlayStatus } from './timeline.js';
import { DEFAULT_CACHE_MAX_BYTES } from './config.js';
import { agentVersion } from './version.js';

export const DEFAULT_VOLUME = 80;
export const DEFAULT_HEARTBEAT_SECONDS = 30;
/** How long a handled stop/volume command id is remembered after it was issued. */
const CONTROL_COMMAND_TTL_MS = 24 * 3600_000;

export interface DeviceAgentOptions {
  readonly deviceId: string;
  readonly token: string;
  readonly brokerUrl: string;
  readonly dataDir: string;
  readonly topicRoot?: string;
  readonly cacheMaxBytes?: number;
  /** Overrides the config message's serverUrl for clock sync. */
  readonly serverUrl?: string;
  /** Until the config message says otherwise. */
  readonly heartbeatSeconds?: number;
  /** Base of the download retry backoff (doubles per attempt). */
  readonly downloadBackoffMs?: number;
  /** Simulated error of the receiver's own clock (tests, fleet simulation); only for the clock the agent builds, not an injected one. */
  readonly clockSkewMs?: number;
}

export interface DeviceAgentDeps {
  readonly logger: Logger;
  readonly player: Player;
  /**
   * The server clock; default: a SyncedClock using `fetchServerTime`. Pass the same one to a file
   * player. The agent starts it (start() must be idempotent) but stops only a clock it built itself,
   * so one clock can be shared by many agents (fleet simulator).
   */
  readonly clock?: ServerClock;
  /** Clock-sync request, used when `clock` is not given; default: HTTP GET <serverUrl>/api/time. */
  readonly fetchServerTime?: TimeFetcher;
  /** Builds the broker link; default: MQTT.js. */
  readonly transportFactory?: TransportFactory;
  /** Audio downloads; default: global fetch. */
  readonly fetchAudio?: FetchLike;
  /** Timers on the server clock; default: PreciseTimers (timer + setImmediate spin). */
  readonly timers?: Timers;
}

/** Everything start() builds; absent before start. */
interface Running {
  readonly clock: ServerClock;
  readonly timers: Timers;
  readonly state: DeviceState;
  readonly cache: AudioCache;
  readonly downloader: Downloader;
  readonly signals: PinnedSignals;
  readonly outbox: Outbox;
  readonly timeline: Timeline;
  readonly transport: AgentTransport;
  readonly startedAt: number;
  readonly ownsClock: boolean;
}

export interface AgentStatus {
  readonly connected: boolean;
  readonly volume: number;
  readonly onAir: string | null;
  readonly outboxPending: number;
  readonly clockOffsetMs: number;
  /** Largest round trip among the samples the last clock estimate used (its error bound is half); null before the first sync. */
  readonly clockRttMs: number | null;
  /** Samples answered in the last clock sync. */
  readonly clockSamples: number;
  readonly areaPath: readonly string[];
}

export class DeviceAgent {
  private readonly topics: Topics;
  private running: Running | undefined;
  private config: DeviceConfig | null = null;
  private volume = DEFAULT_VOLUME;
  private serverOnline: boolean | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private heartbeatSeconds: number;
  private stopping: Promise<void> | undefined;
  private log: Logger;

  constructor(
    private readonly options: DeviceAgentOptions,
    private readonly deps: DeviceAgentDeps,
  ) {
    this.log = deps.logger;
    this.topics = createTopics(options.topicRoot ?? DEFAULT_TOPIC_ROOT);
    this.heartbeatSeconds = options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS;
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  status(): AgentStatus {
    const running = this.running;
    return {
      connected: running?.transport.connected ?? false,
      volume: this.volume,
      onAir: running?.timeline.onAir?.broadcastId ?? null,
      outboxPending: running?.outbox.pendingCount ?? 0,
      clockOffsetMs: running?.clock.offsetMs ?? 0,
      clockRttMs: running?.clock.rttMs ?? null,
      clockSamples: running?.clock.samples ?? 0,
      areaPath: this.config?.areaPath ?? [],
    };
  }

  async start(): Promise<void> {
    if (this.running) throw new Error('agent already started');
    const { options, deps } = this;
    // Every line names the device, so one log stream can carry a whole simulated fleet.
    const logger = (this.log = deps.logger.child({ deviceId: options.deviceId }));
    await mkdir(options.dataDir, { recursive: true });

    const state = new DeviceState(path.join(options.dataDir, 'state.json'), logger);
    await state.load();
    const clock =
      deps.clock ??
      new SyncedClock({
        fetchTime: deps.fetchServerTime ?? httpTimeFetcher,
        logger,
        serverUrl: options.serverUrl,
        localNow: localClock(options.clockSkewMs),
      });
    state.prune(clock.now());

    const cache = new AudioCache({ dir: path.join(options.dataDir, 'cache'), maxBytes: options.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES, logger });
    await cache.open();
    const downloader = new Downloader({ cache, logger, fetch: deps.fetchAudio, backoffMs: options.downloadBackoffMs });

    const transport = (deps.transportFactory ?? createMqttTransport)({
      brokerUrl: options.brokerUrl,
      deviceId: options.deviceId,
      token: options.token,
      will: this.availability('offline'),
      logger,
    });
    const eventTopic = this.topics.device(options.deviceId, 'event');
    const outbox = new Outbox({
      dir: path.join(options.dataDir, 'outbox'),
      logger,
      publish: (event) => transport.publish(eventTopic, encodePayload(event), DEVICE_CHANNEL_FLAGS.event),
    });
    await outbox.open();

    const timers = deps.timers ?? new PreciseTimers(clock);
    const timeline = new Timeline({
      clock,
      timers,
      player: deps.player,
      audio: downloader,
      emit: (event) => this.emit(event),
      volume: () => this.volume,
      emergencyVolume: () => this.config?.emergencyVolume,
      logger,
      onStatus: (commandId, status) => this.track(commandId, status),
    });
    const signals = new PinnedSignals(downloader, logger);
    this.running = { clock, timers, state, cache, downloader, signals, outbox, timeline, transport, startedAt: monotonicNow(), ownsClock: !deps.clock };

    this.config = state.config;
    this.volume = state.volume ?? state.config?.volume ?? DEFAULT_VOLUME;
    if (this.config) this.heartbeatSeconds = this.config.heartbeatSeconds;
    const serverUrl = options.serverUrl ?? this.config?.serverUrl;
    if (serverUrl) clock.setServerUrl(serverUrl);
    clock.start();

    // From the persisted config: an emergency right after a restart, before the broker is back, still starts with its signal.
    signals.update(this.config?.signals ?? []);
    this.restorePlays();

    transport.setSubscriptions(this.subscriptions());
    transport.start({
      onConnect: () => this.onConnect(),
      onDisconnect: () => outbox.setOnline(false),
      onMessage: (topic, payload) => this.onMessage(topic, payload),
    });
    this.armHeartbeat();
    logger.info(
      { player: deps.player.name, version: agentVersion(), volume: this.volume, outboxPending: outbox.pendingCount },
      'device agent started',
    );
  }

  /** Clean stop: playback ends `interrupted`, pending events stay on disk, availability goes `offline`. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const running = this.running;
    if (!running) return;
    clearInterval(this.heartbeat);
    await running.timeline.close();
    running.signals.close();
    running.downloader.close();
    if (!this.deps.timers) running.timers.clear(); // injected timers may be shared: the timeline cancelled its own
    // Let the events of the stop reach the disk (and the broker, if it is there) before disconnecting.
    await running.outbox.close();
    await running.state.save().catch((error: unknown) => this.log.error({ err: error }, 'could not save state'));
    await running.transport.stop(this.availability('offline'));
    if (running.ownsClock) running.clock.stop();
    this.log.info({ outboxPending: running.outbox.pendingCount }, 'device agent stopped');
  }

  // ── link ────────────────────────────────────────────────────────────────────

  private onConnect(): void {
    const running = this.running!;
    const online = this.availability('online');
    running.transport.publish(online.topic, online.payload, online.flags).catch((error: unknown) => {
      this.log.debug({ err: error }, 'availability not published');
    });
    running.outbox.setOnline(true);
    // Retries a signal whose download failed (the retained config delivered again does so too).
    running.signals.update(this.config?.signals ?? []);
    // A reconnect may follow a long outage or a server restart: re-measure the clock.
    void running.clock.resync().then(() => this.sendTelemetry());
  }

  private availability(state: 'online' | 'offline'): OutgoingMessage {
    return {
      topic: this.topics.device(this.options.deviceId, 'availability'),
      payload: encodePayload({ state }),
      flags: DEVICE_CHANNEL_FLAGS.availability,
    };
  }

  /** Own config/schedule/command, the server's state, and the command topic of every area above us. */
  private subscriptions(): string[] {
    const { deviceId } = this.options;
    return [
      this.topics.device(deviceId, 'config'),
      this.topics.device(deviceId, 'schedule'),
      this.topics.device(deviceId, 'command'),
      this.topics.serverState(),
      ...(this.config?.areaPath ?? []).map((areaId) => this.topics.areaCommand(areaId)),
    ];
  }

  // ── inbound ─────────────────────────────────────────────────────────────────

  /** Never throws: an invalid message is logged with its topic and reason, and dropped. */
  private async onMessage(topic: string, payload: Buffer): Promise<void> {
    if (!this.running || this.stopping) return;
    const parsed = this.topics.parse(topic);
    try {
      if (parsed?.kind === 'serverState') {
        const message = this.decode(topic, serverStateSchema, payload);
        if (message) this.onServerState(message.state);
      } else if (parsed?.kind === 'device' && parsed.deviceId === this.options.deviceId) {
        if (parsed.channel === 'config') {
          const config = this.decode(topic, deviceConfigSchema, payload);
          if (config) await this.onConfig(config, topic);
        } else if (parsed.channel === 'schedule') {
          const manifest = this.decode(topic, scheduleManifestSchema, payload);
          if (manifest) await this.onManifest(manifest, topic);
        } else if (parsed.channel === 'command') {
          const command = this.decode(topic, commandSchema, payload);
          if (command) await this.onCommand(command, topic);
        } else {
          this.drop(topic, 'not a channel the agent reads');
        }
      } else if (parsed?.kind === 'areaCommand') {
        if (!this.config?.areaPath.includes(parsed.areaId)) {
          this.drop(topic, 'area is not in this device\'s area path');
          return;
        }
        const command = this.decode(topic, commandSchema, payload);
        if (command) await this.onCommand(command, topic);
      } else {
        this.drop(topic, 'unexpected topic');
      }
    } catch (error) {
      this.log.error({ topic, err: error }, 'failed to handle a message');
    }
  }

  private decode<S extends z.ZodType>(topic: string, schema: S, payload: Buffer): z.infer<S> | undefined {
    const result = decodePayload(schema, payload);
    if (!result.ok) {
      this.drop(topic, result.error);
      return undefined;
    }
    return result.value;
  }

  private drop(topic: string, reason: string): void {
    this.log.warn({ topic, reason }, 'dropped an invalid message');
  }

  private onServerState(state: 'online' | 'offline' | 'stopping'): void {
    const wasOnline = this.serverOnline;
    this.serverOnline = state === 'online';
    this.log.info({ serverState: state }, 'server state');
    // A (re)started server may run on another host clock: measure again.
    if (state === 'online' && wasOnline === false) void this.running?.clock.resync();
  }

  private async onConfig(config: DeviceConfig, topic: string): Promise<void> {
    if (config.deviceId !== this.options.deviceId) {
      this.drop(topic, `config is for device ${config.deviceId}`);
      return;
    }
    const running = this.running!;
    const previous = this.config;
    if (previous && config.revision < previous.revision) {
      this.log.debug({ revision: config.revision, current: previous.revision }, 'ignoring an older config');
      return;
    }
    const newer = !previous || config.revision > previous.revision;
    this.config = config;
    running.state.setConfig(config);
    if (newer) {
      // The config's volume is the server's setting at that revision; a volume command after it wins until the next one.
      this.volume = config.volume;
      running.state.setVolume(config.volume);
    }
    await running.state.save();
    running.clock.setServerUrl(this.options.serverUrl ?? config.serverUrl);
    running.transport.setSubscriptions(this.subscriptions());
    running.signals.update(config.signals ?? []);
    if (config.heartbeatSeconds !== this.heartbeatSeconds) {
      this.heartbeatSeconds = config.heartbeatSeconds;
      this.armHeartbeat();
    }
    if (newer) {
      this.log.info(
        {
          revision: config.revision,
          areaPath: config.areaPath,
          volume: this.volume,
          emergencyVolume: config.emergencyVolume ?? null,
          signals: (config.signals ?? []).map((signal) => signal.name),
          heartbeatSeconds: config.heartbeatSeconds,
        },
        'config applied',
      );
      // Report the applied settings now rather than at the next heartbeat, so the server's view is current.
      this.sendTelemetry();
    }
  }

  /**
   * The manifest lists every play the server still wants from this receiver, so it is authoritative
   * for cancellations: a play not started yet that a newer manifest leaves out was cancelled, if it
   * was issued before the manifest was built (one issued after it may just be missing from it). This
   * is how a receiver that was offline when an occurrence was cancelled learns it before startAt.
   * A preempted play waiting to start again is not cancelled this way: the server no longer lists it.
   */
  private async onManifest(manifest: ScheduleManifest, topic: string): Promise<void> {
    if (manifest.deviceId !== this.options.deviceId) {
      this.drop(topic, `schedule is for device ${manifest.deviceId}`);
      return;
    }
    const { state, timeline } = this.running!;
    const known = state.manifestVersion;
    if (known !== null && manifest.version < known) {
      this.log.debug({ version: manifest.version, current: known }, 'ignoring an older schedule manifest');
      return;
    }
    const listed = new Set(manifest.plays.map((play) => play.commandId));
    const cancelled =
      known === null || manifest.version > known
        ? state
            .unfinishedPlays()
            .filter(({ play, status }) => status === 'pending' && !listed.has(play.commandId) && play.issuedAt <= manifest.version)
            .map(({ play }) => play)
        : [];
    const fresh = manifest.plays.filter((play) => !state.hasCommand(play.commandId));
    for (const play of fresh) state.recordCommand(play.commandId, { status: 'pending', expiresAt: play.expiresAt, play });
    for (const play of cancelled) state.setStatus(play.commandId, 'done');
    state.setManifest(manifest.version, [...listed]);
    await state.save();
    for (const play of fresh) if (state.statusOf(play.commandId) === 'pending') timeline.schedule(play);
    for (const play of cancelled) this.cancel(play);
    this.log.info(
      { version: manifest.version, plays: manifest.plays.length, new: fresh.length, cancelled: cancelled.map((play) => play.commandId) },
      'schedule manifest applied',
    );
  }

  /** Reports a cancelled play `failed`/`cancelled`; its status is already `done` on disk. */
  private cancel(play: PlayCommand): void {
    const { timeline, clock } = this.running!;
    if (timeline.cancel(play.commandId, CANCELLED_REASON) || timeline.has(play.commandId)) return;
    this.emit({ type: 'failed', broadcastId: play.broadcastId, commandId: play.commandId, at: clock.now(), reason: CANCELLED_REASON });
  }

  private async onCommand(command: Command, topic: string): Promise<void> {
    const { state, timeline } = this.running!;
    if (state.hasCommand(command.commandId)) {
      this.log.debug({ commandId: command.commandId, topic }, 'duplicate command ignored');
      return;
    }
    switch (command.type) {
      case 'play':
        await this.acceptPlay(command);
        return;
      case 'stop': {
        state.recordCommand(command.commandId, { status: 'done', expiresAt: command.issuedAt + CONTROL_COMMAND_TTL_MS });
        await state.save();
        const stopped = timeline.stop(command.broadcastId);
        this.log.info({ commandId: command.commandId, broadcastId: command.broadcastId ?? null, stopped }, 'stop command');
        return;
      }
      case 'volume': {
        state.recordCommand(command.commandId, { status: 'done', expiresAt: command.issuedAt + CONTROL_COMMAND_TTL_MS });
        state.setVolume(command.volume);
        this.volume = command.volume;
        await state.save();
        this.log.info({ commandId: command.commandId, volume: command.volume }, 'volume set');
        this.sendTelemetry();
        return;
      }
    }
  }

  /** Persist first (so a restart + redelivery does not play twice), then put it on the timeline. */
  private async acceptPlay(play: PlayCommand): Promise<void> {
    const { state, timeline, clock } = this.running!;
    if (this.cancelledByManifest(play)) {
      // A command queued while offline can arrive after the retained manifest that already dropped it.
      state.recordCommand(play.commandId, { status: 'done', expiresAt: play.expiresAt });
      await state.save();
      this.log.info({ commandId: play.commandId, broadcastId: play.broadcastId, manifestVersion: state.manifestVersion }, 'play command cancelled by the schedule manifest');
      const at = clock.now();
      this.emit({ type: 'received', broadcastId: play.broadcastId, commandId: play.commandId, at });
      this.emit({ type: 'failed', broadcastId: play.broadcastId, commandId: play.commandId, at, reason: CANCELLED_REASON });
      return;
    }
    state.recordCommand(play.commandId, { status: 'pending', expiresAt: play.expiresAt, play });
    await state.save();
    // A transport other than MQTT.js may deliver concurrently: a manifest handled meanwhile may have cancelled it.
    if (state.statusOf(play.commandId) !== 'pending') return;
    this.log.info(
      { commandId: play.commandId, broadcastId: play.broadcastId, priority: play.priority, startAt: play.startAt, inMs: play.startAt - this.running!.clock.now() },
      'play command received',
    );
    timeline.schedule(play);
  }

  private cancelledByManifest(play: PlayCommand): boolean {
    const { state } = this.running!;
    const version = state.manifestVersion;
    const listed = state.manifestPlays;
    return version !== null && listed !== null && play.issuedAt <= version && !listed.includes(play.commandId);
  }

  /**
   * After a restart: plays not started, and preempted ones waiting to start again, go back on the
   * timeline; one cut off mid-air by the stop or crash is reported interrupted and never replayed.
   */
  private restorePlays(): void {
    const { state, timeline, clock } = this.running!;
    for (const { play, status } of state.unfinishedPlays()) {
      if (status === 'started') {
        this.track(play.commandId, 'done');
        this.emit({ type: 'finished', broadcastId: play.broadcastId, commandId: play.commandId, at: clock.now(), sha256: play.audio.sha256, outcome: 'interrupted' });
      } else {
        timeline.schedule(play, { announce: false, preempted: status === 'preempted' });
      }
    }
  }

  // ── outbound ────────────────────────────────────────────────────────────────

  /** The timeline's view of a play, persisted so a restart knows what to put back. */
  private track(commandId: string, status: PlayStatus): void {
    this.running?.state.setStatus(commandId, status);
    this.saveState();
  }

  private saveState(): void {
    this.running?.state.save().catch((error: unknown) => this.log.error({ err: error }, 'could not save state'));
  }

  private emit(event: PlaybackEventInput): void {
    const running = this.running;
    if (!running) return;
    running.outbox.append(event).then(
      (numbered) => this.log.debug({ seq: numbered.seq, type: numbered.type, commandId: numbered.commandId }, 'event queued'),
      (error: unknown) => this.log.error({ err: error, type: event.type, commandId: event.commandId }, 'could not queue an event'),
    );
  }

  private armHeartbeat(): void {
    clearInterval(this.heartbeat);
    if (!this.running || this.stopping) return;
    this.heartbeat = setInterval(() => this.sendTelemetry(), this.heartbeatSeconds * 1000);
  }

  private sendTelemetry(): void {
    const running = this.running;
    if (!running || !running.transport.connected || this.stopping) return;
    const cache = running.cache.stats();
    const telemetry: Telemetry = {
      at: running.clock.now(),
      volume: this.volume,
      uptimeSeconds: Math.round((monotonicNow() - running.startedAt) / 100) / 10,
      agentVersion: agentVersion(),
      cacheBytes: cache.bytes,
      cacheFiles: cache.files,
      clockOffsetMs: Math.round(running.clock.offsetMs * 10) / 10,
      playing: running.timeline.onAir?.broadcastId ?? null,
      outboxPending: running.outbox.pendingCount,
      formats: [...this.deps.player.formats],
    };
    running.transport
      .publish(this.topics.device(this.options.deviceId, 'telemetry'), encodePayload(telemetry), DEVICE_CHANNEL_FLAGS.telemetry)
      .catch(() => {});
  }
}
