/**
 * Plays through ALSA: ffmpeg decodes (and applies the volume) to WAV on a pipe, `aplay -D <device>`
 * plays it. For boards without SDL/ffplay.
 */
import { spawn } from 'node:child_process';
import type { AudioFormat, Playback, PlayOptions, Player } from './player.js';
import { processPlayback } from './process-playback.js';

export class AplayPlayer implements Player {
  readonly name = 'aplay';
  readonly formats: readonly AudioFormat[] = ['mp3', 'opus', 'wav'];

  constructor(
    private readonly device: string | undefined,
    private readonly ffmpegPath = 'ffmpeg',
    private readonly aplayPath = 'aplay',
  ) {}

  play(filePath: string, options: PlayOptions): Playback {
    const gain = (Math.max(0, Math.min(100, options.volume)) / 100).toFixed(2);
    const decoder = spawn(
      this.ffmpegPath,
      ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', filePath, '-af', `volume=${gain}`, '-f', 'wav', '-'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const sink = spawn(this.aplayPath, [...(this.device ? ['-D', this.device] : []), '-q', '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    decoder.stdout.pipe(sink.stdin);
    // aplay closing early (stopped) makes ffmpeg see EPIPE; that is expected, not an error to surface.
    sink.stdin.on('error', () => {});
    decoder.stdout.on('error', () => {});
    return processPlayback([decoder, sink], 'aplay');
  }
}
