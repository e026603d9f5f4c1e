/** Plays through ffplay (FFmpeg's SDL player): no window, exits at the end, volume 0–100. */
import { spawn } from 'node:child_process';
import type { AudioFormat, Playback, PlayOptions, Player } from './player.js';
import { processPlayback } from './process-playback.js';

export class FfplayPlayer implements Player {
  readonly name = 'ffplay';
  readonly formats: readonly AudioFormat[] = ['mp3', 'opus', 'wav'];

  constructor(private readonly ffplayPath = 'ffplay') {}

  play(filePath: string, options: PlayOptions): Playback {
    const child = spawn(
      this.ffplayPath,
      ['-nodisp', '-autoexit', '-loglevel', 'error', '-volume', String(Math.round(options.volume)), filePath],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return processPlayback([child], 'ffplay');
  }
}
