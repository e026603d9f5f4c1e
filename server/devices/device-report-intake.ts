/**
 * Takes in what receivers publish (availability, playback events, telemetry), validates it
 * against the protocol schemas, and writes it in batches. A message that fails its schema is
 * logged and dropped; it never reaches the database or crashes anything.
 */
import type { Logger } from 'pino';
import {
  availabilitySchema,
  decodePayload,
  MAX_DEVICE_REPORT_BYTES,
  playbackEventSchema,
  telemetrySchema,
  type PlaybackEvent,
  type Telemetry,
  type Topics,
} from '../../protocol/index.js';
import type { PrismaClient } from '../db/database.js';
import type { MessageBus } from '../mqtt/message-bus.js';
import { recordAvailabilityChanges } from '../reports/availability-history.js';
import { applyEvent, type DeliveryPatch } from './delivery-state.js';
import { deliveryKey, deliveryStates, storeAvailability, storeOnAir, storeTelemetry, updateDeliveries, type OnAirChange } from './report-store.js';

export interface KnownDevices {
  /** Which of these ids are registered receivers (asking the database about ids not seen before). */
  known(deviceIds: readonly string[]): Promise<ReadonlySet<string>>;
}

export interface IntakeOptions {
  readonly flushIntervalMs: number;
  readonly maxBatch: number;
}

const REPORT_LIMITS = { maxBytes: MAX_DEVICE_REPORT_BYTES };

/** Events that start or end what a receiver has on air. */
const ON_AIR_EVENTS: ReadonlySet<PlaybackEvent['type']> = new Set(['started', 'finished', 'failed', 'preempted']);

interface PendingEvent {
  readonly deviceId: string;
  readonly event: PlaybackEvent;
}

interface AwaitingEvent extends PendingEvent {
  /** When it was first stored (Date.now()). */
  readonly since: number;
}

/** How long an event waits for its delivery row before it is stored without a delivery update. */
const DELIVERY_WAIT_MS = 10_000;

