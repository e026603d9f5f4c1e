/** What the renderer needs from a speech synthesiser; each engine lives behind this one interface. */
import { AppError } from '../../errors.js';
import type { VoiceInfo } from './voice-info.js';

export type TtsProviderName = 'espeak' | 'google';

export interface TtsRequest {
  readonly text: string;
  /** Engine-specific voice name; the provider's `defaultVoice` when absent. */
  readonly voice?: string | undefined;
  /** BCP 47 tag, e.g. `vi-VN`. */
  readonly language: string;
  /** 1.0 is the engine's normal pace. */
  readonly speakingRate?: number | undefined;
  /** Semitones above (or below) the voice's normal pitch; 0 when absent. */
  readonly pitch?: number | undefined;
  /** Silence between the pieces a long text is synthesised in, for engines that must split it. */
  readonly pauseMs?: number | undefined;
}

export interface SynthesizedSpeech {
  readonly data: Buffer;
  readonly container: 'wav' | 'mp3' | 'ogg';
}

export interface TtsProvider {
  readonly name: TtsProviderName;
  /** Part of the render cache key, so changing the configured voice never serves audio of the old one. */
  readonly defaultVoice: string;
  synthesize(request: TtsRequest): Promise<SynthesizedSpeech>;
  /** The voices this engine offers for `language` (BCP 47), with the settings each accepts. */
  listVoices(language: string): Promise<VoiceInfo[]>;
}

export const DEFAULT_LANGUAGE = 'vi-VN';

/**
 * A synthesis failure. `invalidRequest` marks the caller's fault (an unknown voice, say) so the API
 * answers 400 rather than blaming the engine with a 502.
 */
export class TtsError extends AppError {
  constructor(
    message: string,
    options: { cause?: unknown; invalidRequest?: boolean; field?: string } = {},
  ) {
    super(
      options.invalidRequest ? 'TTS_INVALID_REQUEST' : 'TTS_FAILED',
      options.invalidRequest ? 400 : 502,
      message,
      options.field ? [{ field: options.field, message }] : [],
      { cause: options.cause },
    );
    this.name = 'TtsError';
  }
}
