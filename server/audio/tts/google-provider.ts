/**
 * Google Cloud Text-to-Speech. Long bulletins exceed its 5,000-byte input limit, so the text is
 * chunked at sentence boundaries, each chunk synthesised as LINEAR16 (PCM in a WAV header), and the
 * PCM joined into one WAV with a pause between chunks: exact, with no codec generation lost before
 * the loudness pass.
 */
import type { TextToSpeechClient } from '@google-cloud/text-to-speech';
import { concatenatePcm, encodeWav, parseWav, silencePcm, trimPcmSilence, type PcmAudio } from '../wav-codec.js';
import { toVoiceInfo } from './google-voices.js';
import { chunkText, DEFAULT_MAX_CHUNK_BYTES } from './text-chunker.js';
import { TtsError, type SynthesizedSpeech, type TtsProvider, type TtsRequest } from './tts-provider.js';
import type { VoiceInfo } from './voice-info.js';

export type GoogleClientOptions = NonNullable<ConstructorParameters<typeof TextToSpeechClient>[0]>;

/** The calls this provider makes, so tests may also hand in any object of this shape. */
export type GoogleTtsClient = Pick<TextToSpeechClient, 'synthesizeSpeech' | 'listVoices' | 'close'>;

export interface GoogleProviderOptions {
  /** A ready client; otherwise one is made from `clientOptions` (default credentials: GOOGLE_APPLICATION_CREDENTIALS). */
  readonly client?: GoogleTtsClient;
  readonly clientOptions?: GoogleClientOptions;
  readonly defaultVoice?: string | undefined;
  readonly maxChunkBytes?: number;
  /** Requests in flight at once for one long text. */
  readonly concurrency?: number;
  /** How long a voice list is reused before Google is asked again. */
  readonly voiceListTtlMs?: number;
  /** How long a failed list stands before Google is asked again, so an outage does not stall every request. */
  readonly voiceListRetryMs?: number;
  /** Gives up listing voices after this long, retries included (the client retries UNAVAILABLE for minutes). */
  readonly voiceListTimeoutMs?: number;
}

// google.rpc.Code.INVALID_ARGUMENT: the request itself is wrong (unknown voice, text too long).
const INVALID_ARGUMENT = 3;
// Each chunk arrives with the engine's own lead-in and tail of silence; trimmed at the joins so the
// pause between chunks is the configured one, not that plus two tails. -50 dBFS is far below speech,
// so cutting right at it removes nothing audible and leaves no click.
const JOIN_SILENCE_DBFS = -50;
const DEFAULT_PAUSE_MS = 400;

export class GoogleProvider implements TtsProvider {
  readonly name = 'google' as const;
  readonly defaultVoice: string;
  private client: GoogleTtsClient | undefined;
  private readonly voiceLists = new Map<string, { expiresAt: number; readonly voices: Promise<VoiceInfo[]> }>();

  constructor(private readonly options: GoogleProviderOptions = {}) {
    this.defaultVoice = options.defaultVoice ?? 'vi-VN-Standard-A';
    this.client = options.client;
  }

  async synthesize(request: TtsRequest): Promise<SynthesizedSpeech> {
    const chunks = chunkText(request.text, this.options.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES);
    if (chunks.length === 0) throw new TtsError('there is no text to speak', { invalidRequest: true, field: 'text' });
    const parts = await mapInOrder(chunks, this.options.concurrency ?? 2, (chunk) => this.synthesizeChunk(chunk, request));
    try {
      return { data: encodeWav(joinWithPauses(parts, request.pauseMs ?? DEFAULT_PAUSE_MS)), container: 'wav' };
    } catch (error) {
      throw new TtsError(`Google returned audio that cannot be joined: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Google's own list (ListVoices), kept for a while: it changes when Google adds voices, not per request. */
  listVoices(language: string): Promise<VoiceInfo[]> {
    const cached = this.voiceLists.get(language);
    if (cached && Date.now() < cached.expiresAt) return cached.voices;
    const entry = { expiresAt: Date.now() + (this.options.voiceListTtlMs ?? 10 * 60_000), voices: this.fetchVoices(language) };
    this.voiceLists.set(language, entry);
    entry.voices.catch(() => {
      entry.expiresAt = Date.now() + (this.options.voiceListRetryMs ?? 30_000);
    });
    return entry.voices;
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  private async fetchVoices(language: string): Promise<VoiceInfo[]> {
    try {
      const [response] = await (await this.getClient()).listVoices({ languageCode: language }, { timeout: this.options.voiceListTimeoutMs ?? 10_000 });
      return (response.voices ?? []).flatMap((voice) => toVoiceInfo(voice) ?? []);
    } catch (error) {
      throw new TtsError(`Google Text-to-Speech did not list its voices: ${(error as Error).message}`, { cause: error });
    }
  }

  private async synthesizeChunk(text: string, request: TtsRequest): Promise<PcmAudio> {
    const voice = request.voice ?? this.defaultVoice;
    let audioContent: Uint8Array | string | null | undefined;
    try {
      const [response] = await (await this.getClient()).synthesizeSpeech({
        input: { text },
        voice: { languageCode: request.language, name: voice },
        audioConfig: { audioEncoding: 'LINEAR16', speakingRate: request.speakingRate ?? 1, ...(request.pitch ? { pitch: request.pitch } : {}) },
      });
      audioContent = response.audioContent;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new TtsError(`Google Text-to-Speech failed: ${(error as Error).message}`, {
        cause: error,
        invalidRequest: code === INVALID_ARGUMENT,
      });
    }
    if (!audioContent || audioContent.length === 0) throw new TtsError('Google Text-to-Speech returned no audio');
    const bytes = typeof audioContent === 'string' ? Buffer.from(audioContent, 'base64') : Buffer.from(audioContent);
    try {
      return parseWav(bytes);
    } catch (error) {
      throw new TtsError(`Google Text-to-Speech returned unreadable LINEAR16 audio: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Loaded on first use: the client library takes a quarter of a second to load, and most servers speak with espeak-ng. */
  private async getClient(): Promise<GoogleTtsClient> {
    if (!this.client) {
      const { TextToSpeechClient: Client } = await import('@google-cloud/text-to-speech');
      this.client ??= new Client(this.options.clientOptions);
    }
    return this.client;
  }
}

/** One chunk is returned as it came; several are trimmed at their edges and joined with exactly `pauseMs` of silence. */
function joinWithPauses(parts: readonly PcmAudio[], pauseMs: number): PcmAudio {
  if (parts.length <= 1) return concatenatePcm(parts);
  const trimmed = parts.map((part) => trimPcmSilence(part, { thresholdDbfs: JOIN_SILENCE_DBFS, marginMs: 0 }));
  const pause = silencePcm(trimmed[0]!.format, pauseMs);
  return concatenatePcm(trimmed.flatMap((part, index) => (index === 0 ? [part] : [pause, part])));
}

/** Like Promise.all over `items.map(task)`, with at most `limit` tasks running at once. */
async function mapInOrder<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
