/**
 * A player for simulated receivers: no sound and no file, just the audio's real duration on a
 * timer, so thousands of receivers can "play" in one process.
 */
import type { AudioFormat, Playback, PlaybackOutcome, PlayOptions, Player } from '../../device-agent/player/player.js';

export class SilentPlayer implements Player {
  readonly name = 'silent';
  readonly formats: readonly AudioFormat[] = ['mp3', 'opus', 'wav'];

  play(_filePath: string, options: PlayOptions): Playback {
    let finish: (outcome: PlaybackOutcome) => void = () => {};
    const done = new Promise<PlaybackOutcome>((resolve) => {
      const timer = setTimeout(() => resolve('completed'), options.durationMs);
      finish = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
    });
    return { done, stop: () => finish('interrupted') };
  }
}
