import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAudioRenderer } from '../../../server/audio/create-audio-renderer.js';
import { InMemoryRenderCache } from '../../../server/audio/in-memory-render-cache.js';
import { measureLoudness } from '../../../server/audio/loudness-normalizer.js';
import { utf8Bytes } from '../../../server/audio/tts/text-chunker.js';
import { GoogleProvider } from '../../../server/audio/tts/google-provider.js';
import { TtsError } from '../../../server/audio/tts/tts-provider.js';
import { parseWav, pcmDurationMs } from '../../../server/audio/wav-codec.js';
import { GOOGLE_INPUT_LIMIT_BYTES, startGoogleTtsStub, type GoogleTtsStub } from '../../helpers/google-tts-stub.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const SENTENCES = [
  'Thông báo của Ủy ban nhân dân xã về việc phòng chống lụt bão.',
  'Mực nước trên các sông suối đang lên nhanh, có nguy cơ xảy ra lũ quét và sạt lở đất.',
  'Đề nghị bà con không đi qua các ngầm tràn khi nước đang chảy xiết.',
  'Các hộ gia đình ven suối cần chủ động di chuyển người và tài sản đến nơi an toàn.',
];

function vietnameseText(minBytes: number): string {
  let text = '';
  for (let i = 0; utf8Bytes(text) < minBytes; i++) text += `${SENTENCES[i % SENTENCES.length]} `;
  return text.trim();
}

let stub: GoogleTtsStub;
let temp: { path: string; remove(): Promise<void> };

beforeAll(async () => {
  temp = await makeTempDir('google-tts');
});
afterAll(() => temp.remove());
beforeEach(async () => {
  stub = await startGoogleTtsStub();
  return () => stub.close();
});

describe('GoogleProvider against the REST stub, through the real client library', () => {
  it('splits a 12,000-byte bulletin into requests under 5,000 bytes and joins the audio', async () => {
    const provider = new GoogleProvider({ client: stub.createClient() });
    const text = vietnameseText(12_000);
    expect(utf8Bytes(text)).toBeGreaterThanOrEqual(12_000);

    const speech = await provider.synthesize({ text, language: 'vi-VN', speakingRate: 0.9 });

    expect(stub.requests.length).toBeGreaterThanOrEqual(3);
    for (const request of stub.requests) {
      expect(request.status).toBe(200);
      expect(request.textBytes).toBeLessThan(GOOGLE_INPUT_LIMIT_BYTES);
      expect(request).toMatchObject({ languageCode: 'vi-VN', voiceName: 'vi-VN-Standard-A', audioEncoding: 1, speakingRate: 0.9 });
      expect(request.text).toMatch(/[.!?…]$/u); // cut at sentence ends
    }
    expect(stub.requests.map((request) => request.text).join(' ')).toBe(text);

    expect(speech.container).toBe('wav');
    const joined = parseWav(speech.data);
    expect(joined.format).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 24_000, bitsPerSample: 16 });
    const parts = stub.requests.reduce((sum, request) => sum + request.durationMs, 0);
    expect(Math.abs(pcmDurationMs(joined) - parts)).toBeLessThanOrEqual(stub.requests.length);
    await provider.close();
  });

  it('is refused by the stub beyond 5,000 bytes, as by Google, so the split matters', async () => {
    const client = stub.createClient();
    const request = { input: { text: vietnameseText(5_100) }, voice: { languageCode: 'vi-VN' }, audioConfig: { audioEncoding: 'LINEAR16' as const } };
    await expect(client.synthesizeSpeech(request)).rejects.toMatchObject({ code: 3, message: expect.stringContaining('5000 bytes') });
    const unchunked = new GoogleProvider({ client, maxChunkBytes: 6_000 });
    await expect(unchunked.synthesize({ text: vietnameseText(5_100), language: 'vi-VN' })).rejects.toBeInstanceOf(TtsError);
    expect(stub.requests.at(-1)).toMatchObject({ status: 400 });
    await client.close();
  });

  it('reports a voice Google does not have as the caller’s error', async () => {
    const provider = new GoogleProvider({ client: stub.createClient(), defaultVoice: 'en-US-Standard-B' });
    await expect(provider.synthesize({ text: 'Xin chào bà con.', language: 'vi-VN' })).rejects.toMatchObject({ name: 'TtsError', statusCode: 400 });
    await provider.close();
  });

  it('is wired from configuration (GOOGLE_TTS_ENDPOINT) into normalised, cached bulletins', async () => {
    const { renderer, store } = createAudioRenderer({
      config: {
        audio: { dir: path.join(temp.path, 'audio'), tmpDir: path.join(temp.path, 'tmp'), bitrateKbps: 32 },
        tts: { provider: 'google', voice: 'vi-VN-Wavenet-C', googleCredentials: undefined, googleEndpoint: `127.0.0.1:${stub.port}` },
      },
      cache: new InMemoryRenderCache(),
      logger: { info() {}, warn() {}, error() {}, debug() {} },
      maxUploadSeconds: 1800,
    });
    const text = vietnameseText(6_000);
    const first = await renderer.renderText({ text });
    const again = await renderer.renderText({ text });
    expect(stub.requests).toHaveLength(2); // two chunks, synthesised once
    expect(stub.requests[0]).toMatchObject({ voiceName: 'vi-VN-Wavenet-C', languageCode: 'vi-VN' });
    expect(again).toEqual({ ...first, cached: true });
    const located = await store.locate(first.sha256);
    const loudness = await measureLoudness(located!.path);
    expect(Math.abs(loudness.integratedLufs - -16)).toBeLessThanOrEqual(1);
    expect(loudness.truePeakDbtp).toBeLessThanOrEqual(-1);
  });
});
