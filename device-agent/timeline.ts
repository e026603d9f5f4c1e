/**
 * The local schedule: what plays when. Each play command becomes an entry that downloads its audio
 * at once, becomes due at `startAt` on the server clock, and plays when it is due, ready and not
 * outranked. One play at a time:
 * - a higher-priority play preempts a lower one on air, which emits `preempted`, finishes
 *   `interrupted`, and waits: once nothing of higher priority plays, it starts again from the
 *   beginning (an announcement is not resumed mid-sentence), with a new `started` and `finished`.
 *   If its `expiresAt` comes first it stays preempted, with no further event;
 * - an equal- or lower-priority play that falls due while another plays waits for it to end, then
 *   plays if it has not expired: equal priorities never preempt;
 * - a play not started by `expiresAt` fails `expired`; one whose start passed but that has not
 *   expired starts at once.
 * Each play downloads on its own and starts on its own timer, so a slow download never holds up
 * another play.
 *
 * A play with an attention `signal` is ready as soon as the signal is (it is normally cached and
 * pinned by the agent), while its message may still be downloading: it plays signal → message,
 * waiting for the message between them if need be; a play with `repeat` plays its message `count`
 * times, `gapMs` apart. Either way it is one play on air, with `part` events as each part begins
 * (player/sequence-playback.ts). A plain play emits no `part` events.
 *
 * No MQTT, no processes, no disk here: clock, timers, player, audio and the event sink are injected,
 * so a fleet simulator can run thousands of timelines in one process and tests can drive time.
 */
import type { Logger } from 'pino';
import { PRIORITY_RANK, type AudioRef, type PlayCommand } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { AudioSource } from './downloader.js';
import type { PlaybackEventInput } from './outbox.js';
import type { Timers } from './precise-timer.js';
import type { Playback, PlaybackOutcome, Player } from './player/player.js';
import { PartUnavailableError, sequencePlayback, type SequenceStep } from './player/sequence-playback.js';

export interface TimelineDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly player: Player;
  readonly audio: AudioSource;
  /** Receives every playback event (the agent numbers and persists them). Must not throw. */
  readonly emit: (event: PlaybackEventInput) => void;
  /** Current volume 0–100, read as each part of a play starts. */
  readonly volume: () => number;
  /** Volume 0–100 for `emergency` plays, if the device has one (config `emergencyVolume`); else `volume` applies. */
  readonly emergencyVolume?: () => number | undefined;
  readonly logger: Logger;
  /** Told, just before the event (if any) that says so, when a play starts, waits to restart, or is settled for good; for persistence. */
  readonly onStatus?: (commandId: string, status: PlayStatus) => void;
}

/** `preempted`: cut off by a higher priority, waiting to start again. `done`: will never play (again). */
export type PlayStatus = 'started' | 'preempted' | 'done';

export interface ScheduleOptions {
  /** Emit `received` (false when a play is put back after a restart: it was announced before). */
  readonly announce?: boolean;
  /** It was preempted before the restart: it plays from the beginning again, and expiry ends it without an event. */
  readonly preempted?: boolean;
}

export interface OnAir {
  readonly broadcastId: string;
  readonly commandId: string;
  readonly priority: PlayCommand['priority'];
}

type EntryState = 'preparing' | 'ready' | 'playing' | 'done';

interface Entry {
  readonly play: PlayCommand;
  readonly rank: number;
  readonly order: number;
  state: EntryState;
  due: boolean;
  /** The message file, once downloaded. */
  path: string | undefined;
  /** The message file, or the download's failure; the sequence waits on it after a signal. */
  message: Promise<string> | undefined;
  /** Why the message could not be had, once known (a play with a signal may be on air by then). */
  messageError: string | undefined;
  /** The signal file, once downloaded; a signal that could not be had is left out. */
  signalPath: string | undefined;
  signalFailed: boolean;
  playback: Playback | undefined;
  /** Cut off by a higher priority at least once: its `preempted` event stays its last word if it expires. */
  preempted: boolean;
  /** The playback on air was preempted: start again when it has wound down. */
  restartOnEnd: boolean;
  release: () => void;
  cancels: (() => void)[];
}

export const STOPPED_REASON = 'cancelled by a stop command';
/** The `failed` reason of a play the schedule manifest no longer lists. */
export const CANCELLED_REASON = 'cancelled';
const SHUTDOWN_WAIT_MS = 3_000;

