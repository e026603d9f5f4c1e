/**
 * Reads the table `espeak-ng --voices=<language>` prints, so the voices offered are the ones the
 * installed build really has (the system package and the WebAssembly build may differ):
 *
 *   Pty Language       Age/Gender VoiceName          File                 Other Languages
 *    5  vi              --/M      Vietnamese_(Northern) aav/vi
 *    5  vi-vn-x-central --/M      Vietnamese_(Central) aav/vi-VN-x-central
 */
import type { VoiceGender } from './voice-info.js';

export interface EspeakVoiceEntry {
  /** What `-v` takes. */
  readonly language: string;
  readonly label: string;
  readonly gender: VoiceGender | null;
}

const ROW = /^\s*\d+\s+(\S+)\s+\S*\/([MF-])\s+(\S+)\s+\S+/;

export function parseEspeakVoiceList(lines: readonly string[]): EspeakVoiceEntry[] {
  const entries: EspeakVoiceEntry[] = [];
  for (const line of lines.flatMap((chunk) => chunk.split('\n'))) {
    const match = ROW.exec(line);
    if (!match) continue;
    const gender = match[2];
    entries.push({ language: match[1]!, label: match[3]!.replaceAll('_', ' '), gender: gender === 'M' ? 'male' : gender === 'F' ? 'female' : null });
  }
  return entries;
}
