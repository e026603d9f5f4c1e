/** Shared fakes for the agent's unit tests: a silent logger, a hand-driven clock + timers, a fake player and audio source. */
import { mkdtemp, rm } from 'node:fs/promises';
import { eventually } from '../../helpers/eventually.js';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { AudioRef, PlayCommand } from '../../../protocol/index.js';
import type { Clock } from '../../../device-agent/clock.js';
import type { AudioSource, PreparedAudio } from '../../../device-agent/downloader.js';
import type { Timers } from '../../../device-agent/precise-timer.js';
import type { AudioFormat, Playback, PlaybackOutcome, PlayOptions, Player } from '../../../device-agent/player/player.js';

export const silentLogger = pino({ level: 'silent' });

export async function tempDir(prefix = 'agent-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets promise callbacks and microtasks run. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Virtual server time: timers fire only when the test advances the clock. */
export class ManualTime implements Clock, Timers {
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  constructor(public current = 1_700_000_000_000) {}

  now(): number {
    return this.current;
  }

  at(at: number, fn: () => void): () => void {
    const timer = { at, fn, seq: this.seq++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  clear(): void {
    this.timers = [];
  }

  /** Moves time forward, firing timers in order (same-time timers in one batch, like PreciseTimers), settling promises between. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flush();
    for (;;) {
      const next = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      const batch = this.timers.filter((t) => t.at <= this.current).sort((a, b) => a.at - b.at || a.seq - b.seq);
      this.timers = this.timers.filter((t) => !batch.includes(t));
      for (const timer of batch) timer.fn();
      await flush();
    }
    this.current = target;
    await flush();
  }
}

export interface PlayRecord {
  readonly broadcastId: string;
  /** Which audio played (a play with a signal or repeats has several playbacks). */
  readonly sha256: string;
  readonly file: string;
  readonly volume: number;
  readonly startedAt: number;
  endedAt?: number;
  outcome?: PlaybackOutcome;
}

/** Plays for `durationMs` of virtual time; a stopped playback ends `stopDelayMs` later (a process exiting). */
export class FakePlayer implements Player {
  readonly name = 'fake';
  readonly formats: readonly AudioFormat[] = ['mp3'];
  readonly plays: PlayRecord[] = [];
  constructor(
    private readonly time: ManualTime,
    private readonly stopDelayMs = 0,
  ) {}

  play(filePath: string, options: PlayOptions): Playback {
    const record: PlayRecord = { broadcastId: options.broadcastId, sha256: options.sha256, file: filePath, volume: options.volume, startedAt: this.time.now() };
    this.plays.push(record);
    const end = deferred<PlaybackOutcome>();
    const finish = (outcome: PlaybackOutcome) => {
      if (record.outcome) return;
      record.outcome = outcome;
      record.endedAt = this.time.now();
      cancel();
      end.resolve(outcome);
    };
    const cancel = this.time.at(this.time.now() + options.durationMs, () => finish('completed'));
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      if (this.stopDelayMs === 0) finish('interrupted');
      else this.time.at(this.time.now() + this.stopDelayMs, () => finish('interrupted'));
    };
    return { done: end.promise, stop };
  }
}

/** Audio that is ready at once, or when the test says so, or never (fails). */
export class FakeAudio implements AudioSource {
  readonly pins = new Map<string, number>();
  private readonly gates = new Map<string, Promise<PreparedAudio>>();

  /** Makes the next prepare() of this sha wait for the returned deferred. */
  hold(sha256: string) {
    const gate = deferred<PreparedAudio>();
    this.gates.set(sha256, gate.promise);
    return gate;
  }

  prepare(ref: AudioRef) {
    this.pins.set(ref.sha256, (this.pins.get(ref.sha256) ?? 0) + 1);
    let released = false;
    const ready = this.gates.get(ref.sha256) ?? Promise.resolve({ path: `/cache/${ref.sha256}`, fromCache: false });
    return {
      ready,
      release: () => {
        if (released) return;
        released = true;
        this.pins.set(ref.sha256, this.pins.get(ref.sha256)! - 1);
      },
    };
  }

  pinnedCount(): number {
    return [...this.pins.values()].reduce((a, b) => a + b, 0);
  }
}

export function sha(char: string): string {
  return char.repeat(64);
}

let nextId = 0;
export function playCommand(overrides: Partial<PlayCommand> & { startAt: number }): PlayCommand {
  const id = `c${++nextId}`;
  const broadcastId = overrides.broadcastId ?? `b${nextId}`;
  return {
    type: 'play',
    commandId: id,
    broadcastId,
    priority: 'normal',
    audio: { url: `http://server/audio/${broadcastId}.mp3`, sha256: sha('a'), bytes: 1000, durationMs: 10_000, mime: 'audio/mpeg' },
    expiresAt: overrides.startAt + 60_000,
    issuedAt: overrides.startAt - 5_000,
    ...overrides,
  };
}

/** Polls until `check` passes, briefly and often: unit tests wait on timers, not on processes. */
export function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 2_000, intervalMs = 5): Promise<T> {
  return eventually(check, timeoutMs, intervalMs);
}