export class DeviceReportIntake {
  private events: PendingEvent[] = [];
  private readonly awaitingDelivery: AwaitingEvent[] = [];
  private telemetry = new Map<string, Telemetry>();
  private availability = new Map<string, { online: boolean; at: Date }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private listeners = new Set<(deviceId: string, event: PlaybackEvent) => void>();
  private changeListeners = new Set<(deviceIds: readonly string[]) => void>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly devices: KnownDevices,
    private readonly logger: Logger,
    private readonly options: IntakeOptions = { flushIntervalMs: 100, maxBatch: 1_000 },
  ) {}

  async start(): Promise<void> {
    await this.bus.subscribe(this.topics.allDevices('event'), (topic, payload) => this.onEvent(topic, payload));
    await this.bus.subscribe(this.topics.allDevices('availability'), (topic, payload) => this.onAvailability(topic, payload));
    await this.bus.subscribe(this.topics.allDevices('telemetry'), (topic, payload) => this.onTelemetry(topic, payload));
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Called after each stored playback event (live views, follow-ups). */
  onStored(listener: (deviceId: string, event: PlaybackEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after each batch with the receivers whose live state (online, playing, telemetry) was written. */
  onDevicesChanged(listener: (deviceIds: readonly string[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Writes everything received so far; resolves when it is in the database. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBatch()).catch((error: unknown) => {
      this.logger.error({ err: error }, 'writing device reports failed');
    });
    return this.flushing;
  }

  private deviceOf(topic: string, channel: string): string | null {
    const parsed = this.topics.parse(topic);
    if (parsed?.kind !== 'device' || parsed.channel !== channel) return null;
    return parsed.deviceId;
  }

  private onEvent(topic: string, payload: Buffer): void {
    const deviceId = this.deviceOf(topic, 'event');
    if (!deviceId) return;
    const decoded = decodePayload(playbackEventSchema, payload, REPORT_LIMITS);
    if (!decoded.ok) {
      this.logger.warn({ topic, reason: decoded.error }, 'invalid playback event dropped');
      return;
    }
    this.events.push({ deviceId, event: decoded.value });
    if (this.events.length >= this.options.maxBatch) void this.flush();
  }

  private onAvailability(topic: string, payload: Buffer): void {
    const deviceId = this.deviceOf(topic, 'availability');
    if (!deviceId) return;
    const decoded = decodePayload(availabilitySchema, payload, REPORT_LIMITS);
    if (!decoded.ok) {
      this.logger.warn({ topic, reason: decoded.error }, 'invalid availability dropped');
      return;
    }
    this.availability.set(deviceId, { online: decoded.value.state === 'online', at: new Date() });
  }

  private onTelemetry(topic: string, payload: Buffer): void {
    const deviceId = this.deviceOf(topic, 'telemetry');
    if (!deviceId) return;
    const decoded = decodePayload(telemetrySchema, payload, REPORT_LIMITS);
    if (!decoded.ok) {
      this.logger.warn({ topic, reason: decoded.error }, 'invalid telemetry dropped');
      return;
    }
    this.telemetry.set(deviceId, decoded.value);
  }

  private async writeBatch(): Promise<void> {
    const received = { events: this.events, telemetry: this.telemetry, availability: this.availability };
    this.events = [];
    this.telemetry = new Map();
    this.availability = new Map();
    // On a shared broker anything may publish under our root; only registered receivers are written.
    const ids = new Set([...received.events.map((e) => e.deviceId), ...received.telemetry.keys(), ...received.availability.keys()]);
    if (ids.size === 0) {
      if (this.awaitingDelivery.length > 0) await this.applyToDeliveries([]);
      return;
    }
    const known = await this.devices.known([...ids]);
    for (const id of ids) if (!known.has(id)) this.logger.warn({ deviceId: id }, 'reports from an unknown device dropped');
    const events = received.events.filter((e) => known.has(e.deviceId));
    const telemetry = [...received.telemetry].filter(([id]) => known.has(id));
    const availability = [...received.availability].filter(([id]) => known.has(id));

    await storeAvailability(this.prisma, availability.map(([deviceId, report]) => ({ deviceId, ...report }))).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'availability update failed');
    });
    // The history reports compute availability from (the changes among them, one insert per batch).
    await recordAvailabilityChanges(this.prisma, availability.map(([deviceId, report]) => ({ deviceId, ...report }))).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'availability history update failed');
    });
    const receivedAt = new Date();
    await storeTelemetry(this.prisma, telemetry.map(([deviceId, report]) => ({ deviceId, telemetry: report, receivedAt }))).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'telemetry update failed');
    });
    if (events.length > 0) {
      await this.writeEvents(events);
      await this.writeOnAir(events);
    } else if (this.awaitingDelivery.length > 0) {
      await this.applyToDeliveries([]);
    }
    const changed = [...ids].filter((id) => known.has(id));
    if (changed.length > 0) for (const listener of this.changeListeners) listener(changed);
  }

  /**
   * What each receiver plays, from its playback events, so live views need not wait for the next
   * telemetry. Only the latest event of each receiver counts; an end clears only its own broadcast.
   */
  private async writeOnAir(events: readonly PendingEvent[]): Promise<void> {
    const latest = new Map<string, PlaybackEvent>();
    for (const { deviceId, event } of events) {
      if (!ON_AIR_EVENTS.has(event.type)) continue;
      const seen = latest.get(deviceId);
      if (!seen || seen.seq < event.seq) latest.set(deviceId, event);
    }
    const started: OnAirChange[] = [];
    const ended: OnAirChange[] = [];
    for (const [deviceId, event] of latest) (event.type === 'started' ? started : ended).push({ deviceId, broadcastId: event.broadcastId });
    await storeOnAir(this.prisma, started, ended).catch((error: unknown) => this.logger.warn({ err: error }, 'on-air update failed'));
  }

  private async writeEvents(batch: PendingEvent[]): Promise<void> {
    // (deviceId, seq) is the event's identity: an outbox replay inserts nothing new.
    const inserted = await this.prisma.deviceEvent.createManyAndReturn({
      data: batch.map(({ deviceId, event }) => ({
        deviceId,
        seq: event.seq,
        type: event.type,
        broadcastId: event.broadcastId,
        at: new Date(event.at),
        payload: event,
      })),
      skipDuplicates: true,
      select: { deviceId: true, seq: true },
    });
    const fresh = new Set(inserted.map((row) => `${row.deviceId}:${row.seq}`));
    const newEvents = batch.filter(({ deviceId, event }) => fresh.has(`${deviceId}:${event.seq}`));
    await this.applyToDeliveries(newEvents.map((pending) => ({ ...pending, since: Date.now() })));
    for (const { deviceId, event } of newEvents) {
      for (const listener of this.listeners) listener(deviceId, event);
    }
  }

  /**
   * Moves deliveries on by their events, in each receiver's order. An event whose delivery row is
   * not written yet (an emergency's rows are written while its command is already out) waits for
   * it a few seconds, retried with every batch.
   */
  private async applyToDeliveries(fresh: readonly AwaitingEvent[]): Promise<void> {
    const waited = new Set(this.awaitingDelivery.splice(0));
    const events = [...waited, ...fresh].sort((a, b) => a.event.seq - b.event.seq);
    if (events.length === 0) return;
    // A play command's id is its occurrence's id, so (commandId, deviceId) names the delivery.
    const keys = [...new Map(events.map(({ deviceId, event }) => [deliveryKey(event.commandId, deviceId), { occurrenceId: event.commandId, deviceId }])).values()];
    const states = await deliveryStates(this.prisma, keys);
    const current = new Map([...states].map(([key, state]) => [key, { state, patch: {} as DeliveryPatch }]));
    const now = Date.now();
    const applied: AwaitingEvent[] = [];
    for (const pending of events) {
      const { deviceId, event } = pending;
      const entry = current.get(deliveryKey(event.commandId, deviceId));
      if (!entry) {
        if (now - pending.since < DELIVERY_WAIT_MS) this.awaitingDelivery.push(pending);
        else this.logger.warn({ deviceId, broadcastId: event.broadcastId }, 'event for an unknown delivery stored without a delivery update');
        continue;
      }
      const result = applyEvent(entry, event);
      entry.state = result.state;
      entry.patch = { ...entry.patch, ...result.patch };
      if (waited.has(pending)) applied.push(pending);
    }
    await updateDeliveries(
      this.prisma,
      keys.flatMap((key) => {
        const entry = current.get(deliveryKey(key.occurrenceId, key.deviceId));
        return entry ? [{ ...key, patch: entry.patch }] : [];
      }),
      new Date(),
    );
    // Those that waited are news to the live views now that their delivery moved.
    for (const { deviceId, event } of applied) {
      for (const listener of this.listeners) listener(deviceId, event);
    }
  }
}
