/**
 * The first look at an uploaded file: ffprobe reads its headers, which is cheap, so a file that is
 * not audio or is longer than the limit is refused before the expensive normalisation starts.
 */
import type { FfprobeData } from 'fluent-ffmpeg';
import { AudioTooLongError, UnsupportedAudioError } from './audio-errors.js';
import { probeMedia } from './ffmpeg-runner.js';

export interface ProbedUpload {
  /** As the container declares it; null when it declares none (decoding enforces the limit then). */
  readonly durationSeconds: number | null;
}

export async function probeUpload(filePath: string, options: { displayName: string; maxSeconds: number }): Promise<ProbedUpload> {
  let probed: FfprobeData;
  try {
    probed = await probeMedia(filePath);
  } catch (error) {
    throw new UnsupportedAudioError(`"${options.displayName}" is not an audio file ffmpeg can read`, { cause: error });
  }
  const audioStreams = probed.streams.filter((stream) => stream.codec_type === 'audio');
  if (audioStreams.length === 0) throw new UnsupportedAudioError(`"${options.displayName}" contains no audio stream`);
  // Only the audio is decoded (the first audio stream), so a long video track beside it does not count.
  const streamSeconds = audioStreams.map((stream) => positiveSeconds(stream.duration)).filter((seconds) => seconds !== null);
  const durationSeconds = streamSeconds.length > 0 ? Math.max(...streamSeconds) : positiveSeconds(probed.format.duration);
  if (durationSeconds !== null && durationSeconds > options.maxSeconds) {
    throw new AudioTooLongError(options.displayName, options.maxSeconds, durationSeconds);
  }
  return { durationSeconds };
}

function positiveSeconds(value: unknown): number | null {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}
