/**
 * Durable outbox for playback events. Each event gets the next per-device `seq` (the counter is
 * persisted, so it keeps increasing across restarts), is written to its own file atomically before
 * it is published at QoS 1, and its file is removed only when the broker acknowledges it. After a
 * reconnect or a restart everything still on disk is published again in seq order, so a receiver
 * that played through an outage reports afterwards. The server drops duplicates by (deviceId, seq).
 *
 * While connected, MQTT.js itself re-sends a QoS 1 publish that was in flight when the link dropped
 * (MQTT 3.1.1 §4.4), so an in-flight event is not published a second time by the outbox in the same
 * process; the files cover a restart.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { playbackEventSchema, type PlaybackEvent } from '../protocol/index.js';
import { TEMP_PREFIX, writeFileAtomic } from './atomic-file.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the outbox numbers it. */
export type PlaybackEventInput = DistributiveOmit<PlaybackEvent, 'seq'>;

export type EventPublisher = (event: PlaybackEvent) => Promise<void>;

export interface OutboxOptions {
  readonly dir: string;
  readonly logger: Logger;
  /** Resolves when the broker acknowledged (PUBACK); rejects if it will not be delivered on this link. */
  readonly publish: EventPublisher;
  readonly maxInFlight?: number;
  readonly retryDelayMs?: number;
}

const EVENT_FILE = /^(\d{12})\.json$/;
const SEQ_FILE = 'next-seq';

export class Outbox {
  private nextSeq = 0;
  /** Events on disk not yet acknowledged, in seq order. */
  private readonly pending: PlaybackEvent[] = [];
  private readonly inFlight = new Set<number>();
  private online = false;
  private closed = false;
  private appending: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OutboxOptions) {}

  async open(): Promise<void> {
    const { dir, logger } = this.options;
    await mkdir(dir, { recursive: true });
    const counter = await readFile(path.join(dir, SEQ_FILE), 'utf8').catch(() => '0');
    let next = Number.parseInt(counter, 10) || 0;
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX)) {
        await unlink(path.join(dir, name)).catch(() => {});
        continue;
      }
      if (!EVENT_FILE.test(name)) continue;
      const file = path.join(dir, name);
      let event: PlaybackEvent | undefined;
      try {
        const parsed = playbackEventSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
        if (parsed.success) event = parsed.data;
      } catch {
        // unreadable: dropped below
      }
      if (!event) {
        logger.warn({ file }, 'dropping an unreadable outbox entry');
        await unlink(file).catch(() => {});
        continue;
      }
      this.pending.push(event);
      next = Math.max(next, event.seq + 1);
    }
    this.pending.sort((a, b) => a.seq - b.seq);
    this.nextSeq = next;
    if (this.pending.length > 0) logger.info({ pending: this.pending.length }, 'outbox has events from before the restart');
  }

  /** Numbers, persists and (when online) publishes an event; resolves once it is on disk. */
  append(input: PlaybackEventInput): Promise<PlaybackEvent> {
    const result = this.appending.then(async () => {
      if (this.closed) throw new Error('outbox closed');
      const event = { ...input, seq: this.nextSeq++ } as PlaybackEvent;
      await writeFileAtomic(this.fileOf(event.seq), JSON.stringify(event));
      await writeFileAtomic(path.join(this.options.dir, SEQ_FILE), String(this.nextSeq));
      this.pending.push(event);
      this.pump();
      return event;
    });
    this.appending = result.catch(() => {});
    return result;
  }

  /** Called by the connection: publishing pauses offline and resumes, in order, on reconnect. */
  setOnline(online: boolean): void {
    this.online = online;
    if (online) this.pump();
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Stops publishing; waits for appends in progress to reach the disk. */
  async close(): Promise<void> {
    await this.appending;
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  private fileOf(seq: number): string {
    return path.join(this.options.dir, `${String(seq).padStart(12, '0')}.json`);
  }

  private pump(): void {
    if (!this.online || this.closed) return;
    const max = this.options.maxInFlight ?? 32;
    for (const event of this.pending) {
      if (this.inFlight.size >= max) break;
      if (this.inFlight.has(event.seq)) continue;
      this.inFlight.add(event.seq);
      this.options.publish(event).then(
        () => this.acknowledged(event),
        (error: unknown) => {
          this.inFlight.delete(event.seq);
          this.options.logger.debug({ seq: event.seq, err: error }, 'event not delivered on this link; will retry');
          this.scheduleRetry();
        },
      );
    }
  }

  private acknowledged(event: PlaybackEvent): void {
    this.inFlight.delete(event.seq);
    const index = this.pending.indexOf(event);
    if (index >= 0) this.pending.splice(index, 1);
    unlink(this.fileOf(event.seq)).catch((error: unknown) => {
      this.options.logger.warn({ seq: event.seq, err: error }, 'could not remove an acknowledged outbox entry');
    });
    this.pump();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, this.options.retryDelayMs ?? 5_000);
    this.retryTimer.unref();
  }
}
