/**
 * Google's voices as the API lists them. ListVoices names no setting ranges, so these are the
 * documented ones (AudioConfig: speaking_rate 0.25–4.0, pitch −20–20 semitones); Chirp 3: HD voices
 * take no pitch at all (https://cloud.google.com/text-to-speech/docs/chirp3-hd).
 */
import type { protos } from '@google-cloud/text-to-speech';
import type { SettingRange, VoiceGender, VoiceInfo } from './voice-info.js';

type GoogleVoice = protos.google.cloud.texttospeech.v1.IVoice;

export const GOOGLE_SPEAKING_RATE: SettingRange = { min: 0.25, max: 4, default: 1 };
export const GOOGLE_PITCH: SettingRange = { min: -20, max: 20, default: 0 };

// SsmlVoiceGender: numbers on the wire with `enum-encoding=int`, names once the client decodes them.
const GENDERS: Readonly<Record<string, VoiceGender>> = { MALE: 'male', FEMALE: 'female', NEUTRAL: 'neutral', 1: 'male', 2: 'female', 3: 'neutral' };

export function toVoiceInfo(voice: GoogleVoice): VoiceInfo | null {
  if (!voice.name) return null;
  const languageCodes = voice.languageCodes ?? [];
  return {
    provider: 'google',
    name: voice.name,
    label: labelOf(voice.name, languageCodes),
    languageCodes,
    gender: GENDERS[String(voice.ssmlGender ?? '')] ?? null,
    speakingRate: GOOGLE_SPEAKING_RATE,
    pitch: /-Chirp3?-HD-/i.test(voice.name) ? null : GOOGLE_PITCH,
  };
}

/** `vi-VN-Wavenet-A` → `Wavenet A`: the language is shown beside it anyway. */
function labelOf(name: string, languageCodes: readonly string[]): string {
  const prefix = languageCodes.find((code) => name.toLowerCase().startsWith(`${code.toLowerCase()}-`));
  return (prefix ? name.slice(prefix.length + 1) : name).replaceAll('-', ' ');
}
