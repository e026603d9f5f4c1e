/**
 * One play made of several parts (an attention signal, then the message, repeated with gaps),
 * presented to the timeline as a single `Playback`: nothing else can start between the parts,
 * because the timeline sees one play on air until the whole sequence ends.
 *
 * Timing: a part starts in the same turn as the previous part's playback resolves, so there is no
 * added delay between them; a gap is a timer on the injected clock from that end. A part whose file
 * is still downloading is waited for and starts the moment it is ready.
 *
 * No processes, no disk: the player, clock and timers are injected (fleet simulator, tests).
 */
import type { Clock } from '../clock.js';
import type { Timers } from '../precise-timer.js';
import type { Playback, PlaybackOutcome, Player } from './player.js';

export interface PartStep {
  readonly kind: 'part';
  /**
   * Read when the part is reached: a path, or a promise of one while the file is still downloading.
   * A rejection ends the sequence with a `PartUnavailableError`.
   */
  readonly file: () => string | Promise<string>;
  readonly durationMs: number;
  readonly sha256: string;
  /** Told as the part begins, with the clock time of the player call. Must not throw. */
  readonly onStart?: (at: number) => void;
}

export interface GapStep {
  readonly kind: 'gap';
  readonly ms: number;
}

export type SequenceStep = PartStep | GapStep;

export interface SequenceDeps {
  readonly player: Player;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly broadcastId: string;
  /** Read as each part starts, so a volume change made during a long repeat applies from the next part. */
  readonly volume: () => number;
}

/**
 * A part's file could not be had (its download failed): the play fails with the download's own
 * reason, not as a player error.
 */
export class PartUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PartUnavailableError';
  }
}

/**
 * Starts the first part at once (a synchronous player error is thrown to the caller, as a direct
 * `player.play` would). `done` resolves `completed` after the last step, `interrupted` after
 * stop() — at once during a gap or a wait for a download, or when the part on air has wound down —
 * and rejects if a player fails or a part's file is unavailable.
 */
export function sequencePlayback(steps: readonly SequenceStep[], deps: SequenceDeps): Playback {
  let stopped = false;
  let starting = true;
  let onAir: Playback | undefined;
  /** Cancels the gap timer or the wait for a download in progress. */
  let cancelWait: (() => void) | undefined;
  let settled = false;
  let resolveDone!: (outcome: PlaybackOutcome) => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<PlaybackOutcome>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  const settle = (outcome: PlaybackOutcome | Error): void => {
    if (settled) return;
    settled = true;
    cancelWait?.();
    cancelWait = undefined;
    if (outcome instanceof Error) rejectDone(outcome);
    else resolveDone(outcome);
  };

  const run = (index: number): void => {
    if (settled) return;
    if (stopped) {
      settle('interrupted');
      return;
    }
    const step = steps[index];
    if (!step) {
      settle('completed');
      return;
    }
    if (step.kind === 'gap') {
      if (step.ms <= 0) {
        run(index + 1);
        return;
      }
      cancelWait = deps.timers.at(deps.clock.now() + step.ms, () => {
        cancelWait = undefined;
        run(index + 1);
      });
      return;
    }
    let file: string | Promise<string>;
    try {
      file = step.file();
    } catch (error) {
      settle(new PartUnavailableError(messageOf(error), { cause: error }));
      return;
    }
    if (typeof file === 'string') {
      play(index, step, file);
      return;
    }
    let waiting = true;
    cancelWait = () => {
      waiting = false;
    };
    file.then(
      (path) => {
        if (!waiting) return;
        cancelWait = undefined;
        play(index, step, path);
      },
      (error: unknown) => {
        if (!waiting) return;
        cancelWait = undefined;
        settle(new PartUnavailableError(messageOf(error), { cause: error }));
      },
    );
  };

  const play = (index: number, step: PartStep, path: string): void => {
    const at = deps.clock.now();
    let playback: Playback;
    try {
      playback = deps.player.play(path, { durationMs: step.durationMs, volume: deps.volume(), broadcastId: deps.broadcastId, sha256: step.sha256 });
    } catch (error) {
      // The first part fails like a direct player call, so the caller can treat both the same way.
      if (starting) throw error;
      settle(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    onAir = playback;
    step.onStart?.(at);
    playback.done.then(
      (outcome) => {
        onAir = undefined;
        if (outcome === 'interrupted') settle('interrupted');
        else run(index + 1);
      },
      (error: unknown) => {
        onAir = undefined;
        settle(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };

  run(0);
  starting = false;

  const stop = (): void => {
    if (stopped || settled) return;
    stopped = true;
    // A part on air ends the sequence once it has wound down (a process exiting), so whoever waits
    // for `done` knows the speaker is free; otherwise nothing is sounding and it ends now.
    if (onAir) onAir.stop();
    else settle('interrupted');
  };
  return { done, stop };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