export class Timeline {
  /** Entries not finished yet, by commandId. */
  private readonly entries = new Map<string, Entry>();
  /** What is on air; a preempted or stopped entry leaves this slot at once, while its player winds down. */
  private current: Entry | undefined;
  private readonly ending = new Set<Promise<unknown>>();
  private order = 0;
  private pumpQueued = false;
  private closed = false;

  constructor(private readonly deps: TimelineDeps) {}

  /** Adds a play. Returns false if this commandId is already on the timeline (idempotent). */
  schedule(play: PlayCommand, options: ScheduleOptions = {}): boolean {
    if (this.closed || this.entries.has(play.commandId)) return false;
    const { clock, timers, audio } = this.deps;
    if (options.announce !== false) this.emit(play, { type: 'received' });
    const entry: Entry = {
      play,
      rank: PRIORITY_RANK[play.priority],
      order: this.order++,
      state: 'preparing',
      due: false,
      path: undefined,
      message: undefined,
      messageError: undefined,
      signalPath: undefined,
      signalFailed: false,
      playback: undefined,
      preempted: options.preempted ?? false,
      restartOnEnd: false,
      release: () => {},
      cancels: [],
    };
    if (play.expiresAt <= clock.now()) {
      this.expire(entry);
      return true;
    }
    this.entries.set(play.commandId, entry);
    const prepared = audio.prepare(play.audio);
    entry.release = prepared.release;
    const message = prepared.ready.then((result) => result.path);
    // Observed below, and by the sequence when it gets there: an early failure is not an unhandled one.
    message.catch(() => {});
    entry.message = message;
    prepared.ready.then(
      (result) => {
        if (entry.state === 'done' || this.closed) return;
        entry.path = result.path;
        this.emit(play, { type: 'downloaded', sha256: play.audio.sha256, fromCache: result.fromCache });
        if (entry.state === 'preparing' && (!play.signal || entry.signalFailed)) {
          entry.state = 'ready';
          this.requestPump();
        }
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        entry.messageError = reason;
        this.fail(entry, reason);
      },
    );
    if (play.signal) this.prepareSignal(entry, play.signal.audio);
    entry.cancels.push(
      timers.at(play.startAt, () => {
        entry.due = true;
        this.requestPump();
      }),
      timers.at(play.expiresAt, () => {
        if (entry.state === 'preparing' || entry.state === 'ready') this.expire(entry);
      }),
    );
    return true;
  }

  /**
   * Stops `broadcastId` (or, without one, whatever is on air): the playback finishes `interrupted`,
   * and the broadcast's plays not started yet fail as cancelled. Returns the broadcast stopped, if any.
   */
  stop(broadcastId?: string): string | null {
    const target = broadcastId ?? this.current?.play.broadcastId;
    if (!target) return null;
    for (const entry of [...this.entries.values()]) {
      if (entry.play.broadcastId !== target) continue;
      if (entry.state === 'preparing' || entry.state === 'ready') this.fail(entry, STOPPED_REASON);
      else if (entry !== this.current) entry.restartOnEnd = false; // preempted and still winding down
    }
    if (this.current && this.current.play.broadcastId === target) {
      const entry = this.current;
      this.current = undefined;
      this.deps.logger.info({ broadcastId: target, commandId: entry.play.commandId }, 'stopping playback on command');
      entry.playback?.stop();
      this.requestPump();
    }
    return target;
  }

  /** Fails a play that is not on air with `reason`, so it never plays. False if it is not here or is playing. */
  cancel(commandId: string, reason: string): boolean {
    const entry = this.entries.get(commandId);
    if (!entry || entry.state === 'playing' || entry.state === 'done' || this.closed) return false;
    this.fail(entry, reason);
    return true;
  }

  get onAir(): OnAir | null {
    const play = this.current?.play;
    return play ? { broadcastId: play.broadcastId, commandId: play.commandId, priority: play.priority } : null;
  }

  has(commandId: string): boolean {
    return this.entries.has(commandId);
  }

  /** Plays not yet finished (for diagnostics and tests). */
  get size(): number {
    return this.entries.size;
  }

