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
import { TONES } from '../../../server/audio/tones/tone-library.js';
import { EspeakProvider } from '../../../server/audio/tts/espeak-provider.js';
import type { SynthesizedSpeech, TtsProvider, TtsRequest } from '../../../server/audio/tts/tts-provider.js';
import type { VoiceInfo } from '../../../server/audio/tts/voice-info.js';
import { recordMeasurement } from '../../helpers/measurements.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { decodedDurationMs, innerGaps, silentStretches } from './audio-measurements.js';

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

  listVoices(language: string): Promise<VoiceInfo[]> {
    return this.inner.listVoices(language);
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
    // Counted in decoded samples: ffprobe's MP3 duration also counts the encoder's delay and padding.
    const decodedMs = await decodedDurationMs(located!.path);
    expect(Math.abs(audio.durationMs - decodedMs)).toBeLessThanOrEqual(1);
    expect(await probeDuration(located!.path)).toBeGreaterThanOrEqual(audio.durationMs);
    expect(audio.durationMs).toBeGreaterThan(8_000);
    // Speech-rate MP3 stays small: 32 kbit/s is 4 kB per second.
    expect(audio.bytes).toBeLessThan((audio.durationMs / 1000) * 4_000 * 1.1);
    expect(espeak.requests).toEqual([{ text: BULLETIN, voice: 'vi', language: 'vi-VN', speakingRate: 1, pitch: 0, pauseMs: 400 }]);
    expect(audio.voice).toEqual({ provider: 'espeak', voice: 'vi', speakingRate: 1, pitch: 0 });
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

  it('renders again, lower, when the pitch changes, and refuses settings outside the voice\'s ranges', async () => {
    const text = 'Xin chào bà con. Sáng mai có họp thôn.';
    const normal = await renderer.renderText({ text, voice: 'vi-vn-x-central' });
    const lower = await renderer.renderText({ text, voice: 'vi-vn-x-central', pitch: -6 });
    expect(lower.sha256).not.toBe(normal.sha256);
    expect(lower.voice).toEqual({ provider: 'espeak', voice: 'vi-vn-x-central', speakingRate: 1, pitch: -6 });
    expect(espeak.requests.map((request) => request.pitch)).toEqual([0, -6]);
    // espeak-ng speaks 80–450 words a minute, 150 at rate 1; -p spans an octave down and almost one up.
    await expect(renderer.renderText({ text, speakingRate: 0.5 })).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'speakingRate', message: 'must be between 0.54 and 3 for vi' }] });
    await expect(renderer.renderText({ text, speakingRate: 3.5 })).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'speakingRate' }] });
    await expect(renderer.renderText({ text, pitch: 12 })).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'pitch', message: 'must be between -12 and 11.75 semitones for vi' }] });
    await expect(renderer.renderText({ text, voice: 'vi-vn-x-north' })).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'voice' }] });
    expect(espeak.requests).toHaveLength(2);
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

