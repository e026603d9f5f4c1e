import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AudioRenderer, type AudioLogger } from '../../../server/audio/audio-renderer.js';
import { AudioStore } from '../../../server/audio/audio-store.js';
import { probeMedia, runFfmpeg } from '../../../server/audio/ffmpeg-runner.js';
import { InMemoryRenderCache } from '../../../server/audio/in-memory-render-cache.js';
import { measureLoudness, probeDuration } from '../../../server/audio/loudness-normalizer.js';
import { sha256OfFile } from '../../../server/audio/sha256.js';
import { EspeakProvider } from '../../../server/audio/tts/espeak-provider.js';
import type { SynthesizedSpeech, TtsProvider, TtsRequest } from '../../../server/audio/tts/tts-provider.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const BULLETIN =
  'Thông báo của Ủy ban nhân dân xã. Do ảnh hưởng của mưa lớn, mực nước sông Đà đang lên nhanh. ' +
  'Đề nghị bà con không đi qua các ngầm tràn, không đánh bắt cá trên sông. ' +
  'Các hộ gia đình ở ven suối cần theo dõi thông tin trên loa truyền thanh của xóm.';

/** The real espeak-ng, counted: the cache must keep it from being called twice for the same thing. */
class CountingProvider implements TtsProvider {
  readonly name: TtsProvider['name'];
  readonly defaultVoice: string;
  readonly requests: TtsRequest[] = [];

  constructor(private readonly inner: TtsProvider) {
    this.name = inner.name;
    this.defaultVoice = inner.defaultVoice;
  }

  synthesize(request: TtsRequest): Promise<SynthesizedSpeech> {
    this.requests.push(request);
    return this.inner.synthesize(request);
  }
}

/** Short, so the tests can go past it in seconds. */
const UPLOAD_MAX_SECONDS = 10;

const silentLogger: AudioLogger = { info() {}, warn() {}, error() {}, debug() {} };

let temp: { path: string; remove(): Promise<void> };
let store: AudioStore;
let tempDir: string;
let espeak: CountingProvider;
let cache: InMemoryRenderCache;
let renderer: AudioRenderer;
let warnings: string[];

beforeAll(async () => {
  temp = await makeTempDir('audio-renderer');
});
afterAll(() => temp.remove());

beforeEach(async () => {
  const run = await import('node:crypto').then((crypto) => crypto.randomUUID());
  store = new AudioStore(path.join(temp.path, run, 'audio'));
  tempDir = path.join(temp.path, run, 'tmp');
  espeak = new CountingProvider(new EspeakProvider({ engine: 'wasm' }));
  cache = new InMemoryRenderCache();
  warnings = [];
  renderer = new AudioRenderer({
    providers: { espeak },
    defaultProvider: 'espeak',
    store,
    cache,
    tempDir,
    maxUploadSeconds: UPLOAD_MAX_SECONDS,
    logger: { ...silentLogger, warn: (_details, message) => warnings.push(message ?? '') },
  });
});

