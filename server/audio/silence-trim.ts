/**
 * Where a recording's sound starts and ends, measured with ffmpeg's silencedetect, so the lead-in
 * and tail of a phone or browser recording (the tap on "record", the fumble for "stop") are not
 * broadcast. The threshold follows the recording's own loudness: a quiet recording's speech would
 * otherwise pass for silence, and a loud one's room noise for sound.
 */
import { runFfmpeg } from './ffmpeg-runner.js';

export interface SoundWindow {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

export interface TrimOptions {
  /** Kept before the first and after the last sound, so soft onsets and decays survive. */
  readonly marginMs: number;
}

// Speech peaks sit 10–20 dB above its integrated loudness and room noise 30–50 dB below it.
const THRESHOLD_BELOW_LOUDNESS_DB = 30;
const THRESHOLD_RANGE_DBFS = { min: -60, max: -35 };
/** Quiet stretches shorter than this are pauses within speech, not lead-in or tail. */
const MIN_SILENCE_SECONDS = 0.1;
// Rounding in silencedetect's timestamps.
const EDGE_SLACK_SECONDS = 0.02;

export function silenceThresholdDbfs(integratedLufs: number | null): number {
  if (integratedLufs === null) return THRESHOLD_RANGE_DBFS.min;
  return Math.min(THRESHOLD_RANGE_DBFS.max, Math.max(THRESHOLD_RANGE_DBFS.min, integratedLufs - THRESHOLD_BELOW_LOUDNESS_DB));
}

/**
 * The part of `filePath` worth keeping, or null when there is nothing to cut (or nothing but
 * silence, which is left whole rather than trimmed to nothing).
 */
export async function measureSoundWindow(
  filePath: string,
  durationSeconds: number,
  thresholdDbfs: number,
  options: TrimOptions,
): Promise<SoundWindow | null> {
  const log = await runFfmpeg(filePath, (command) =>
    command
      .noVideo()
      .audioFilters(`silencedetect=noise=${thresholdDbfs}dB:d=${MIN_SILENCE_SECONDS}`)
      .outputOptions(['-f', 'null'])
      .output('-'),
  );
  const silences = parseSilences(log, durationSeconds);
  const lead = silences.find((silence) => silence.start <= EDGE_SLACK_SECONDS);
  const tail = silences.find((silence) => silence.end >= durationSeconds - EDGE_SLACK_SECONDS);
  if (lead && lead === tail) return null;
  const soundStart = lead ? lead.end : 0;
  const soundEnd = tail ? tail.start : durationSeconds;
  const margin = options.marginMs / 1000;
  const window = { startSeconds: Math.max(0, soundStart - margin), endSeconds: Math.min(durationSeconds, soundEnd + margin) };
  if (window.startSeconds <= EDGE_SLACK_SECONDS && window.endSeconds >= durationSeconds - EDGE_SLACK_SECONDS) return null;
  return window;
}

export interface Silence {
  readonly start: number;
  readonly end: number;
}

/**
 * silencedetect logs `silence_start: 1.2` and `silence_end: 2.5 | silence_duration: 1.3`; a silence
 * still running at the end of the file gets no end line from older builds, so it ends at `durationSeconds`.
 */
export function parseSilences(log: readonly string[], durationSeconds: number): Silence[] {
  const silences: Silence[] = [];
  let start: number | null = null;
  for (const line of log) {
    const started = /silence_start:\s*(-?[\d.]+)/.exec(line);
    if (started) {
      start = Math.max(0, Number(started[1]));
      continue;
    }
    const ended = /silence_end:\s*(-?[\d.]+)/.exec(line);
    if (ended && start !== null) {
      silences.push({ start, end: Number(ended[1]) });
      start = null;
    }
  }
  if (start !== null) silences.push({ start, end: durationSeconds });
  return silences;
}