describe('AudioRenderer.listVoices', () => {
  it('lists the Vietnamese voices the bundled espeak-ng really has, with their ranges', async () => {
    const [provider] = await renderer.listVoices();
    expect(provider).toMatchObject({ provider: 'espeak', isDefault: true, defaultVoice: 'vi', available: true });
    expect(provider!.voices.map((voice) => [voice.name, voice.label, voice.gender])).toEqual([
      ['vi', 'Vietnamese (Northern)', 'male'],
      ['vi-vn-x-central', 'Vietnamese (Central)', 'male'],
      ['vi-vn-x-south', 'Vietnamese (Southern)', 'male'],
    ]);
    for (const voice of provider!.voices) {
      expect(voice).toMatchObject({ speakingRate: { min: 0.54, max: 3, default: 1 }, pitch: { min: -12, max: 11.75, default: 0 } });
    }
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

  it('cuts the silence before and after a browser recording (WebM/Opus), keeping 150 ms around the sound', async () => {
    // 1.5 s of room noise (≈ −66 dBFS), 2 s of a voice-like tone, 2 s of room noise: as a phone records it.
    const upload = path.join(temp.path, 'ghi-am.webm');
    const noise = 'anoisesrc=color=pink:amplitude=0.0005:sample_rate=48000:duration=5.5';
    const tone = 'sine=frequency=220:sample_rate=48000:duration=2,volume=0.3,adelay=1500,apad=whole_len=264000';
    await runFfmpeg(noise, (command) =>
      command.inputFormat('lavfi').input(tone).inputFormat('lavfi').complexFilter('[0:a][1:a]amix=inputs=2:duration=first,volume=2[out]', 'out').audioCodec('libopus').audioBitrate('32k').output(upload),
    );
    expect(Math.round(await decodedDurationMs(upload))).toBeGreaterThanOrEqual(5_450);

    const audio = await renderer.normalizeUpload(upload, 'ghi-am.webm');
    const file = (await store.locate(audio.sha256))!.path;
    const decodedMs = await decodedDurationMs(file);
    // 2 s of sound + 150 ms kept either side + the usual 150 ms padding either side.
    expect(Math.abs(decodedMs - (2_000 + 2 * 150 + 2 * 150))).toBeLessThanOrEqual(60);
    expect(Math.abs(audio.durationMs - decodedMs)).toBeLessThanOrEqual(1);
    expect(audio.loudnessLufs!).toBeGreaterThanOrEqual(-17);
    expect(audio.loudnessLufs!).toBeLessThanOrEqual(-15);
    const ends = (await silentStretches(file, { noiseDb: -40, minMs: 50 })).filter((stretch) => stretch.startMs < 10 || stretch.endMs > decodedMs - 10);
    for (const end of ends) expect(end.durationMs).toBeLessThanOrEqual(300 + 40);
    await recordMeasurement('upload-trim', { inputMs: 5_500, soundMs: 2_000, outputMs: decodedMs, loudnessLufs: audio.loudnessLufs, silentEndsMs: ends.map((end) => Math.round(end.durationMs)) });
  });

  it('leaves a recording without silent ends as long as it was', async () => {
    const upload = path.join(temp.path, 'tone.wav');
    await runFfmpeg('sine=frequency=330:duration=2.5:sample_rate=24000', (command) => command.inputFormat('lavfi').output(upload));
    const audio = await renderer.normalizeUpload(upload, 'tone.wav');
    expect(Math.abs(audio.durationMs - (2_500 + 2 * 150))).toBeLessThanOrEqual(5);
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

describe('AudioRenderer.renderTone and renderSequence', () => {
  it('makes the chime with ffmpeg once, at −16 LUFS, and serves it from the cache afterwards', async () => {
    const chime = await renderer.renderTone('chime');
    const again = await renderer.renderTone('chime');
    expect(again).toEqual({ ...chime, cached: true });
    expect(Math.abs(chime.durationMs - (TONES.chime.durationMs + 2 * 150))).toBeLessThanOrEqual(5);
    const loudness = await measureLoudness((await store.locate(chime.sha256))!.path);
    expect(Math.abs(loudness.integratedLufs - -16)).toBeLessThanOrEqual(1);
    expect(loudness.truePeakDbtp).toBeLessThanOrEqual(-1);
    const attention = await renderer.renderTone('attention');
    expect(attention.sha256).not.toBe(chime.sha256);
  });

  it('joins chime, speech, a recording and the closing chime into one file as long as its parts and pauses', async () => {
    const recording = path.join(temp.path, 'recording.m4a');
    await runFfmpeg('sine=frequency=180:duration=3:sample_rate=44100', (command) =>
      command.inputFormat('lavfi').audioFilters('volume=-20dB').outputOptions(['-c:a', 'aac']).output(recording),
    );
    const parts = [
      await renderer.renderTone('chime'),
      await renderer.renderText({ text: 'Thông báo của Ủy ban nhân dân xã về lịch tiêm phòng cho gia súc.' }),
      await renderer.normalizeUpload(recording, 'recording.m4a'),
      await renderer.renderTone('end'),
    ];
    const joined = await renderer.renderSequence(parts.map((part) => part.sha256));

    const file = (await store.locate(joined.sha256))!.path;
    const partsMs = await Promise.all(parts.map(async (part) => decodedDurationMs((await store.locate(part.sha256))!.path)));
    const expectedMs = partsMs.reduce((sum, ms) => sum + ms, 0) + 3 * 400 + 2 * 150;
    const decodedMs = await decodedDurationMs(file);
    expect(Math.abs(decodedMs - expectedMs)).toBeLessThanOrEqual(100);
    expect(Math.abs(joined.durationMs - decodedMs)).toBeLessThanOrEqual(1);
    const loudness = await measureLoudness(file);
    expect(Math.abs(loudness.integratedLufs - -16)).toBeLessThanOrEqual(1);
    expect(loudness.truePeakDbtp).toBeLessThanOrEqual(-1);
    // Each join: the parts' own 150 ms padding, the 400 ms pause, and whatever silence the engine left.
    const gaps = innerGaps(await silentStretches(file, { noiseDb: -60, minMs: 100 }), decodedMs);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps) expect(gap.durationMs).toBeGreaterThanOrEqual(400 + 2 * 150 - 40);

    const again = await renderer.renderSequence(parts.map((part) => part.sha256));
    expect(again).toEqual({ ...joined, cached: true });
    await recordMeasurement('sequence-render', { partsMs, expectedMs, decodedMs, loudness, gapsMs: gaps.map((gap) => Math.round(gap.durationMs)) });
  });
});
