/** What the timeline needs from an audio output: start a file now, learn how it ended, stop it early. */

export type PlaybackOutcome = 'completed' | 'interrupted';

export interface PlayOptions {
  /** From the play command's audio ref; the file player uses it as the playback length. */
  readonly durationMs: number;
  /** 0–100. */
  readonly volume: number;
  readonly broadcastId: string;
  readonly sha256: string;
}

export interface Playback {
  /** Resolves when playback ends: `completed` when it ran to the end, `interrupted` after stop(). Rejects if the player failed. */
  readonly done: Promise<PlaybackOutcome>;
  /** Stops early; idempotent. `done` then resolves `interrupted`. */
  stop(): void;
}

export type AudioFormat = 'mp3' | 'opus' | 'wav';

export interface Player {
  /** For logs. */
  readonly name: string;
  /** Formats it can play, reported in telemetry. */
  readonly formats: readonly AudioFormat[];
  play(filePath: string, options: PlayOptions): Playback;
}
