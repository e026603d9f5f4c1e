/**
 * Google Cloud Text-to-Speech. Long bulletins exceed its 5,000-byte input limit, so the text is
 * chunked at sentence boundaries, each chunk synthesised as LINEAR16 (PCM in a WAV header), and the
 * PCM joined into one WAV: exact, with no codec generation lost before the loudness pass.
 */
import { TextToSpeechClient } from '@google-cloud/text-to-speech';
import { concatenatePcm, encodeWav, parseWav, type PcmAudio } from '../wav-codec.js';
import { chunkText, DEFAULT_MAX_CHUNK_BYTES } from './text-chunker.js';
import { TtsError, type SynthesizedSpeech, type TtsProvider, type TtsRequest } from './tts-provider.js';

export type GoogleClientOptions = NonNullable<ConstructorParameters<typeof TextToSpeechClient>[0]>;

/** The calls this provider makes, so tests may also hand in any object of this shape. */
export type GoogleTtsClient = Pick<TextToSpeechClient, 'synthesizeSpeech' | 'close'>;

export interface GoogleProviderOptions {
  /** A ready client; otherwise one is made from `clientOptions` (default credentials: GOOGLE_APPLICATION_CREDENTIALS). */
  readonly client?: GoogleTtsClient;
  readonly clientOptions?: GoogleClientOptions;
  readonly defaultVoice?: string | undefined;
  readonly maxChunkBytes?: number;
  /** Requests in flight at once for one long text. */
  readonly concurrency?: number;
}

// google.rpc.Code.INVALID_ARGUMENT: the request itself is wrong (unknown voice, text too long).
const INVALID_ARGUMENT = 3;

export class GoogleProvider implements TtsProvider {
  readonly name = 'google' as const;
  readonly defaultVoice: string;
  private client: GoogleTtsClient | undefined;

  constructor(private readonly options: GoogleProviderOptions = {}) {
    this.defaultVoice = options.defaultVoice ?? 'vi-VN-Standard-A';
    this.client = options.client;
  }

  async synthesize(request: TtsRequest): Promise<SynthesizedSpeech> {
    const chunks = chunkText(request.text, this.options.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES);
    if (chunks.length === 0) throw new TtsError('there is no text to speak', { invalidRequest: true, field: 'text' });
    const parts = await mapInOrder(chunks, this.options.concurrency ?? 2, (chunk) => this.synthesizeChunk(chunk, request));
    try {
      return { data: encodeWav(concatenatePcm(parts)), container: 'wav' };
    } catch (error) {
      throw new TtsError(`Google returned audio that cannot be joined: ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  private async synthesizeChunk(text: string, request: TtsRequest): Promise<PcmAudio> {
    const voice = request.voice ?? this.defaultVoice;
    let audioContent: Uint8Array | string | null | undefined;
    try {
      const [response] = await this.getClient().synthesizeSpeech({
        input: { text },
        voice: { languageCode: request.language, name: voice },
        audioConfig: { audioEncoding: 'LINEAR16', speakingRate: request.speakingRate ?? 1 },
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

  private getClient(): GoogleTtsClient {
    this.client ??= new TextToSpeechClient(this.options.clientOptions);
    return this.client;
  }
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
