import { describe, expect, it } from 'vitest';
import { canonicalLanguageTag } from '../../../server/audio/language-tag.js';
import { parseSilences } from '../../../server/audio/silence-trim.js';
import { parseEspeakVoiceList } from '../../../server/audio/tts/espeak-voice-list.js';
import { toVoiceInfo } from '../../../server/audio/tts/google-voices.js';

describe('parseEspeakVoiceList', () => {
  it('reads the table espeak-ng 1.51 prints for --voices=vi', () => {
    const printed = [
      'Pty Language       Age/Gender VoiceName          File                 Other Languages',
      ' 5  vi              --/M      Vietnamese_(Northern) aav/vi               ',
      ' 5  vi-vn-x-central --/M      Vietnamese_(Central) aav/vi-VN-x-central  ',
      ' 5  vi-vn-x-south   --/F      Vietnamese_(Southern) aav/vi-VN-x-south    ',
    ].join('\n');
    expect(parseEspeakVoiceList([printed])).toEqual([
      { language: 'vi', label: 'Vietnamese (Northern)', gender: 'male' },
      { language: 'vi-vn-x-central', label: 'Vietnamese (Central)', gender: 'male' },
      { language: 'vi-vn-x-south', label: 'Vietnamese (Southern)', gender: 'female' },
    ]);
    expect(parseEspeakVoiceList(['Pty Language Age/Gender VoiceName File Other Languages'])).toEqual([]);
  });
});

describe('toVoiceInfo (Google)', () => {
  it('reads genders as numbers (the wire) or names (the client), and knows Chirp 3: HD takes no pitch', () => {
    expect(toVoiceInfo({ name: 'vi-VN-Neural2-A', languageCodes: ['vi-VN'], ssmlGender: 2 })).toMatchObject({ label: 'Neural2 A', gender: 'female', pitch: { min: -20, max: 20 } });
    expect(toVoiceInfo({ name: 'vi-VN-Standard-B', languageCodes: ['vi-VN'], ssmlGender: 'MALE' })).toMatchObject({ gender: 'male' });
    expect(toVoiceInfo({ name: 'vi-VN-Chirp3-HD-Charon', languageCodes: ['vi-VN'] })).toMatchObject({ gender: null, pitch: null, speakingRate: { min: 0.25, max: 4 } });
    expect(toVoiceInfo({ languageCodes: ['vi-VN'] })).toBeNull();
  });
});

describe('canonicalLanguageTag', () => {
  it('accepts the languages recordings come in, in canonical case', () => {
    expect(['vi', 'vi-vn', 'mtq', 'hmn', 'tai', 'VI-VN', 'zh-hant-tw', 'es-419'].map(canonicalLanguageTag)).toEqual(['vi', 'vi-VN', 'mtq', 'hmn', 'tai', 'vi-VN', 'zh-Hant-TW', 'es-419']);
  });

  it('refuses what is not a language tag', () => {
    for (const tag of ['', 'vietnamese', 'vi_VN', 'v', 'x-private', 'vi-VN-u-ca-buddhist', 'vi--VN', '12', 'vi VN']) expect(canonicalLanguageTag(tag)).toBeNull();
  });
});

describe('parseSilences', () => {
  it('pairs starts with ends and closes a silence still running at the end of the file', () => {
    const log = [
      '[silencedetect @ 0x1] silence_start: -0.00133333',
      '[silencedetect @ 0x1] silence_end: 1.50258 | silence_duration: 1.50392',
      'size=N/A time=00:00:05.50',
      '[silencedetect @ 0x1] silence_start: 3.5',
    ];
    expect(parseSilences(log, 5.5)).toEqual([
      { start: 0, end: 1.50258 },
      { start: 3.5, end: 5.5 },
    ]);
  });
});
