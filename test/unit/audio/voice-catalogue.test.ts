/** Choosing a voice across engines, with engines that answer from fixed lists (the real engines are tested in test/integration/audio). */
import { describe, expect, it } from 'vitest';
import type { SynthesizedSpeech, TtsProvider, TtsProviderName } from '../../../server/audio/tts/tts-provider.js';
import type { VoiceInfo } from '../../../server/audio/tts/voice-info.js';
import { VoiceCatalogue } from '../../../server/audio/voice-catalogue.js';

function voice(provider: TtsProviderName, name: string, pitch: VoiceInfo['pitch'] = { min: -20, max: 20, default: 0 }): VoiceInfo {
  return { provider, name, label: name, languageCodes: ['vi-VN'], gender: null, speakingRate: { min: 0.5, max: 2, default: 1 }, pitch };
}

class ListedEngine implements TtsProvider {
  listings = 0;
  constructor(
    readonly name: TtsProviderName,
    readonly defaultVoice: string,
    private readonly voices: VoiceInfo[] | Error,
  ) {}
  async synthesize(): Promise<SynthesizedSpeech> {
    throw new Error('not used');
  }
  async listVoices(): Promise<VoiceInfo[]> {
    this.listings++;
    if (this.voices instanceof Error) throw this.voices;
    return this.voices;
  }
}

const warnings: object[] = [];
const logger = { warn: (details: object) => void warnings.push(details) };
const google = () => new ListedEngine('google', 'vi-VN-Standard-A', [voice('google', 'vi-VN-Standard-A'), voice('google', 'vi-VN-Chirp3-HD-Aoede', null)]);
const espeak = () => new ListedEngine('espeak', 'vi', [voice('espeak', 'vi'), voice('espeak', 'vi-vn-x-south')]);

describe('VoiceCatalogue.select', () => {
  it('gives the default engine\'s default voice at normal rate and pitch', async () => {
    const catalogue = new VoiceCatalogue({ espeak: espeak(), google: google() }, 'google', logger);
    expect(await catalogue.select({ language: 'vi-VN' })).toEqual({ provider: 'google', voice: 'vi-VN-Standard-A', speakingRate: 1, pitch: 0 });
  });

  it('finds a named voice in whichever engine has it, in that engine\'s spelling', async () => {
    const catalogue = new VoiceCatalogue({ espeak: espeak(), google: google() }, 'google', logger);
    expect(await catalogue.select({ language: 'vi-VN', voice: 'VI-VN-X-SOUTH', speakingRate: 1.5, pitch: -3 })).toEqual({
      provider: 'espeak',
      voice: 'vi-vn-x-south',
      speakingRate: 1.5,
      pitch: -3,
    });
  });

  it('names the field that is wrong', async () => {
    const catalogue = new VoiceCatalogue({ espeak: espeak(), google: google() }, 'google', logger);
    const fieldOf = (request: Parameters<VoiceCatalogue['select']>[0]) => catalogue.select(request).then(
      () => 'accepted',
      (error: { statusCode: number; details: { field: string }[] }) => `${error.statusCode} ${error.details.map((d) => d.field).join()}`,
    );
    expect(await fieldOf({ language: 'vi-VN', voice: 'vi-VN-Standard-Q' })).toBe('400 voice');
    expect(await fieldOf({ language: 'vi-VN', speakingRate: 2.5 })).toBe('400 speakingRate');
    expect(await fieldOf({ language: 'vi-VN', speakingRate: Number.NaN })).toBe('400 speakingRate');
    expect(await fieldOf({ language: 'vi-VN', pitch: 20.5 })).toBe('400 pitch');
    expect(await fieldOf({ language: 'vi-VN', voice: 'vi-VN-Chirp3-HD-Aoede', pitch: 1 })).toBe('400 pitch');
    expect(await fieldOf({ language: 'vi-VN', voice: 'vi-VN-Chirp3-HD-Aoede', pitch: 0 })).toBe('accepted');
    expect(await fieldOf({ language: 'vi-VN', provider: 'azure' })).toBe('400 provider');
    expect(await fieldOf({ language: 'vi-VN', provider: 'espeak', voice: 'vi-VN-Standard-A' })).toBe('400 voice');
  });

  it('lets an engine that cannot list its voices judge a voice itself, and says so in the log', async () => {
    const down = new ListedEngine('google', 'vi-VN-Standard-A', new Error('UNAVAILABLE'));
    const catalogue = new VoiceCatalogue({ google: down, espeak: espeak() }, 'google', logger);
    warnings.length = 0;
    expect(await catalogue.select({ language: 'vi-VN', voice: 'vi-VN-Wavenet-B' })).toEqual({ provider: 'google', voice: 'vi-VN-Wavenet-B', speakingRate: 1, pitch: 0 });
    expect(await catalogue.select({ language: 'vi-VN', voice: 'vi' })).toMatchObject({ provider: 'espeak' });
    expect(warnings.length).toBeGreaterThan(0);
  });
});

describe('VoiceCatalogue.list', () => {
  it('lists every engine, the default first, and reports one that fails instead of hiding it', async () => {
    const catalogue = new VoiceCatalogue({ espeak: espeak(), google: new ListedEngine('google', 'vi-VN-Standard-A', new Error('UNAVAILABLE: no route')) }, 'google', logger);
    const listed = await catalogue.list('vi-VN');
    expect(listed.map(({ provider, isDefault, available }) => ({ provider, isDefault, available }))).toEqual([
      { provider: 'google', isDefault: true, available: false },
      { provider: 'espeak', isDefault: false, available: true },
    ]);
    expect(listed[0]).toMatchObject({ error: 'UNAVAILABLE: no route', voices: [] });
    expect(listed[1]!.voices.map((v) => v.name)).toEqual(['vi', 'vi-vn-x-south']);
  });
});
