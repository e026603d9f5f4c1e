/**
 * The agent's view of the server clock. Plays start at `startAt` on the server clock, so every
 * receiver estimates its offset to it NTP-style (RFC 5905 §8, simplified to one server):
 * several request/response samples, keep the one with the smallest round trip (its midpoint is the
 * tightest bound on when the server read its clock), offset = serverNow − (t0 + t1) / 2.
 *
 * The local base is the monotonic clock (performance.now), not Date.now(): a receiver without an RTC
 * steps its wall clock when NTP catches up after boot, and that step must not move a scheduled play.
 */
import type { Logger } from 'pino';
import { z } from 'zod';

/** Anything that tells server time; what the timeline, players and events use. */
export interface Clock {
  /** Current time on the server clock, epoch ms. */
  now(): number;
}

export interface ServerClock extends Clock {
  /** Estimated server − local offset in ms (0 until the first sync). */
  readonly offsetMs: number;
  /** Round trip of the sample the estimate came from, ms; null before the first sync. */
  readonly rttMs: number | null;
  readonly synced: boolean;
  /** Where `/api/time` lives; a change triggers a sync. */
  setServerUrl(url: string): void;
  /** Syncs now (e.g. after a reconnect). Never rejects; failures are logged and keep the old offset. */
  resync(): Promise<void>;
  start(): void;
  stop(): void;
}

/** Returns the server's `now` for one request to `<serverUrl>/api/time`. */
export type TimeFetcher = (serverUrl: string, signal: AbortSignal) => Promise<number>;

export const monotonicNow = (): number => performance.timeOrigin + performance.now();

const timeResponseSchema = z.object({ now: z.number().finite().nonnegative() });

export const httpTimeFetcher: TimeFetcher = async (serverUrl, signal) => {
  const response = await fetch(`${serverUrl.replace(/\/+$/, '')}/api/time`, { signal, cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /api/time answered HTTP ${response.status}`);
  const body = timeResponseSchema.safeParse(await response.json());
  if (!body.success) throw new Error('GET /api/time did not return {"now": <epoch ms>}');
  return body.data.now;
};

export interface SyncedClockOptions {
  readonly fetchTime: TimeFetcher;
  readonly logger: Logger;
  readonly localNow?: () => number;
  readonly samples?: number;
  readonly resyncIntervalMs?: number;
  readonly sampleTimeoutMs?: number;
  readonly serverUrl?: string;
}

export interface ClockSample {
  readonly offsetMs: number;
  readonly rttMs: number;
}

/** Picks the minimum-round-trip sample (ties: the first). */
export function bestSample(samples: readonly ClockSample[]): ClockSample | null {
  let best: ClockSample | null = null;
  for (const sample of samples) if (!best || sample.rttMs < best.rttMs) best = sample;
  return best;
}

export class SyncedClock implements ServerClock {
  private offset = 0;
  private rtt: number | null = null;
  private url: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<void> | undefined;
  private abort: AbortController | undefined;

  constructor(private readonly options: SyncedClockOptions) {}

  now(): number {
    return Math.round(this.localNow() + this.offset);
  }

  get offsetMs(): number {
    return this.offset;
  }

  get rttMs(): number | null {
    return this.rtt;
  }

  get synced(): boolean {
    return this.rtt !== null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.url ??= this.options.serverUrl;
    const interval = this.options.resyncIntervalMs ?? 5 * 60_000;
    this.timer = setInterval(() => void this.resync(), interval);
    this.timer.unref();
    if (this.url) void this.resync();
  }

  stop(): void {
    this.running = false;
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort?.abort();
  }

  setServerUrl(url: string): void {
    const normalised = url.replace(/\/+$/, '');
    if (normalised === this.url) return;
    this.url = normalised;
    if (this.running) void this.resync();
  }

  resync(): Promise<void> {
    if (!this.url || !this.running) return Promise.resolve();
    // Coalesce: a reconnect during a periodic sync does not need a second one.
    this.inFlight ??= this.syncOnce(this.url).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private localNow(): number {
    return (this.options.localNow ?? monotonicNow)();
  }

  private async syncOnce(url: string): Promise<void> {
    const { fetchTime, logger } = this.options;
    const count = this.options.samples ?? 5;
    const samples: ClockSample[] = [];
    let lastError: unknown;
    this.abort = new AbortController();
    for (let i = 0; i < count && this.running; i++) {
      const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.sampleTimeoutMs ?? 5_000)]);
      try {
        const t0 = this.localNow();
        const serverNow = await fetchTime(url, signal);
        const t1 = this.localNow();
        samples.push({ offsetMs: serverNow - (t0 + t1) / 2, rttMs: t1 - t0 });
      } catch (error) {
        lastError = error;
      }
    }
    const best = bestSample(samples);
    if (!best) {
      if (this.running) logger.warn({ serverUrl: url, err: lastError }, 'clock sync failed; keeping the previous offset');
      return;
    }
    const previous = this.offset;
    this.offset = best.offsetMs;
    this.rtt = best.rttMs;
    logger.debug(
      { offsetMs: Math.round(best.offsetMs * 10) / 10, rttMs: Math.round(best.rttMs * 10) / 10, stepMs: Math.round(best.offsetMs - previous), samples: samples.length },
      'clock synced',
    );
  }
}

/** A fixed-offset clock, for tests and for a fleet simulator where every agent shares one host clock. */
export class FixedOffsetClock implements ServerClock {
  readonly rttMs = 0;
  readonly synced = true;
  constructor(readonly offsetMs = 0, private readonly localNow: () => number = Date.now) {}
  now(): number {
    return Math.round(this.localNow() + this.offsetMs);
  }
  setServerUrl(): void {}
  resync(): Promise<void> {
    return Promise.resolve();
  }
  start(): void {}
  stop(): void {}
}
