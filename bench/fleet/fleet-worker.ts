/**
 * One process of the fleet: many simulated receivers, each a real DeviceAgent with its own MQTT
 * session and credentials, state, cache, outbox and (by default) clock; only the player is silent.
 * Driven by its parent (fleet.ts) over the IPC channel.
 */
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { DeviceAgent } from '../../device-agent/agent.js';
import { SyncedClock, httpTimeFetcher, localClock, type ServerClock } from '../../device-agent/clock.js';
import { createMqttTransport } from '../../device-agent/connection.js';
import { PreciseTimers } from '../../device-agent/precise-timer.js';
import type { FromWorker, ReceiverCredential, ReceiverPlay, ToWorker, WorkerSettings, WorkerStatus } from './fleet-messages.js';
import { ReceiverObserver } from './receiver-observer.js';
import { SilentPlayer } from './silent-player.js';

interface SimulatedReceiver {
  readonly agent: DeviceAgent;
  readonly observer: ReceiverObserver;
  readonly clock: ServerClock;
}

const receivers: SimulatedReceiver[] = [];
const player = new SilentPlayer();
let sharedClock: ServerClock | undefined;
let logger: Logger | undefined;
let starting: Promise<void> = Promise.resolve();
const inFlight = new Set<Promise<void>>();
/** Receivers starting at once in this process. */
const MAX_STARTING = 64;

function send(message: FromWorker): void {
  process.send?.(message);
}

function clockFor(settings: WorkerSettings, log: Logger): { clock: ServerClock; owned: boolean } {
  if (settings.clock === 'shared') {
    sharedClock ??= new SyncedClock({ fetchTime: httpTimeFetcher, logger: log, serverUrl: settings.serverUrl, localNow: localClock() });
    return { clock: sharedClock, owned: false };
  }
  return { clock: new SyncedClock({ fetchTime: httpTimeFetcher, logger: log, serverUrl: settings.serverUrl, localNow: localClock() }), owned: true };
}

async function add(settings: WorkerSettings, credentials: readonly ReceiverCredential[]): Promise<void> {
  const log = (logger ??= pino({ level: settings.logLevel, base: { fleetPid: process.pid } }, pino.destination(2)));
  const pauseMs = 1000 / Math.max(1, settings.startPerSecond);
  for (const credential of credentials) {
    const observer = new ReceiverObserver();
    const { clock } = clockFor(settings, log);
    const agent = new DeviceAgent(
      {
        deviceId: credential.id,
        token: credential.token,
        brokerUrl: settings.brokerUrl,
        dataDir: path.join(settings.dataDir, credential.id),
        topicRoot: settings.topicRoot,
        serverUrl: settings.serverUrl,
      },
      {
        logger: log,
        player,
        clock,
        timers: observer.observeTimers(new PreciseTimers(clock)),
        transportFactory: observer.observeTransport(createMqttTransport),
      },
    );
    receivers.push({ agent, observer, clock });
    // Starting reads and writes the receiver's folder: overlap those, at the configured pace.
    while (inFlight.size >= MAX_STARTING) await Promise.race(inFlight);
    const starting = agent.start().finally(() => inFlight.delete(starting));
    inFlight.add(starting);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  await Promise.all(inFlight);
}

function collect(broadcastId: string, startAt: number | undefined): ReceiverPlay[] {
  const plays: ReceiverPlay[] = [];
  for (const { agent, observer } of receivers) {
    const record = observer.record(broadcastId);
    const fired = startAt === undefined ? undefined : observer.firedAt(startAt);
    if (record || fired !== undefined) plays.push({ deviceId: agent.deviceId, ...record, ...(fired === undefined ? {} : { startTimerFiredAt: fired }) });
  }
  return plays;
}

/** Every receiver measures its clock again, `perSecond` at a time, as they do on their own every few minutes. */
async function resync(perSecond: number): Promise<void> {
  await starting.catch(() => undefined);
  const clocks = [...new Set(receivers.map(({ clock }) => clock))];
  const syncs: Promise<void>[] = [];
  for (const clock of clocks) {
    syncs.push(clock.resync());
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
  }
  await Promise.all(syncs);
}

function status(): WorkerStatus {
  let connected = 0;
  let eventsPublished = 0;
  let clocksSynced = 0;
  for (const { agent, observer, clock } of receivers) {
    if (agent.status().connected) connected++;
    if (clock.synced) clocksSynced++;
    eventsPublished += observer.eventsPublished;
  }
  return { started: receivers.length, connected, eventsPublished, clocksSynced, rssBytes: process.memoryUsage.rss() };
}

async function stop(): Promise<void> {
  await starting.catch(() => undefined);
  await Promise.all(receivers.map(({ agent }) => agent.stop().catch(() => undefined)));
  for (const { clock } of receivers) clock.stop();
  send({ type: 'stopped' });
  process.exit(0);
}

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'add':
      starting = starting
        .then(() => add(message.settings, message.receivers))
        .catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
      return;
    case 'collect':
      send({ type: 'collected', requestId: message.requestId, plays: collect(message.broadcastId, message.startAt) });
      return;
    case 'status':
      send({ type: 'status', requestId: message.requestId, status: status() });
      return;
    case 'resync':
      void resync(message.perSecond).then(() => send({ type: 'resynced', requestId: message.requestId }));
      return;
    case 'stop':
      void stop();
      return;
  }
});
// The parent went away: do not linger as an orphan holding thousands of broker sessions.
process.on('disconnect', () => void stop());
