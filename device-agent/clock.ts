/**
 * The agent's view of the server clock. Plays start at `startAt` on the server clock, so every
 * receiver estimates its offset to it NTP-style (RFC 5905 §8, simplified to one server): each
 * request/response gives offset = serverNow − (t0 + t1) / 2, true within ±RTT/2.
 *
 * One sync takes 8 samples, keeps the 4 with the smallest round trip and uses the median of their
 * offsets. The round-trip filter drops replies held up in a queue (their midpoint is far from the
 * moment the server read its clock), as NTP's clock filter does (RFC 5905 §10). The median of
 * several prompt samples, rather than the single promptest one, means no one sample decides: a
 * reply delayed on one leg only, or a round trip that looks short because of a local timing hiccup,
 * moves the estimate by at most the spread of the others, where it would have been taken whole.
 *
 * The local base is the monotonic clock (performance.now), not Date.now(): a receiver without an RTC
 * steps its wall clock when NTP catches up after boot, and that step must not move a scheduled play.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { FetchLike } from './downloader.js';

/** Anything that tells server time; what the timeline, players and events use. */
export interface Clock {
  /** Current time on the server clock, epoch ms. */
  now(): number;
}

export interface ServerClock extends Clock {
  /** Estimated server − local offset in ms (0 until the first sync). */
  readonly offsetMs: number;
  /** Largest round trip among the samples the estimate used, ms (its error bound is half of it); null before the first sync. */
  readonly rttMs: number | null;
  /** Samples answered in the last sync (0 before the first). */
  readonly samples: number;
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

/**
 * The receiver's own clock, epoch ms. `skewMs` makes it read wrong by that much, to test and
 * simulate receivers with a bad clock: only "what time is it" is skewed, timers still run in real time.
 */
export function localClock(skewMs = 0): () => number {
  return skewMs === 0 ? monotonicNow : () => monotonicNow() + skewMs;
}

const timeResponseSchema = z.object({ now: z.number().finite().nonnegative() });

/** A TimeFetcher over `fetchFn` (e.g. one that trusts a private CA, see tls-trust.ts). */
export function httpTimeFetcherUsing(fetchFn: FetchLike): TimeFetcher {
  return async (serverUrl, signal) => {
    const response = await fetchFn(`${serverUrl.replace(/\/+$/, '')}/api/time`, { signal });
    if (!response.ok) throw new Error(`GET /api/time answered HTTP ${response.status}`);
    const body = timeResponseSchema.safeParse(await response.json());
    if (!body.success) throw new Error('GET /api/time did not return {"now": <epoch ms>}');
    return body.data.now;
  };
}

/** Over Node's global fetch (which keeps no HTTP cache, so every sample reaches the server). */
export const httpTimeFetcher: TimeFetcher = httpTimeFetcherUsing((url, init) => fetch(url, init));

export interface SyncedClockOptions {
  readonly fetchTime: TimeFetcher;
  readonly logger: Logger;
  /** The receiver's own clock; default: monotonic, unskewed (see localClock). */
  readonly localNow?: () => number;
  /** Requests per sync (default 8). */
  readonly samples?: number;
  /** How many of the promptest samples the median is taken over (default 4). */
  readonly keep?: number;
  readonly resyncIntervalMs?: number;
  readonly sampleTimeoutMs?: number;
  readonly serverUrl?: string;
}

export interface ClockSample {
  readonly offsetMs: number;
  readonly rttMs: number;
}

export interface ClockEstimate {
  readonly offsetMs: number;
  /** Largest round trip among the samples used: each is within ±rttMs/2 of the true offset, so their median is too. */
  readonly rttMs: number;
  /** Samples answered. */
  readonly samples: number;
  /** Samples the median was taken over. */
  readonly used: number;
}

/** Median offset of the `keep` samples with the smallest round trip (ties: the earlier sample); null without samples. */
export function estimateOffset(samples: readonly ClockSample[], keep = 4): ClockEstimate | null {
  if (samples.length === 0) return null;
  const prompt = [...samples].sort((a, b) => a.rttMs - b.rttMs).slice(0, Math.max(1, keep));
  const offsets = prompt.map((sample) => sample.offsetMs).sort((a, b) => a - b);
  const middle = offsets.length >> 1;
  const offsetMs = offsets.length % 2 === 1 ? offsets[middle]! : (offsets[middle - 1]! + offsets[middle]!) / 2;
  return { offsetMs, rttMs: Math.max(...prompt.map((sample) => sample.rttMs)), samples: samples.length, used: prompt.length };
}

export class SyncedClock implements ServerClock {
  private offset = 0;
  private rtt: number | null = null;
  private answered = 0;
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

  get samples(): number {
    return this.answered;
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
    const count = this.options.samples ?? 8;
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
    const estimate = estimateOffset(samples, this.options.keep ?? 4);
    if (!estimate) {
      if (this.running) logger.warn({ serverUrl: url, err: lastError }, 'clock sync failed; keeping the previous offset');
      return;
    }
    const first = this.rtt === null;
    const previous = this.offset;
    this.offset = estimate.offsetMs;
    this.rtt = estimate.rttMs;
    this.answered = estimate.samples;
    logger[first ? 'info' : 'debug'](
      {
        offsetMs: round1(estimate.offsetMs),
        rttMs: round1(estimate.rttMs),
        stepMs: first ? null : Math.round(estimate.offsetMs - previous),
        samples: estimate.samples,
        used: estimate.used,
      },
      'clock synced',
    );
  }
}

const round1 = (ms: number): number => Math.round(ms * 10) / 10;

/** A fixed-offset clock, for tests and for a fleet simulator where every agent shares one host clock. */
export class FixedOffsetClock implements ServerClock {
  readonly rttMs = 0;
  readonly samples = 0;
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
