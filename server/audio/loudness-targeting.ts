/**
 * Chooses gain and limiter ceiling for each encode attempt, closing the loop on what the encoded
 * file actually measures. A single linear gain (loudnorm's linear mode) is exact only when the peaks
 * allow it; synthetic speech such as espeak-ng's has a crest factor near 19 dB, so reaching −16 LUFS
 * needs peak limiting, whose loudness cost is not known in advance, and the MP3 encoder then removes
 * a little loudness and adds a little peak. So: measure, correct, re-encode (usually 1–3 attempts).
 */
import type { LoudnessMeasurement } from './ebur128-summary.js';

export interface LoudnessTarget {
  readonly integratedLufs: number;
  readonly maxTruePeakDbtp: number;
}

export interface EncodePlan {
  readonly gainDb: number;
  /** Ceiling of the (oversampled) limiter, below the true-peak limit to leave room for the encoder's overshoot. */
  readonly ceilingDb: number;
}

export interface EncodeAttempt extends EncodePlan, LoudnessMeasurement {}

/** Close enough to the target that another encode is not worth its time (the product allows ±1 LU). */
export const LOUDNESS_TOLERANCE_LU = 0.5;
export const MAX_ATTEMPTS = 4;
// MP3 at speech bitrates overshoots the limiter's ceiling by up to ~0.8 dB in our measurements.
const ENCODER_HEADROOM_DB = 1;
const EXTRA_PEAK_MARGIN_DB = 0.2;
// alimiter accepts limits down to 0.0625 (−24 dBFS).
const LOWEST_CEILING_DB = -24;
const GAIN_RANGE_DB = { min: -40, max: 30 };
// Loudness change per dB of gain when nothing better is known: 1 without limiting, about 0.45 when
// limiting espeak-ng speech; in between, a first correction neither stalls nor overshoots much.
const DEFAULT_SLOPE = 0.7;
// Loudness the limiter takes per dB the linear gain would put the peaks over its ceiling, before any
// render of the voice taught better: 0.4 to 0.6 measured on espeak-ng Vietnamese bulletins (peaks 4
// to 6 dB over); the lower end, so a first render falls short (one more encode), never too loud.
const LIMITING_LOSS_PER_DB_OVER = 0.4;

/**
 * `correctionDb`: what the gain finally chosen for similar audio (the same voice) was above the
 * linear one, learnt from earlier renders (GainMemory). Without it, it is estimated from how far
 * the linear gain would push the peaks over the limiter's ceiling. Either way speech usually meets
 * the target at the first encode instead of the second or third.
 */
export function firstPlan(input: LoudnessMeasurement, target: LoudnessTarget, correctionDb?: number): EncodePlan {
  const ceilingDb = target.maxTruePeakDbtp - ENCODER_HEADROOM_DB;
  const linear = linearGainDb(input, target);
  if (linear !== null) {
    const overCeilingDb = input.truePeakDbtp === null ? 0 : Math.max(0, input.truePeakDbtp + linear - ceilingDb);
    return { gainDb: clampGain(linear + (correctionDb ?? LIMITING_LOSS_PER_DB_OVER * overCeilingDb)), ceilingDb };
  }
  // Too short (under one 400 ms block) or silent to measure loudness: bring the peak to the ceiling instead.
  if (input.truePeakDbtp !== null) return { gainDb: clampGain(ceilingDb - input.truePeakDbtp), ceilingDb };
  return { gainDb: 0, ceilingDb };
}

export function meetsTarget(attempt: LoudnessMeasurement, target: LoudnessTarget): boolean {
  return loudnessOk(attempt, target) && peakOk(attempt, target);
}

/** The next plan, or null when the last attempt is good enough or no further attempt would help. */
export function nextPlan(history: readonly EncodeAttempt[], target: LoudnessTarget): EncodePlan | null {
  const last = history[history.length - 1];
  if (!last || meetsTarget(last, target) || history.length >= MAX_ATTEMPTS) return null;
  const ceilingDb = peakOk(last, target)
    ? last.ceilingDb
    : Math.max(LOWEST_CEILING_DB, last.ceilingDb - ((last.truePeakDbtp ?? 0) - target.maxTruePeakDbtp) - EXTRA_PEAK_MARGIN_DB);
  let gainDb = last.gainDb;
  if (!loudnessOk(last, target) && last.integratedLufs !== null) {
    gainDb = clampGain(last.gainDb + (target.integratedLufs - last.integratedLufs) / slopeFrom(history));
  }
  if (Math.abs(gainDb - last.gainDb) < 0.01 && Math.abs(ceilingDb - last.ceilingDb) < 0.01) return null;
  return { gainDb, ceilingDb };
}

/** Prefer attempts within the peak limit, then the one closest to the loudness target. */
export function bestAttempt<T extends EncodeAttempt>(history: readonly T[], target: LoudnessTarget): T {
  let best: T | undefined;
  for (const attempt of history) {
    if (!best || score(attempt, target) <= score(best, target)) best = attempt;
  }
  if (!best) throw new Error('no encode attempt to choose from');
  return best;
}

function score(attempt: EncodeAttempt, target: LoudnessTarget): number {
  const loudnessError = attempt.integratedLufs === null ? 50 : Math.abs(attempt.integratedLufs - target.integratedLufs);
  return (peakOk(attempt, target) ? 0 : 100) + loudnessError;
}

function slopeFrom(history: readonly EncodeAttempt[]): number {
  const last = history[history.length - 1]!;
  for (let i = history.length - 2; i >= 0; i--) {
    const earlier = history[i]!;
    if (earlier.integratedLufs === null || last.integratedLufs === null) continue;
    if (Math.abs(earlier.gainDb - last.gainDb) < 0.1) continue;
    const slope = (last.integratedLufs - earlier.integratedLufs) / (last.gainDb - earlier.gainDb);
    return Math.min(1, Math.max(0.2, slope));
  }
  return DEFAULT_SLOPE;
}

function loudnessOk(attempt: LoudnessMeasurement, target: LoudnessTarget): boolean {
  return attempt.integratedLufs === null || Math.abs(attempt.integratedLufs - target.integratedLufs) <= LOUDNESS_TOLERANCE_LU;
}

function peakOk(attempt: LoudnessMeasurement, target: LoudnessTarget): boolean {
  return attempt.truePeakDbtp === null || attempt.truePeakDbtp <= target.maxTruePeakDbtp;
}

/** The gain that would meet the loudness target if nothing limited the peaks; null when the input has no measurable loudness. */
export function linearGainDb(input: LoudnessMeasurement, target: LoudnessTarget): number | null {
  return input.integratedLufs === null ? null : target.integratedLufs - input.integratedLufs;
}

/**
 * What renders of one kind of audio (a TTS voice) needed above the linear gain, remembered as a
 * moving average: speech from one voice has a steady crest factor, so limiting costs it a steady
 * amount of loudness.
 */
export class GainMemory {
  private readonly corrections = new Map<string, number>();

  /** Undefined until a render of this kind was seen. */
  correctionFor(kind: string): number | undefined {
    return this.corrections.get(kind);
  }

  remember(kind: string, correctionDb: number): void {
    const known = this.corrections.get(kind);
    this.corrections.set(kind, known === undefined ? correctionDb : known + (correctionDb - known) * GAIN_MEMORY_WEIGHT);
  }
}

/** How much a new render moves the remembered correction. */
const GAIN_MEMORY_WEIGHT = 0.5;

function clampGain(gainDb: number): number {
  return Math.min(GAIN_RANGE_DB.max, Math.max(GAIN_RANGE_DB.min, gainDb));
}
