/**
 * Measurements the audio tests make on finished files with ffmpeg itself, independently of what the
 * pipeline reports about them: decoded length, silent stretches (silencedetect), loudness (ebur128).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runFfmpeg } from '../../../server/audio/ffmpeg-runner.js';
import { parseWav, pcmDurationMs } from '../../../server/audio/wav-codec.js';

export interface SilentStretch {
  readonly startMs: number;
  readonly endMs: number;
  readonly durationMs: number;
}

/** The length of what a player would play: decoded samples, not the container's claim. */
export async function decodedDurationMs(filePath: string): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'decoded-'));
  try {
    const wavPath = path.join(dir, 'decoded.wav');
    await runFfmpeg(filePath, (command) => command.noVideo().audioCodec('pcm_s16le').audioChannels(1).output(wavPath));
    return pcmDurationMs(parseWav(await readFile(wavPath)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every stretch quieter than `noiseDb` lasting at least `minMs`, found by ffmpeg's silencedetect. */
export async function silentStretches(filePath: string, { noiseDb = -50, minMs = 50 } = {}): Promise<SilentStretch[]> {
  const log = await runFfmpeg(filePath, (command) =>
    command.noVideo().audioFilters(`silencedetect=noise=${noiseDb}dB:d=${minMs / 1000}`).outputOptions(['-f', 'null']).output('-'),
  );
  const totalMs = await decodedDurationMs(filePath);
  const stretches: SilentStretch[] = [];
  let startMs: number | null = null;
  for (const line of log) {
    const started = /silence_start: (-?[\d.]+)/.exec(line);
    const ended = /silence_end: ([\d.]+)/.exec(line);
    if (started) startMs = Math.max(0, Number(started[1]) * 1000);
    if (ended && startMs !== null) {
      stretches.push({ startMs, endMs: Number(ended[1]) * 1000, durationMs: Number(ended[1]) * 1000 - startMs });
      startMs = null;
    }
  }
  if (startMs !== null) stretches.push({ startMs, endMs: totalMs, durationMs: totalMs - startMs });
  return stretches;
}

/** Silent stretches that are neither at the very start nor at the very end: the gaps inside. */
export function innerGaps(stretches: readonly SilentStretch[], totalMs: number, edgeMs = 5): SilentStretch[] {
  return stretches.filter((stretch) => stretch.startMs > edgeMs && stretch.endMs < totalMs - edgeMs);
}
