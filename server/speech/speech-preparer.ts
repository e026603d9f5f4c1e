/**
 * Turns what an official wrote into what the speech engine should read: the area's pronunciation
 * dictionary, then the Vietnamese normalisation rules. Both providers synthesise its output, so a
 * dictionary entry applies to either.
 */
import type { PronunciationDictionary } from './pronunciation-dictionary.js';
import { normalizeVietnamese, type NormalizedText } from './vietnamese-normalizer.js';

export class SpeechPreparer {
  constructor(private readonly dictionary: PronunciationDictionary) {}

  /** `areaId`: whose dictionary applies (with the areas above it); null: only network-wide entries. */
  async prepare(text: string, areaId: string | null): Promise<NormalizedText> {
    const entries = await this.dictionary.entriesFor(areaId);
    return normalizeVietnamese(text, { dictionary: entries.map(({ match, spoken, kind }) => ({ match, spoken, kind })) });
  }
}