describe('AudioRenderer.renderText', () => {
  it('renders Vietnamese speech as mono MP3 at −16 LUFS and ≤ −1 dBTP, stored under its hash', async () => {
    const audio = await renderer.renderText({ text: BULLETIN });
    expect(audio).toMatchObject({ cached: false, mime: 'audio/mpeg' });
    const located = await store.locate(audio.sha256);
    expect(located).toMatchObject({ bytes: audio.bytes, mime: 'audio/mpeg' });
    expect(await sha256OfFile(located!.path)).toBe(audio.sha256);

    const stream = (await probeMedia(located!.path)).streams[0];
    expect(stream).toMatchObject({ codec_type: 'audio', codec_name: 'mp3', channels: 1, sample_rate: 24_000 });
    const loudness = await measureLoudness(located!.path);
    expect(loudness.integratedLufs).toBeGreaterThanOrEqual(-17);
    expect(loudness.integratedLufs).toBeLessThanOrEqual(-15);
    expect(loudness.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(audio.loudnessLufs).toBeCloseTo(loudness.integratedLufs, 1);
    expect(audio.durationMs).toBe(await probeDuration(located!.path));
    expect(audio.durationMs).toBeGreaterThan(8_000);
    // Speech-rate MP3 stays small: 32 kbit/s is 4 kB per second.
    expect(audio.bytes).toBeLessThan((audio.durationMs / 1000) * 4_000 * 1.1);
    expect(espeak.requests).toEqual([{ text: BULLETIN, voice: 'vi', language: 'vi-VN', speakingRate: 1 }]);
  });

  it('serves the same text, voice and settings from the cache without synthesising again', async () => {
    const first = await renderer.renderText({ text: BULLETIN });
    const second = await renderer.renderText({ text: `  ${BULLETIN.normalize('NFD')}\t`, language: 'vi-VN' });
    expect(second).toEqual({ ...first, cached: true });
    expect(espeak.requests).toHaveLength(1);
    expect(cache.size).toBe(1);
  });

  it('renders identical requests in flight only once', async () => {
    const results = await Promise.all([renderer.renderText({ text: BULLETIN }), renderer.renderText({ text: BULLETIN }), renderer.renderText({ text: BULLETIN })]);
    expect(espeak.requests).toHaveLength(1);
    expect(new Set(results.map((result) => result.sha256)).size).toBe(1);
    expect(results.filter((result) => !result.cached)).toHaveLength(1);
  });

  it('renders again when the voice or the speaking rate changes', async () => {
    const text = 'Xin chào bà con. Sáng mai có họp thôn.';
    const normal = await renderer.renderText({ text });
    const faster = await renderer.renderText({ text, speakingRate: 1.5 });
    const southern = await renderer.renderText({ text, voice: 'vi-vn-x-south' });
    expect(espeak.requests.map((request) => [request.voice, request.speakingRate])).toEqual([
      ['vi', 1],
      ['vi', 1.5],
      ['vi-vn-x-south', 1],
    ]);
    expect(faster.durationMs).toBeLessThan(normal.durationMs);
    expect(new Set([normal.sha256, faster.sha256, southern.sha256]).size).toBe(3);
  });

  it('renders again when the cached file has gone from the store', async () => {
    const first = await renderer.renderText({ text: BULLETIN });
    await rm((await store.locate(first.sha256))!.path);
    const again = await renderer.renderText({ text: BULLETIN });
    expect(again).toMatchObject({ sha256: first.sha256, cached: false });
    expect(await store.has(first.sha256)).toBe(true);
    expect(espeak.requests).toHaveLength(2);
    expect(warnings).toContain('cached render is missing from the audio store; rendering again');
  });

  it('leaves no temporary files behind, after success or failure', async () => {
    await renderer.renderText({ text: 'Xin chào.' });
    await expect(renderer.renderText({ text: 'Xin chào.', voice: 'zz-none' })).rejects.toMatchObject({ statusCode: 400 });
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('refuses blank text, an unknown provider and an absurd speaking rate', async () => {
    await expect(renderer.renderText({ text: ' \n ' })).rejects.toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    await expect(renderer.renderText({ text: 'Xin chào', provider: 'google' })).rejects.toMatchObject({ statusCode: 400 });
    await expect(renderer.renderText({ text: 'Xin chào', speakingRate: 0 })).rejects.toMatchObject({ statusCode: 400 });
    expect(espeak.requests).toHaveLength(0);
  });
});

describe('AudioRenderer.normalizeUpload', () => {
  it('normalises an upload into the store and cleans up after itself', async () => {
    const upload = path.join(temp.path, 'recording.m4a');
    await runFfmpeg('sine=frequency=300:duration=3:sample_rate=44100', (command) =>
      command.inputFormat('lavfi').audioFilters('volume=-12dB').outputOptions(['-c:a', 'aac']).output(upload),
    );
    const audio = await renderer.normalizeUpload(upload, 'Ghi âm họp thôn.m4a');
    expect(audio).toMatchObject({ cached: false, mime: 'audio/mpeg' });
    expect(audio.loudnessLufs!).toBeGreaterThanOrEqual(-17);
    expect(audio.loudnessLufs!).toBeLessThanOrEqual(-15);
    expect(await store.has(audio.sha256)).toBe(true);
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('rejects what is not audio with a 415', async () => {
    const upload = path.join(temp.path, 'notes.mp3');
    await writeFile(upload, 'Biên bản họp thôn, không phải âm thanh.');
    await expect(renderer.normalizeUpload(upload, 'notes.mp3')).rejects.toMatchObject({ statusCode: 415, name: 'UnsupportedAudioError' });
    expect(await workspacesLeft()).toEqual([]);
  });

  it('rejects a picture and a silent video (no audio stream) with a 415 before normalising anything', async () => {
    const picture = path.join(temp.path, 'poster.png');
    await runFfmpeg('testsrc=size=64x64:rate=1', (command) => command.inputFormat('lavfi').frames(1).output(picture));
    const video = path.join(temp.path, 'clip.mp4');
    await runFfmpeg('testsrc=size=64x64:rate=5:duration=2', (command) => command.inputFormat('lavfi').noAudio().output(video));
    for (const [file, name] of [[picture, 'poster.mp3'], [video, 'clip.m4a']] as const) {
      await expect(renderer.normalizeUpload(file, name)).rejects.toMatchObject({
        statusCode: 415,
        message: `"${name}" contains no audio stream`,
        details: [{ field: 'file' }],
      });
    }
    expect(await workspacesLeft()).toEqual([]);
  });

  it(`rejects a recording longer than the limit with a 422 naming the file, before normalising it`, async () => {
    const upload = path.join(temp.path, 'long.mp3');
    await runFfmpeg(`sine=frequency=300:duration=${UPLOAD_MAX_SECONDS + 2}`, (command) => command.inputFormat('lavfi').audioCodec('libmp3lame').output(upload));
    await expect(renderer.normalizeUpload(upload, 'long.mp3')).rejects.toMatchObject({
      statusCode: 422,
      code: 'AUDIO_TOO_LONG',
      message: `"long.mp3" lasts ${UPLOAD_MAX_SECONDS + 2} s, longer than the limit of ${UPLOAD_MAX_SECONDS} s`,
      details: [{ field: 'file', message: `longer than the limit of ${UPLOAD_MAX_SECONDS} s` }],
    });
    // ffprobe said no: the normaliser never made a workspace.
    expect(await workspacesLeft()).toEqual([]);
  });

  it('rejects a recording whose header claims less than it holds, when decoding passes the limit', async () => {
    // ADTS has no duration field: ffprobe estimates it from the first frames' bitrate, so a dense
    // start followed by near-empty frames declares about 4 s while holding a minute.
    const dense = path.join(temp.path, 'dense.aac');
    const sparse = path.join(temp.path, 'sparse.aac');
    await runFfmpeg('anoisesrc=duration=3:amplitude=0.9', (command) => command.inputFormat('lavfi').audioCodec('aac').audioBitrate('256k').format('adts').output(dense));
    await runFfmpeg('anullsrc=sample_rate=44100:channel_layout=mono', (command) =>
      command.inputFormat('lavfi').duration(60).audioCodec('aac').audioBitrate('256k').format('adts').output(sparse),
    );
    const upload = path.join(temp.path, 'liar.aac');
    await writeFile(upload, Buffer.concat([await readFile(dense), await readFile(sparse)]));
    const declared = Number((await probeMedia(upload)).format.duration);
    expect(declared).toBeLessThan(UPLOAD_MAX_SECONDS);

    await expect(renderer.normalizeUpload(upload, 'liar.aac')).rejects.toMatchObject({
      statusCode: 422,
      code: 'AUDIO_TOO_LONG',
      details: [{ field: 'file', message: `longer than the limit of ${UPLOAD_MAX_SECONDS} s` }],
    });
    expect(await workspacesLeft()).toEqual([]);
  });
});

/** Scratch directories still present (the parent exists only once a job started). */
async function workspacesLeft(): Promise<string[]> {
  return existsSync(tempDir) ? readdir(tempDir) : [];
}
