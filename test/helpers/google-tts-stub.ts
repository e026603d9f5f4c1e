/**
 * A local stand-in for Google Cloud Text-to-Speech's REST API (`POST /v1/text:synthesize` and
 * `GET /v1/voices`), so the real client library is exercised end to end without the network. It
 * enforces the 5,000-byte input limit with Google's error shape, knows a catalogue of voices (the
 * vi-VN ones Google lists, and a few others), records every request, and answers LINEAR16 WAV audio
 * (a tone whose length grows with the text, optionally with the lead-in and tail of silence a real
 * engine leaves) like the real service.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TextToSpeechClient } from '@google-cloud/text-to-speech';
import { createPassThroughAuthClient } from '../../server/audio/tts/google-passthrough-auth.js';
import { encodeWav } from '../../server/audio/wav-codec.js';

/** Google's documented per-request limit on `input.text`. */
export const GOOGLE_INPUT_LIMIT_BYTES = 5_000;

export interface RecordedSynthesis {
  readonly text: string;
  readonly textBytes: number;
  readonly languageCode: string | undefined;
  readonly voiceName: string | undefined;
  readonly audioEncoding: string | number | undefined;
  readonly speakingRate: number | undefined;
  readonly pitch: number | undefined;
  readonly status: number;
  /** Length of the audio answered, 0 when rejected. */
  readonly durationMs: number;
}

export interface GoogleTtsStub {
  readonly port: number;
  readonly requests: readonly RecordedSynthesis[];
  /** Every `GET /v1/voices`, as its query string. */
  readonly voiceListRequests: readonly URLSearchParams[];
  /** The real client library, pointed at this stub over plain HTTP/1.1 REST. */
  createClient(): TextToSpeechClient;
  close(): Promise<void>;
}

export interface GoogleTtsStubOptions {
  /** Audio per byte of input text; small by default to keep test audio short. */
  readonly msPerByte?: number;
  readonly sampleRateHertz?: number;
  /** Silence before and after each answer's tone, as a real engine leaves around speech. */
  readonly edgeSilenceMs?: number;
  /** Answer `GET /v1/voices` with this HTTP status and Google's error body instead (e.g. 503). */
  readonly voiceListFailure?: number;
}

/** As Google lists them (`ssmlGender`: 1 male, 2 female; 24 kHz natural rate). */
export const STUB_VOICES: readonly { name: string; languageCodes: string[]; ssmlGender: 'MALE' | 'FEMALE' }[] = [
  ...['A', 'B', 'C', 'D'].flatMap((letter, index) =>
    ['Standard', 'Wavenet'].map((kind) => ({ name: `vi-VN-${kind}-${letter}`, languageCodes: ['vi-VN'], ssmlGender: index % 2 === 0 ? ('FEMALE' as const) : ('MALE' as const) })),
  ),
  { name: 'vi-VN-Neural2-A', languageCodes: ['vi-VN'], ssmlGender: 'FEMALE' },
  { name: 'vi-VN-Neural2-D', languageCodes: ['vi-VN'], ssmlGender: 'MALE' },
  { name: 'vi-VN-Chirp3-HD-Aoede', languageCodes: ['vi-VN'], ssmlGender: 'FEMALE' },
  { name: 'en-US-Standard-B', languageCodes: ['en-US'], ssmlGender: 'MALE' },
  { name: 'fr-FR-Wavenet-A', languageCodes: ['fr-FR'], ssmlGender: 'FEMALE' },
];
const GENDER_NUMBERS = { MALE: 1, FEMALE: 2 } as const;

interface SynthesizeBody {
  input?: { text?: unknown };
  voice?: { languageCode?: unknown; name?: unknown };
  audioConfig?: { audioEncoding?: unknown; speakingRate?: unknown; pitch?: unknown; sampleRateHertz?: unknown };
}

// The client sends `$alt=json;enum-encoding=int`, so enums arrive as numbers; 1 is LINEAR16.
const LINEAR16 = new Set<unknown>(['LINEAR16', 1]);

