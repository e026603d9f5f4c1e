/**
 * The voices of every configured TTS engine, and the choice of one for a request: a named voice is
 * looked up across engines (the default engine first), so an official picks "vi-vn-x-south" or
 * "vi-VN-Wavenet-A" without knowing which engine speaks it; its speaking rate and pitch are checked
 * against that voice's ranges, and a mistake is a 400 naming the field.
 */
import { validationError } from '../errors.js';
import type { AudioLogger } from './audio-renderer.js';
import type { TtsProvider } from './tts/tts-provider.js';
import { rangeProblem, type SettingRange, type VoiceInfo } from './tts/voice-info.js';

export interface ProviderVoices {
  readonly provider: string;
  readonly isDefault: boolean;
  readonly defaultVoice: string;
  /** False when the engine could not be asked (`error` says why); its voices may still work. */
  readonly available: boolean;
  readonly error?: string;
  readonly voices: readonly VoiceInfo[];
}

export interface VoiceRequest {
  readonly language: string;
  readonly voice?: string | undefined;
  readonly speakingRate?: number | undefined;
  readonly pitch?: number | undefined;
  /** A key of the configured providers; chosen by the voice (or the default) when absent. */
  readonly provider?: string | undefined;
}

/** What a render uses; part of its cache key. */
export interface VoiceSelection {
  readonly provider: string;
  readonly voice: string;
  readonly speakingRate: number;
  readonly pitch: number;
}

// For a voice no list describes (an engine that could not be asked, or a configured default it does
// not list): wide enough for any engine, which clamps what it cannot do.
const UNLISTED_SPEAKING_RATE: SettingRange = { min: 0.25, max: 4, default: 1 };
const UNLISTED_PITCH: SettingRange = { min: -20, max: 20, default: 0 };

export class VoiceCatalogue {
  constructor(
    private readonly providers: Readonly<Record<string, TtsProvider>>,
    private readonly defaultProvider: string,
    private readonly logger: Pick<AudioLogger, 'warn'>,
  ) {}

  /** Every engine's voices for `language`, the default engine first; an engine that fails is reported, not hidden. */
  async list(language: string): Promise<ProviderVoices[]> {
    return Promise.all(
      this.providerNames().map(async (name): Promise<ProviderVoices> => {
        const provider = this.providers[name]!;
        const base = { provider: name, isDefault: name === this.defaultProvider, defaultVoice: provider.defaultVoice };
        try {
          return { ...base, available: true, voices: await provider.listVoices(language) };
        } catch (error) {
          return { ...base, available: false, error: (error as Error).message, voices: [] };
        }
      }),
    );
  }

  async select(request: VoiceRequest): Promise<VoiceSelection> {
    const candidates = request.provider === undefined ? this.providerNames() : [this.knownProvider(request.provider)];
    const { provider, voice, info } = request.voice === undefined
      ? await this.defaultVoiceOf(candidates[0]!, request.language)
      : await this.find(request.voice, candidates, request.language);
    const speakingRate = request.speakingRate ?? 1;
    const rateProblem = rangeProblem(speakingRate, info?.speakingRate ?? UNLISTED_SPEAKING_RATE);
    if (rateProblem) throw fieldError('speakingRate', `${rateProblem} for ${voice}`);
    const pitch = request.pitch ?? 0;
    if (info && info.pitch === null && pitch !== 0) throw fieldError('pitch', `${voice} cannot change its pitch`);
    const pitchProblem = rangeProblem(pitch, info?.pitch ?? UNLISTED_PITCH);
    if (pitchProblem) throw fieldError('pitch', `${pitchProblem} semitones for ${voice}`);
    return { provider, voice, speakingRate, pitch };
  }

  private async find(requested: string, candidates: readonly string[], language: string): Promise<{ provider: string; voice: string; info: VoiceInfo | null }> {
    const unlisted: string[] = [];
    for (const name of candidates) {
      const voices = await this.voicesOf(name, language);
      if (!voices) {
        unlisted.push(name);
        continue;
      }
      const info = voices.find((voice) => voice.name.toLowerCase() === requested.toLowerCase());
      if (info) return { provider: name, voice: info.name, info };
    }
    // An engine that could not say what it has may still have it: let it try, and judge.
    const fallback = unlisted[0];
    if (fallback) return { provider: fallback, voice: requested, info: null };
    throw fieldError('voice', `there is no voice "${requested}" for ${language} (GET /api/tts/voices lists them)`);
  }

  private async defaultVoiceOf(name: string, language: string): Promise<{ provider: string; voice: string; info: VoiceInfo | null }> {
    const voice = this.providers[name]!.defaultVoice;
    const voices = await this.voicesOf(name, language);
    const info = voices?.find((candidate) => candidate.name.toLowerCase() === voice.toLowerCase()) ?? null;
    return { provider: name, voice: info?.name ?? voice, info };
  }

  private async voicesOf(name: string, language: string): Promise<VoiceInfo[] | null> {
    try {
      return await this.providers[name]!.listVoices(language);
    } catch (error) {
      this.logger.warn({ provider: name, err: error }, 'could not list the voices of a TTS engine');
      return null;
    }
  }

  private knownProvider(name: string): string {
    if (Object.hasOwn(this.providers, name)) return name;
    const known = Object.keys(this.providers).join(', ');
    throw validationError(`provider: unknown TTS provider "${name}" (configured: ${known})`, [{ field: 'provider', message: `must be one of: ${known}` }]);
  }

  private providerNames(): string[] {
    const others = Object.keys(this.providers).filter((name) => name !== this.defaultProvider);
    return Object.hasOwn(this.providers, this.defaultProvider) ? [this.defaultProvider, ...others] : others;
  }
}

function fieldError(field: string, message: string) {
  return validationError(`${field}: ${message}`, [{ field, message }]);
}
