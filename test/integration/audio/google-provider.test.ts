import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAudioRenderer } from '../../../server/audio/create-audio-renderer.js';
import { InMemoryRenderCache } from '../../../server/audio/in-memory-render-cache.js';
import { measureLoudness } from '../../../server/audio/loudness-normalizer.js';
import { utf8Bytes } from '../../../server/audio/tts/text-chunker.js';
import { GoogleProvider } from '../../../server/audio/tts/google-provider.js';
import { TtsError } from '../../../server/audio/tts/tts-provider.js';
import { parseWav, pcmDurationMs } from '../../../server/audio/wav-codec.js';
import { GOOGLE_INPUT_LIMIT_BYTES, startGoogleTtsStub, STUB_VOICES, type GoogleTtsStub, type GoogleTtsStubOptions } from '../../helpers/google-tts-stub.js';
import { recordMeasurement } from '../../helpers/measurements.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { decodedDurationMs, innerGaps, silentStretches } from './audio-measurements.js';

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

/** Whole sentences, numbered so no two chunks are alike, up to `characters` characters. */
function vietnameseBulletin(characters: number): string {
  const sentences: string[] = [];
  for (let i = 0; sentences.join(' ').length < characters; i++) sentences.push(`Mục ${i + 1}: ${SENTENCES[i % SENTENCES.length]}`);
  return sentences.join(' ');
}

const silentLogger = { info() {}, warn() {}, error() {}, debug() {} };

function googleRenderer(port: number, pauseMs = 400) {
  return createAudioRenderer({
    config: {
      audio: { dir: path.join(temp.path, 'audio'), tmpDir: path.join(temp.path, 'tmp'), bitrateKbps: 32 },
      tts: { provider: 'google', voice: undefined, pauseMs, googleCredentials: undefined, googleEndpoint: `127.0.0.1:${port}` },
    },
    cache: new InMemoryRenderCache(),
    logger: silentLogger,
    maxUploadSeconds: 1800,
  });
}

