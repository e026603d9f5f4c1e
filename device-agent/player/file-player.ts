/**
 * A player that makes no sound: it takes the audio's real duration and, when a playback ends,
 * appends one JSON line `{broadcastId, sha256, startedAt, systemTime, endedAt, outcome}` to a file.
 * `startedAt` and `endedAt` are on the agent's server-clock estimate; `systemTime` is the OS clock
 * (never skewed) when playback started, so a test can check when an agent with a wrong clock
 * really started. Used by tests, demos without a sound card, and the fleet simulator.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock.js';
import type { AudioFormat, Playback, PlaybackOutcome, PlayOptions, Player } from './player.js';

export interface FilePlayerLine {
  readonly broadcastId: string;
  readonly sha256: string;
  readonly startedAt: number;
  /** OS clock (Date.now()) at the start; startedAt is the server-clock estimate. */
  readonly systemTime: number;
  readonly endedAt: number;
  readonly outcome: PlaybackOutcome;
}

export class FilePlayer implements Player {
  readonly name = 'file';
  readonly formats: readonly AudioFormat[] = ['mp3', 'opus', 'wav'];
  /** Appends are chained so lines from overlapping playbacks never interleave. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly outputFile: string,
    private readonly clock: Clock,
    private readonly systemNow: () => number = Date.now,
  ) {}

  play(_filePath: string, options: PlayOptions): Playback {
    const startedAt = this.clock.now();
    const systemTime = this.systemNow();
    let finish: (outcome: PlaybackOutcome) => void = () => {};
    const ended = new Promise<PlaybackOutcome>((resolve) => {
      const timer = setTimeout(() => resolve('completed'), options.durationMs);
      finish = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
    });
    const done = ended.then((outcome) => this.record({ broadcastId: options.broadcastId, sha256: options.sha256, startedAt, systemTime, endedAt: this.clock.now(), outcome }));
    return { done, stop: () => finish('interrupted') };
  }

  private record(line: FilePlayerLine): Promise<PlaybackOutcome> {
    const write = this.writes.then(async () => {
      await mkdir(path.dirname(this.outputFile), { recursive: true });
      await appendFile(this.outputFile, `${JSON.stringify(line)}\n`);
    });
    this.writes = write.catch(() => {});
    return write.then(() => line.outcome);
  }
}
