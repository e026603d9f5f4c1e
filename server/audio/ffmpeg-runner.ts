/** Runs ffmpeg and ffprobe through fluent-ffmpeg with the resolved binaries, a time limit, and ffmpeg's log kept for parsing. */
import ffmpeg, { type FfmpegCommand, type FfprobeData } from 'fluent-ffmpeg';
import { resolveAudioBinaries } from './binaries.js';

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly log: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FfmpegError';
  }
}

export interface FfmpegRunOptions {
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** Resolves with ffmpeg's stderr lines (where filters such as ebur128 print their results). */
export function runFfmpeg(input: string, configure: (command: FfmpegCommand) => FfmpegCommand, options: FfmpegRunOptions = {}): Promise<string[]> {
  const binaries = resolveAudioBinaries();
  return new Promise((resolve, reject) => {
    const log: string[] = [];
    const command = ffmpeg(input, { timeout: Math.ceil((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000), stdoutLines: 20 })
      .setFfmpegPath(binaries.ffmpeg)
      .setFfprobePath(binaries.ffprobe)
      .inputOptions(['-hide_banner', '-nostdin', '-nostats']);
    configure(command)
      .on('stderr', (line: string) => log.push(line))
      .on('error', (error: Error) => reject(new FfmpegError(error.message.split('\n')[0] ?? 'ffmpeg failed', log.join('\n'), { cause: error })))
      .on('end', () => resolve(log))
      .run();
  });
}

export function probeMedia(file: string): Promise<FfprobeData> {
  const binaries = resolveAudioBinaries();
  return new Promise((resolve, reject) => {
    ffmpeg(file)
      .setFfprobePath(binaries.ffprobe)
      .ffprobe((error: unknown, data: FfprobeData) => {
        if (error) {
          const message = error instanceof Error ? error.message : String(error);
          reject(new FfmpegError(message.split('\n')[0] ?? 'ffprobe failed', message, { cause: error }));
        } else {
          resolve(data);
        }
      });
  });
}
