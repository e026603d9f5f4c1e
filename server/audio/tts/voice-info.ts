/** A voice as GET /api/tts/voices lists it, and the ranges a request's settings are checked against. */
import type { TtsProviderName } from './tts-provider.js';

export interface SettingRange {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

export type VoiceGender = 'female' | 'male' | 'neutral';

export interface VoiceInfo {
  readonly provider: TtsProviderName;
  /** What a request names as `voice`. */
  readonly name: string;
  /** For people, e.g. "Vietnamese (Southern)". */
  readonly label: string;
  readonly languageCodes: readonly string[];
  readonly gender: VoiceGender | null;
  /** 1 is the engine's normal pace. */
  readonly speakingRate: SettingRange;
  /** Semitones relative to the voice's normal pitch; null when the voice cannot change it. */
  readonly pitch: SettingRange | null;
}

/** Why `value` is not accepted, or null when it is. */
export function rangeProblem(value: number, range: SettingRange): string | null {
  if (Number.isFinite(value) && value >= range.min && value <= range.max) return null;
  return `must be between ${range.min} and ${range.max}`;
}

/** The primary language subtag, lower case: `vi-VN` → `vi`. */
export function primaryLanguage(tag: string): string {
  return (tag.split(/[-_]/)[0] ?? tag).toLowerCase();
}
