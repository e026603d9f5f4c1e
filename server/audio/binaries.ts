/**
 * Which ffmpeg and ffprobe to run. A system build on PATH wins because distributions keep it
 * patched; the npm-installed static builds are the fallback so a bare machine still works.
 */
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { findExecutableOnPath } from './executable-on-path.js';

export interface AudioBinaries {
  readonly ffmpeg: string;
  readonly ffprobe: string;
  readonly source: 'system' | 'npm';
}

let resolved: AudioBinaries | undefined;

export function resolveAudioBinaries(): AudioBinaries {
  resolved ??= chooseAudioBinaries(process.env.PATH);
  return resolved;
}

/** Both from the same source: a system ffmpeg paired with a different ffprobe build would measure what it did not make. */
export function chooseAudioBinaries(pathVariable: string | undefined): AudioBinaries {
  const ffmpeg = findExecutableOnPath('ffmpeg', pathVariable);
  const ffprobe = findExecutableOnPath('ffprobe', pathVariable);
  if (ffmpeg && ffprobe) return Object.freeze({ ffmpeg, ffprobe, source: 'system' });
  return Object.freeze({ ffmpeg: ffmpegInstaller.path, ffprobe: ffprobeInstaller.path, source: 'npm' });
}