  /** Agent stop: stops playback (it finishes `interrupted`), cancels timers, keeps the rest for the next start. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.current = undefined;
    for (const entry of this.entries.values()) {
      for (const cancel of entry.cancels) cancel();
      if (entry.state === 'playing') entry.playback?.stop();
    }
    const ending = Promise.allSettled([...this.ending]);
    await Promise.race([ending, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
    for (const entry of this.entries.values()) entry.release();
    this.entries.clear();
  }

  /** The signal makes the play ready; if it cannot be had, the message plays without it rather than not at all. */
  private prepareSignal(entry: Entry, ref: AudioRef): void {
    const prepared = this.deps.audio.prepare(ref);
    const releaseMessage = entry.release;
    entry.release = () => {
      releaseMessage();
      prepared.release();
    };
    prepared.ready.then(
      (result) => {
        if (entry.state !== 'preparing' || this.closed) return;
        entry.signalPath = result.path;
        entry.state = 'ready';
        this.requestPump();
      },
      (error: unknown) => {
        if (entry.state !== 'preparing' || this.closed) return;
        entry.signalFailed = true;
        this.deps.logger.warn(
          { broadcastId: entry.play.broadcastId, commandId: entry.play.commandId, sha256: ref.sha256, reason: error instanceof Error ? error.message : String(error) },
          'attention signal unavailable; the message will play without it',
        );
        if (entry.path !== undefined) {
          entry.state = 'ready';
          this.requestPump();
        }
      },
    );
  }

  private emit(play: PlayCommand, event: DistributiveEventBody, at = this.deps.clock.now()): void {
    this.deps.emit({ ...event, broadcastId: play.broadcastId, commandId: play.commandId, at } as PlaybackEventInput);
  }

  private fail(entry: Entry, reason: string): void {
    // After close() a play not started stays pending (it is restored on the next start): no verdict.
    if (entry.state === 'done' || entry.state === 'playing' || this.closed) return;
    this.settle(entry);
    this.deps.logger.warn({ broadcastId: entry.play.broadcastId, commandId: entry.play.commandId, reason }, 'play failed');
    this.emit(entry.play, { type: 'failed', reason: reason.slice(0, 500) });
  }

  /** Not started by expiresAt: fails `expired`, unless it was preempted (it stays preempted, silently). */
  private expire(entry: Entry): void {
    if (!entry.preempted) {
      this.fail(entry, 'expired');
      return;
    }
    if (entry.state === 'done' || entry.state === 'playing' || this.closed) return;
    this.settle(entry);
    this.deps.logger.info({ broadcastId: entry.play.broadcastId, commandId: entry.play.commandId }, 'preempted play expired before it could start again');
  }

  private settle(entry: Entry): void {
    entry.state = 'done';
    for (const cancel of entry.cancels) cancel();
    entry.cancels = [];
    entry.release();
    this.entries.delete(entry.play.commandId);
    this.deps.onStatus?.(entry.play.commandId, 'done');
  }

  /** Coalesces decisions: plays falling due in the same timer turn are weighed together. */
  private requestPump(): void {
    if (this.pumpQueued || this.closed) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    const now = this.deps.clock.now();
    let best: Entry | undefined;
    for (const entry of [...this.entries.values()]) {
      if (entry.state !== 'ready' || !entry.due) continue;
      if (entry.play.expiresAt <= now) {
        this.expire(entry);
        continue;
      }
      if (!best || outranks(entry, best)) best = entry;
    }
    if (!best) return;
    const current = this.current;
    if (current) {
      if (best.rank <= current.rank) return; // waits for the current play to end
      this.current = undefined;
      current.preempted = true;
      current.restartOnEnd = true;
      this.deps.logger.info(
        { broadcastId: current.play.broadcastId, byBroadcastId: best.play.broadcastId },
        'preempting a lower-priority play',
      );
      this.emit(current.play, { type: 'preempted', byBroadcastId: best.play.broadcastId });
      current.playback?.stop();
    }
    this.start(best);
  }

  private start(entry: Entry): void {
    const { clock, timers, player } = this.deps;
    const { play } = entry;
    entry.state = 'playing';
    entry.restartOnEnd = false;
    this.current = entry;
    let playback: Playback;
    try {
      playback = sequencePlayback(this.stepsOf(entry), { player, clock, timers, broadcastId: play.broadcastId, volume: () => this.volumeFor(play) });
    } catch (error) {
      this.current = undefined;
      entry.state = 'ready';
      this.fail(entry, `player error: ${error instanceof Error ? error.message : String(error)}`);
      this.requestPump();
      return;
    }
    entry.playback = playback;
    const ending = playback.done.then(
      (outcome) => this.ended(entry, outcome),
      (error: unknown) => this.ended(entry, error instanceof Error ? error : new Error(String(error))),
    );
    this.ending.add(ending);
    void ending.finally(() => this.ending.delete(ending));
  }

