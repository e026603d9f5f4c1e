/**
 * Which voice, speed and pitch a text bulletin will be spoken with, as the server decides it
 * (server/broadcasts/bulletin-service.ts voiceSettingsFor, server/audio/voice-catalogue.ts): the
 * voice the official chose, else their area's default (its rate and pitch with it), else the
 * server's; a rate or pitch left alone is the voice's normal one (1, 0 semitones).
 */
import type { SettingRange, VoiceInfo, VoiceOptions } from './compose-types.js';

/** Whatever an engine accepts for a voice it does not list (voice-catalogue.ts UNLISTED_*). */
const UNLISTED_RATE: SettingRange = { min: 0.25, max: 4, default: 1 };
const UNLISTED_PITCH: SettingRange = { min: -20, max: 20, default: 0 };

export interface VoiceChoice {
  /** '' for "the default voice". */
  readonly voice: string;
  /** Null: not changed, the default applies. */
  readonly speakingRate: number | null;
  readonly pitch: number | null;
}

export interface EffectiveVoice {
  /** The voice that will speak, as the engine names it. */
  readonly name: string;
  readonly info: VoiceInfo | undefined;
  readonly speakingRate: number;
  readonly pitch: number;
  readonly rateRange: SettingRange;
  /** Null when the voice cannot change its pitch. */
  readonly pitchRange: SettingRange | null;
}

export function allVoices(options: VoiceOptions): VoiceInfo[] {
  return options.providers.flatMap((provider) => provider.voices);
}

/** Voice names are matched without regard to case, as the server does. */
export function findVoice(options: VoiceOptions, name: string): VoiceInfo | undefined {
  const wanted = name.toLowerCase();
  return allVoices(options).find((voice) => voice.name.toLowerCase() === wanted);
}

export function effectiveVoice(options: VoiceOptions, choice: VoiceChoice): EffectiveVoice {
  const area = choice.voice ? null : options.areaDefault;
  const name = choice.voice || area?.voice || options.serverDefault.voice;
  const info = findVoice(options, name);
  const rateRange = info?.speakingRate ?? UNLISTED_RATE;
  const pitchRange = info ? info.pitch : UNLISTED_PITCH;
  return {
    name: info?.name ?? name,
    info,
    speakingRate: choice.speakingRate ?? area?.speakingRate ?? 1,
    pitch: choice.pitch ?? area?.pitch ?? 0,
    rateRange,
    pitchRange,
  };
}

/** The request's voice fields: only what the official set, so unset ones follow the area's default. */
export function voiceRequest(choice: VoiceChoice): { voice?: string; speakingRate?: number; pitch?: number } {
  return {
    ...(choice.voice ? { voice: choice.voice } : {}),
    ...(choice.speakingRate !== null ? { speakingRate: choice.speakingRate } : {}),
    ...(choice.pitch !== null ? { pitch: choice.pitch } : {}),
  };
}

/** A problem with a setting against the voice's range, for the field it belongs to. */
export function voiceProblems(effective: EffectiveVoice): { field: 'speakingRate' | 'pitch'; min: number; max: number }[] {
  const problems: { field: 'speakingRate' | 'pitch'; min: number; max: number }[] = [];
  const { rateRange, pitchRange } = effective;
  if (effective.speakingRate < rateRange.min || effective.speakingRate > rateRange.max) problems.push({ field: 'speakingRate', min: rateRange.min, max: rateRange.max });
  const pitch = pitchRange ?? { min: 0, max: 0 };
  if (effective.pitch < pitch.min || effective.pitch > pitch.max) problems.push({ field: 'pitch', min: pitch.min, max: pitch.max });
  return problems;
}

/**
 * A slider's bounds on its step: a range input only takes min + k × step, so espeak-ng's 0.54
 * minimum with a 0.05 step would make 1 (the normal pace) impossible to choose.
 */
export function sliderBounds(range: SettingRange, step: number): { min: number; max: number } {
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  return { min: round(Math.ceil(range.min / step - 1e-9) * step), max: round(Math.floor(range.max / step + 1e-9) * step) };
}

/** espeak-ng's Vietnamese voices, which the console names in the official's language. */
export const KNOWN_VOICES = { vi: 'north', 'vi-vn-x-central': 'central', 'vi-vn-x-south': 'south' } as const;
export type KnownVoice = (typeof KNOWN_VOICES)[keyof typeof KNOWN_VOICES];

export function knownVoice(name: string): KnownVoice | undefined {
  return (KNOWN_VOICES as Readonly<Record<string, KnownVoice>>)[name.toLowerCase()];
}