async function restartStub(options: GoogleTtsStubOptions): Promise<void> {
  await stub.close();
  stub = await startGoogleTtsStub(options);
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
    // The parts, and the default 400 ms pause at each join.
    const parts = stub.requests.reduce((sum, request) => sum + request.durationMs, 0) + (stub.requests.length - 1) * 400;
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
        tts: { provider: 'google', voice: 'vi-VN-Wavenet-C', pauseMs: 400, googleCredentials: undefined, googleEndpoint: `127.0.0.1:${stub.port}` },
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

describe('a long bulletin through Google, joined with pauses', () => {
  it('splits 12,000 characters into requests under 5,000 bytes at sentence ends, and pauses exactly the configured 400 ms between them', async () => {
    // A real engine leaves silence around what it says; the joins must not add it to the pause.
    await restartStub({ msPerByte: 1, edgeSilenceMs: 250 });
    const { renderer, store } = googleRenderer(stub.port, 400);
    const text = vietnameseBulletin(12_000);
    expect(text.length).toBeGreaterThanOrEqual(12_000);

    const audio = await renderer.renderText({ text, voice: 'vi-VN-Wavenet-A', speakingRate: 0.9, pitch: -2 });

    const sizes = stub.requests.map((request) => request.textBytes);
    expect(sizes.length).toBeGreaterThanOrEqual(4); // ~16,000 bytes of Vietnamese
    for (const request of stub.requests) {
      expect(request.status).toBe(200);
      expect(request.textBytes).toBeLessThan(GOOGLE_INPUT_LIMIT_BYTES);
      expect(request.text).toMatch(/[.!?…]$/u);
      expect(request).toMatchObject({ voiceName: 'vi-VN-Wavenet-A', languageCode: 'vi-VN', speakingRate: 0.9, pitch: -2 });
    }
    // Each request starts a sentence: "Mục n: …" as written.
    for (const request of stub.requests) expect(request.text).toMatch(/^Mục \d+: /u);
    expect(stub.requests.map((request) => request.text).join(' ')).toBe(text);

    const file = (await store.locate(audio.sha256))!.path;
    const totalMs = await decodedDurationMs(file);
    const stretches = await silentStretches(file, { noiseDb: -50, minMs: 50 });
    const gaps = innerGaps(stretches, totalMs);
    expect(gaps).toHaveLength(stub.requests.length - 1);
    for (const gap of gaps) {
      expect(gap.durationMs).toBeLessThanOrEqual(400 + 40);
      expect(gap.durationMs).toBeGreaterThanOrEqual(400 - 40);
    }
    // Without trimming, each join would be 250 + 400 + 250 ms; the ends keep only the 150 ms padding.
    expect(Math.max(...stretches.map((stretch) => stretch.durationMs))).toBeLessThanOrEqual(440);
    const spoken = stub.requests.reduce((sum, request) => sum + request.durationMs, 0);
    expect(Math.abs(totalMs - (spoken + gaps.length * 400 + 2 * 150))).toBeLessThanOrEqual(100);
    expect(Math.abs(audio.durationMs - totalMs)).toBeLessThanOrEqual(2);
    await recordMeasurement('google-long-bulletin', { characters: text.length, requestBytes: sizes, gapsMs: gaps.map((gap) => Math.round(gap.durationMs)), totalMs, loudnessLufs: audio.loudnessLufs });
  });

  it('follows a configured pause of 250 ms', async () => {
    await restartStub({ msPerByte: 0.5, edgeSilenceMs: 300 });
    const { renderer, store } = googleRenderer(stub.port, 250);
    const audio = await renderer.renderText({ text: vietnameseText(9_000) });
    const file = (await store.locate(audio.sha256))!.path;
    const gaps = innerGaps(await silentStretches(file), await decodedDurationMs(file));
    expect(gaps).toHaveLength(stub.requests.length - 1);
    for (const gap of gaps) expect(Math.abs(gap.durationMs - 250)).toBeLessThanOrEqual(40);
  });
});

describe('Google voices', () => {
  it('lists the Vietnamese voices through the real client (GET /v1/voices), with Google\'s ranges, and asks once', async () => {
    const provider = new GoogleProvider({ client: stub.createClient() });
    const voices = await provider.listVoices('vi-VN');
    expect(voices.map((voice) => voice.name).sort()).toEqual(STUB_VOICES.filter((voice) => voice.name.startsWith('vi-VN')).map((voice) => voice.name).sort());
    expect(voices.find((voice) => voice.name === 'vi-VN-Wavenet-B')).toEqual({
      provider: 'google',
      name: 'vi-VN-Wavenet-B',
      label: 'Wavenet B',
      languageCodes: ['vi-VN'],
      gender: 'male',
      speakingRate: { min: 0.25, max: 4, default: 1 },
      pitch: { min: -20, max: 20, default: 0 },
    });
    expect(voices.find((voice) => voice.name === 'vi-VN-Chirp3-HD-Aoede')).toMatchObject({ gender: 'female', pitch: null });
    await provider.listVoices('vi-VN');
    expect(stub.voiceListRequests).toHaveLength(1);
    expect(stub.voiceListRequests[0]!.get('languageCode')).toBe('vi-VN');
    await provider.close();
  });

  it('reports a failing voice list as an upstream failure, and asks again next time', async () => {
    await restartStub({ voiceListFailure: 503 });
    // The client retries UNAVAILABLE with back-off until the call's time limit.
    const provider = new GoogleProvider({ client: stub.createClient(), voiceListTimeoutMs: 1_500, voiceListRetryMs: 0 });
    const started = Date.now();
    await expect(provider.listVoices('vi-VN')).rejects.toMatchObject({ name: 'TtsError', statusCode: 502 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const asked = stub.voiceListRequests.length;
    expect(asked).toBeGreaterThanOrEqual(1);
    await expect(provider.listVoices('vi-VN')).rejects.toMatchObject({ statusCode: 502 });
    expect(stub.voiceListRequests.length).toBeGreaterThan(asked);

    const patient = new GoogleProvider({ client: stub.createClient(), voiceListTimeoutMs: 500 });
    await expect(patient.listVoices('vi-VN')).rejects.toMatchObject({ statusCode: 502 });
    const before = stub.voiceListRequests.length;
    await expect(patient.listVoices('vi-VN')).rejects.toMatchObject({ statusCode: 502 });
    expect(stub.voiceListRequests.length).toBe(before); // a failure stands for a while (30 s by default)
    await patient.close();
    await provider.close();
  });

  it('checks voice, speaking rate and pitch against the list before asking Google to speak', async () => {
    const { renderer } = googleRenderer(stub.port);
    const text = 'Xin chào bà con.';
    await expect(renderer.renderText({ text, voice: 'vi-VN-Standard-Z' })).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'voice' }] });
    await expect(renderer.renderText({ text, voice: 'vi-VN-Standard-A', speakingRate: 4.5 })).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'speakingRate' }] });
    await expect(renderer.renderText({ text, voice: 'vi-VN-Standard-A', pitch: -21 })).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'pitch' }] });
    await expect(renderer.renderText({ text, voice: 'vi-VN-Chirp3-HD-Aoede', pitch: 2 })).rejects.toMatchObject({
      statusCode: 400,
      details: [{ field: 'pitch', message: 'vi-VN-Chirp3-HD-Aoede cannot change its pitch' }],
    });
    expect(stub.requests).toHaveLength(0);
    // An espeak-ng voice named on a Google server is spoken by espeak-ng.
    const espeak = await renderer.renderText({ text, voice: 'vi-vn-x-south', pitch: 3 });
    expect(espeak.voice).toEqual({ provider: 'espeak', voice: 'vi-vn-x-south', speakingRate: 1, pitch: 3 });
    expect(stub.requests).toHaveLength(0);
    const google = await renderer.renderText({ text, voice: 'vi-vn-wavenet-d' });
    expect(google.voice).toEqual({ provider: 'google', voice: 'vi-VN-Wavenet-D', speakingRate: 1, pitch: 0 });
    expect(stub.requests).toHaveLength(1);
  });
});