  /**
   * Signal (if it could be had), then the message `repeat.count` times with `repeat.gapMs` between.
   * The first part to begin is the play's `started`; `part` events only for a play that has parts.
   */
  private stepsOf(entry: Entry): SequenceStep[] {
    const { play } = entry;
    const message = entry.message;
    if (!message) throw new Error('the message audio was never prepared');
    const steps: SequenceStep[] = [];
    const parted = play.signal !== undefined || play.repeat !== undefined;
    let started = false;
    const began = (part: 'signal' | 'message', index: number) => (at: number) => {
      if (!started) {
        started = true;
        this.began(entry, at);
      }
      if (parted) this.emit(play, { type: 'part', part, index }, at);
    };
    const signalPath = entry.signalPath;
    if (play.signal && signalPath !== undefined) {
      steps.push({ kind: 'part', file: () => signalPath, durationMs: play.signal.audio.durationMs, sha256: play.signal.audio.sha256, onStart: began('signal', 0) });
    }
    const count = play.repeat?.count ?? 1;
    const gapMs = play.repeat?.gapMs ?? 0;
    for (let index = 0; index < count; index++) {
      if (index > 0 && gapMs > 0) steps.push({ kind: 'gap', ms: gapMs });
      steps.push({
        kind: 'part',
        file: () => entry.path ?? message,
        durationMs: play.audio.durationMs,
        sha256: play.audio.sha256,
        onStart: began('message', index),
      });
    }
    return steps;
  }

  /** The first part is on air: the play has started. */
  private began(entry: Entry, at: number): void {
    const { play } = entry;
    this.deps.logger.info(
      { broadcastId: play.broadcastId, commandId: play.commandId, lateMs: at - play.startAt, again: entry.preempted, signal: entry.signalPath !== undefined },
      'playback started',
    );
    this.deps.onStatus?.(play.commandId, 'started');
    this.emit(play, { type: 'started', sha256: play.audio.sha256 }, at);
  }

  private volumeFor(play: PlayCommand): number {
    const emergency = play.priority === 'emergency' ? this.deps.emergencyVolume?.() : undefined;
    return emergency ?? this.deps.volume();
  }

  private ended(entry: Entry, outcome: PlaybackOutcome | Error): void {
    const { play } = entry;
    if (this.current === entry) this.current = undefined;
    entry.playback = undefined;
    if (outcome instanceof PartUnavailableError) {
      // The message's download failed after the signal went on air: the download's reason, as for a play that never started.
      this.settle(entry);
      this.deps.logger.warn({ broadcastId: play.broadcastId, commandId: play.commandId, reason: outcome.message }, 'play failed after its signal');
      this.emit(play, { type: 'failed', reason: outcome.message.slice(0, 500) });
    } else if (outcome instanceof Error) {
      this.settle(entry);
      this.deps.logger.error({ broadcastId: play.broadcastId, err: outcome }, 'player failed');
      this.emit(play, { type: 'failed', reason: `player error: ${outcome.message}`.slice(0, 500) });
    } else if (outcome === 'interrupted' && entry.restartOnEnd) {
      // Preempted: back to waiting, ready and due, to start again from the beginning (also after an agent restart).
      entry.state = 'ready';
      this.deps.logger.info({ broadcastId: play.broadcastId, commandId: play.commandId }, 'preempted playback ended; waiting to start again');
      this.deps.onStatus?.(play.commandId, 'preempted');
      this.emit(play, { type: 'finished', sha256: play.audio.sha256, outcome });
      // Its message failed while the signal played: starting again would only play the signal.
      if (entry.messageError !== undefined) this.fail(entry, entry.messageError);
      else if (play.expiresAt <= this.deps.clock.now()) this.expire(entry);
    } else {
      this.settle(entry);
      this.deps.logger.info({ broadcastId: play.broadcastId, commandId: play.commandId, outcome }, 'playback finished');
      this.emit(play, { type: 'finished', sha256: play.audio.sha256, outcome });
    }
    this.requestPump();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type DistributiveEventBody = DistributiveOmit<PlaybackEventInput, 'broadcastId' | 'commandId' | 'at'>;

/** Higher priority first; then the earlier start; then arrival order. */
function outranks(a: Entry, b: Entry): boolean {
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (a.play.startAt !== b.play.startAt) return a.play.startAt < b.play.startAt;
  return a.order < b.order;
}