export async function startGoogleTtsStub(options: GoogleTtsStubOptions = {}): Promise<GoogleTtsStub> {
  const msPerByte = options.msPerByte ?? 2;
  const defaultRate = options.sampleRateHertz ?? 24_000;
  const requests: RecordedSynthesis[] = [];
  const voiceListRequests: URLSearchParams[] = [];

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      sendError(response, 500, 'INTERNAL', error instanceof Error ? error.message : String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stub');
    if (request.method === 'GET' && url.pathname === '/v1/voices') {
      listVoices(url.searchParams, response);
      return;
    }
    if (request.method !== 'POST' || url.pathname !== '/v1/text:synthesize') {
      sendError(response, 404, 'NOT_FOUND', `no route ${request.method} ${url.pathname}`);
      return;
    }
    let body: SynthesizeBody;
    try {
      body = JSON.parse(await readBody(request)) as SynthesizeBody;
    } catch {
      sendError(response, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      return;
    }
    const text = typeof body.input?.text === 'string' ? body.input.text : '';
    const languageCode = typeof body.voice?.languageCode === 'string' ? body.voice.languageCode : undefined;
    const voiceName = typeof body.voice?.name === 'string' ? body.voice.name : undefined;
    const audioEncoding = body.audioConfig?.audioEncoding as string | number | undefined;
    const speakingRate = typeof body.audioConfig?.speakingRate === 'number' ? body.audioConfig.speakingRate : undefined;
    const pitch = typeof body.audioConfig?.pitch === 'number' ? body.audioConfig.pitch : undefined;
    const sampleRate = typeof body.audioConfig?.sampleRateHertz === 'number' && body.audioConfig.sampleRateHertz > 0 ? body.audioConfig.sampleRateHertz : defaultRate;
    const textBytes = Buffer.byteLength(text, 'utf8');
    const record = (status: number, durationMs: number) =>
      requests.push({ text, textBytes, languageCode, voiceName, audioEncoding, speakingRate, pitch, status, durationMs });

    const problem =
      textBytes === 0
        ? 'Either `input.text` or `input.ssml` must be set.'
        : textBytes > GOOGLE_INPUT_LIMIT_BYTES
          ? `Either \`input.text\` or \`input.ssml\` is longer than the limit of ${GOOGLE_INPUT_LIMIT_BYTES} bytes. This limit is different from quotas. To fix, reduce the byte length of the characters in this request, or consider using the Long Audio API.`
          : !LINEAR16.has(audioEncoding)
            ? 'This stub only synthesises LINEAR16.'
            : voiceName && (!STUB_VOICES.some((voice) => voice.name === voiceName) || (languageCode && !voiceName.toLowerCase().startsWith(languageCode.toLowerCase())))
              ? `Voice '${voiceName}' does not exist. Is it misspelled?`
              : undefined;
    if (problem) {
      record(400, 0);
      sendError(response, 400, 'INVALID_ARGUMENT', problem);
      return;
    }
    const durationMs = Math.round((textBytes * msPerByte) / (speakingRate && speakingRate > 0 ? speakingRate : 1));
    const wav = toneWav(durationMs, sampleRate, 220 + (textBytes % 400), options.edgeSilenceMs ?? 0);
    record(200, durationMs);
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(JSON.stringify({ audioContent: wav.toString('base64') }));
  }

  /**
   * ListVoices: with `languageCode`, the voices that can speak it (same primary language, as Google
   * matches `no` to `nb-NO` too). The client asks for `$alt=json;enum-encoding=int`, so enums go out as numbers.
   */
  function listVoices(query: URLSearchParams, response: ServerResponse): void {
    voiceListRequests.push(query);
    if (options.voiceListFailure) {
      sendError(response, options.voiceListFailure, 'UNAVAILABLE', 'The service is currently unavailable.');
      return;
    }
    const wanted = query.get('languageCode')?.split('-')[0]?.toLowerCase();
    const enumsAsNumbers = (query.get('$alt') ?? '').includes('enum-encoding=int');
    const voices = STUB_VOICES.filter((voice) => !wanted || voice.languageCodes.some((code) => code.split('-')[0]!.toLowerCase() === wanted)).map((voice) => ({
      languageCodes: voice.languageCodes,
      name: voice.name,
      ssmlGender: enumsAsNumbers ? GENDER_NUMBERS[voice.ssmlGender] : voice.ssmlGender,
      naturalSampleRateHertz: 24_000,
    }));
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(JSON.stringify({ voices }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    requests,
    voiceListRequests,
    createClient: () =>
      new TextToSpeechClient({ fallback: true, protocol: 'http', apiEndpoint: '127.0.0.1', port, authClient: createPassThroughAuthClient() }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (chunk: Buffer) => parts.push(chunk));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

/** Google's error body: https://cloud.google.com/apis/design/errors#http_mapping */
function sendError(response: ServerResponse, httpStatus: number, status: string, message: string): void {
  response.writeHead(httpStatus, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify({ error: { code: httpStatus, message, status } }));
}

/** A 16-bit mono sine with short fades, so joined parts do not click, between `edgeSilenceMs` of silence. */
function toneWav(durationMs: number, sampleRate: number, frequency: number, edgeSilenceMs: number): Buffer {
  const frames = Math.round((durationMs / 1000) * sampleRate);
  const edge = Math.round((edgeSilenceMs / 1000) * sampleRate);
  const samples = Buffer.alloc((frames + 2 * edge) * 2);
  const fade = Math.min(Math.round(sampleRate * 0.01), Math.floor(frames / 2));
  for (let i = 0; i < frames; i++) {
    const envelope = Math.min(1, i / Math.max(1, fade), (frames - 1 - i) / Math.max(1, fade));
    samples.writeInt16LE(Math.round(0.3 * 32767 * envelope * Math.sin((2 * Math.PI * frequency * i) / sampleRate)), (edge + i) * 2);
  }
  return encodeWav({ format: { audioFormat: 1, channels: 1, sampleRate, bitsPerSample: 16 }, samples });
}
