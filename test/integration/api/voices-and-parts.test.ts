/**
 * Voices, area default voices, recordings in any language and multi-part bulletins, through the
 * real server: real database, real espeak-ng and ffmpeg, and the real Google client against the
 * local REST stub. Loudness and durations are measured on the stored files with ffmpeg.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../../server/audio/ffmpeg-runner.js';
import { measureLoudness } from '../../../server/audio/loudness-normalizer.js';
import { ApiClient } from '../../helpers/api-client.js';
import { startGoogleTtsStub, STUB_VOICES, type GoogleTtsStub } from '../../helpers/google-tts-stub.js';
import { recordMeasurement } from '../../helpers/measurements.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';
import { decodedDurationMs } from '../audio/audio-measurements.js';

interface Range {
  min: number;
  max: number;
  default: number;
}

interface Voice {
  provider: string;
  name: string;
  label: string;
  gender: string | null;
  speakingRate: Range;
  pitch: Range | null;
}

interface VoiceOptions {
  language: string;
  pauseMs: number;
  serverDefault: { provider: string; voice: string; speakingRate: number; pitch: number };
  areaDefault: { voice: string; speakingRate: number | null; pitch: number | null } | null;
  providers: { provider: string; isDefault: boolean; defaultVoice: string; available: boolean; error?: string; voices: Voice[] }[];
  limits: { textMaxChars: number; uploadMaxBytes: number; uploadMaxSeconds: number };
}

interface Part {
  kind: 'chime' | 'tts' | 'audio';
  sha256: string;
  durationMs: number;
  [field: string]: unknown;
}

interface Bulletin {
  id: string;
  text: string | null;
  voice: string | null;
  speakingRate: number | null;
  pitch: number | null;
  language: string;
  source: 'tts' | 'upload' | 'parts';
  transcript: string | null;
  parts: Part[] | null;
  approvalState: string;
  audio: { sha256: string; durationMs: number; loudnessLufs: number | null; truePeakDbtp: number | null; url: string };
}

interface ErrorBody {
  code: string;
  details: { field?: string; message: string }[];
}

const PASSWORD = 'Loa-truyen-thanh-2026';
const SPEECH = 'Thông báo của Ủy ban nhân dân xã về lịch tiêm phòng cho gia súc.';
const ESPEAK_VOICES = ['vi', 'vi-vn-x-central', 'vi-vn-x-south'];

const fieldsOf = (body: unknown) => (body as ErrorBody).details.map((detail) => detail.field);

describe('voices, area defaults, recordings and parts (espeak-ng server)', () => {
  let server: TestServer;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;
  let otherOperator: ApiClient;
  let areas: { province: string; district: string; commune: string; otherCommune: string };
  let fixtures: Awaited<ReturnType<typeof makeTempDir>>;
  let recordingPath: string;

  beforeAll(async () => {
    server = await startTestServer();
    fixtures = await makeTempDir('cb-voices');
    admin = new ApiClient(server.url);
    await admin.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const area = async (name: string, kind: string, parentId?: string) => (await admin.post<{ id: string }>('/api/areas', { name, kind, parentId })).body.id;
    const province = await area('Tỉnh Hòa Bình', 'province');
    const district = await area('Huyện Tân Lạc', 'district', province);
    areas = { province, district, commune: await area('Xã Phong Phú', 'commune', district), otherCommune: await area('Xã Mãn Đức', 'commune', district) };
    const user = async (username: string, role: string, areaId: string) => {
      const created = await admin.post('/api/users', { username, password: PASSWORD, role, areaId });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const client = new ApiClient(server.url);
      await client.login(username, PASSWORD);
      return client;
    };
    [operator, viewer, otherOperator] = await Promise.all([
      user('bientap.phongphu', 'operator', areas.commune),
      user('xem.phongphu', 'viewer', areas.commune),
      user('bientap.manduc', 'operator', areas.otherCommune),
    ]);
    // A phone recording: 1.5 s of room noise, 2 s of voice, 2 s of room noise, as WebM/Opus from a browser.
    recordingPath = path.join(fixtures.path, 'ghi-am.webm');
    await runFfmpeg('anoisesrc=color=pink:amplitude=0.0005:sample_rate=48000:duration=5.5', (command) =>
      command
        .inputFormat('lavfi')
        .input('sine=frequency=220:sample_rate=48000:duration=2,volume=0.3,adelay=1500,apad=whole_len=264000')
        .inputFormat('lavfi')
        .complexFilter('[0:a][1:a]amix=inputs=2:duration=first,volume=2[out]', 'out')
        .audioCodec('libopus')
        .audioBitrate('32k')
        .output(recordingPath),
    );
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await fixtures?.remove();
  });

  const post = (client: ApiClient, body: object) => client.post<Bulletin>('/api/bulletins', body);

  async function upload(client: ApiClient, fields: Record<string, string>): Promise<{ status: number; body: Bulletin }> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.set('file', new Blob([await import('node:fs/promises').then((fs) => fs.readFile(recordingPath))]), 'ghi-am.webm');
    return client.postRaw<Bulletin>('/api/bulletins', form);
  }

  const storedFile = (bulletin: Bulletin) => path.join(server.config.audio.dir, `${bulletin.audio.sha256}.mp3`);

  it('lists the voices espeak-ng has for Vietnamese, with rate and pitch ranges, to anyone signed in', async () => {
    const response = await viewer.get<VoiceOptions>('/api/tts/voices');
    expect(response.status).toBe(200);
    const options = response.body;
    expect(options).toMatchObject({ language: 'vi-VN', pauseMs: 400, areaDefault: null, serverDefault: { provider: 'espeak', voice: 'vi', speakingRate: 1, pitch: 0 } });
    expect(options.providers).toHaveLength(1);
    expect(options.providers[0]).toMatchObject({ provider: 'espeak', isDefault: true, defaultVoice: 'vi', available: true });
    expect(options.providers[0]!.voices.map((voice) => voice.name)).toEqual(ESPEAK_VOICES);
    expect(options.providers[0]!.voices[2]).toEqual({
      provider: 'espeak',
      name: 'vi-vn-x-south',
      label: 'Vietnamese (Southern)',
      languageCodes: ['vi-vn-x-south'],
      gender: 'male',
      speakingRate: { min: 0.54, max: 3, default: 1 },
      pitch: { min: -12, max: 11.75, default: 0 },
    });
    // The console counts a text against the server's limit while it is typed.
    expect(options.limits).toEqual({ textMaxChars: 20_000, uploadMaxBytes: 52_428_800, uploadMaxSeconds: 1800 });
    expect((await new ApiClient(server.url).get('/api/tts/voices')).status).toBe(401);
  });

  it('speaks a bulletin without a voice in its author\'s area default, walking up the tree, else the server default', async () => {
    const province = await admin.patch<{ defaultVoice: string; defaultSpeakingRate: number }>(`/api/areas/${areas.province}`, { defaultVoice: 'VI-VN-X-SOUTH', defaultSpeakingRate: 0.9 });
    expect(province.status).toBe(200);
    expect(province.body).toMatchObject({ defaultVoice: 'VI-VN-X-SOUTH', defaultSpeakingRate: 0.9, defaultPitch: null });
    expect((await operator.get<VoiceOptions>('/api/tts/voices')).body.areaDefault).toEqual({ voice: 'VI-VN-X-SOUTH', speakingRate: 0.9, pitch: null });

    const fromProvince = await post(operator, { title: 'Lịch tiêm phòng', text: SPEECH });
    expect(fromProvince.status).toBe(201);
    expect(fromProvince.body).toMatchObject({ voice: 'vi-vn-x-south', speakingRate: 0.9, pitch: 0, source: 'tts', approvalState: 'pending', text: SPEECH });

    await admin.patch(`/api/areas/${areas.commune}`, { defaultVoice: 'vi-vn-x-central', defaultPitch: -2 });
    const fromCommune = await post(operator, { title: 'Lịch tiêm phòng', text: SPEECH });
    expect(fromCommune.body).toMatchObject({ voice: 'vi-vn-x-central', speakingRate: 1, pitch: -2 });
    // A request's own rate still takes the area's voice; naming a voice leaves the area's settings behind.
    expect((await post(operator, { title: 'Nhanh hơn', text: SPEECH, speakingRate: 1.2 })).body).toMatchObject({ voice: 'vi-vn-x-central', speakingRate: 1.2, pitch: -2 });
    expect((await post(operator, { title: 'Giọng Bắc', text: SPEECH, voice: 'vi' })).body).toMatchObject({ voice: 'vi', speakingRate: 1, pitch: 0 });
    // Another commune of the same province inherits the province's voice; an admin writes for the network.
    expect((await post(otherOperator, { title: 'Mãn Đức', text: SPEECH })).body).toMatchObject({ voice: 'vi-vn-x-south', speakingRate: 0.9 });
    expect((await post(admin, { title: 'Toàn tỉnh', text: SPEECH })).body).toMatchObject({ voice: 'vi', speakingRate: 1, pitch: 0, approvalState: 'approved' });

    const cleared = await admin.patch(`/api/areas/${areas.commune}`, { defaultVoice: null });
    expect(cleared.body).toMatchObject({ defaultVoice: null, defaultSpeakingRate: null, defaultPitch: null });
    expect((await post(operator, { title: 'Lại tỉnh', text: SPEECH })).body).toMatchObject({ voice: 'vi-vn-x-south', speakingRate: 0.9 });
    // Voice settings are part of the render cache key: the same text in another voice is another render.
    expect(new Set([fromProvince, fromCommune].map((response) => response.body.audio.sha256)).size).toBe(2);
  });

  it('refuses an area default voice, rate or pitch the engines do not offer, naming the field', async () => {
    const patch = (id: string, body: object) => admin.patch<ErrorBody>(`/api/areas/${id}`, body);
    const unknown = await patch(areas.district, { defaultVoice: 'vi-VN-Wavenet-A' });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body)).toEqual(['defaultVoice']);
    expect(fieldsOf((await patch(areas.province, { defaultPitch: 30 })).body)).toEqual(['defaultPitch']);
    expect(fieldsOf((await patch(areas.province, { defaultSpeakingRate: 0.2 })).body)).toEqual(['defaultSpeakingRate']);
    const noVoice = await patch(areas.district, { defaultSpeakingRate: 1.1 });
    expect(noVoice.status).toBe(400);
    expect(noVoice.body.details).toEqual([{ field: 'defaultSpeakingRate', message: 'needs a defaultVoice' }]);
    expect((await operator.patch(`/api/areas/${areas.commune}`, { defaultVoice: 'vi' })).status).toBe(403);
  });

  it('refuses a bulletin\'s voice, rate, pitch or language outside what is offered, naming the field', async () => {
    const cases: [object, string][] = [
      [{ voice: 'vi-vn-x-north' }, 'voice'],
      [{ speakingRate: 5 }, 'speakingRate'],
      [{ pitch: -13 }, 'pitch'],
      [{ pitch: 'high' }, 'pitch'],
      [{ language: 'tiếng Việt' }, 'language'],
    ];
    for (const [settings, field] of cases) {
      const response = await post(operator, { title: 'Sai', text: SPEECH, ...settings });
      expect(response.status, JSON.stringify(settings)).toBe(400);
      expect(fieldsOf(response.body)).toEqual([field]);
    }
  });

  it('takes a browser recording in Mường with its transcript, trimmed of its silent ends and at −16 LUFS', async () => {
    const response = await upload(operator, { title: 'Thông báo họp bản', language: 'MTQ', transcript: 'Bà con đến nhà văn hóa lúc 8 giờ.' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({ source: 'upload', language: 'mtq', transcript: 'Bà con đến nhà văn hóa lúc 8 giờ.', text: null, voice: null, approvalState: 'pending' });
    const decodedMs = await decodedDurationMs(storedFile(response.body));
    // 2 s of voice, 150 ms kept either side of it, 150 ms of padding at each end; 5.5 s recorded.
    expect(Math.abs(decodedMs - 2_600)).toBeLessThanOrEqual(60);
    expect(Math.abs(response.body.audio.durationMs - decodedMs)).toBeLessThanOrEqual(1);
    const loudness = await measureLoudness(storedFile(response.body));
    expect(Math.abs(loudness.integratedLufs - -16)).toBeLessThanOrEqual(1);

    expect((await operator.get<Bulletin>(`/api/bulletins/${response.body.id}`)).body).toMatchObject({ language: 'mtq', transcript: 'Bà con đến nhà văn hóa lúc 8 giờ.' });
    const plain = await upload(operator, { title: 'Không ghi ngôn ngữ' });
    expect(plain.body).toMatchObject({ language: 'vi-VN', transcript: null });
    const bad = await upload(operator, { title: 'Sai ngôn ngữ', language: 'Mường' });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['language']);
  });

  it('renders chime, speech, an earlier recording and the closing chime into one file at −16 LUFS, as long as its parts and pauses', async () => {
    const recording = (await upload(operator, { title: 'Ghi âm trưởng bản', language: 'hmn' })).body;
    const response = await post(operator, {
      title: 'Thông báo có chuông',
      parts: [
        { kind: 'chime' },
        { kind: 'tts', text: SPEECH, voice: 'vi-vn-x-central', speakingRate: 0.9 },
        { kind: 'audio', bulletinId: recording.id },
        { kind: 'chime', name: 'end' },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const bulletin = response.body;
    expect(bulletin).toMatchObject({ source: 'parts', approvalState: 'pending', text: SPEECH, voice: null });
    expect(bulletin.parts!.map((part) => part.kind)).toEqual(['chime', 'tts', 'audio', 'chime']);
    expect(bulletin.parts![1]).toMatchObject({ text: SPEECH, language: 'vi-VN', voice: 'vi-vn-x-central', speakingRate: 0.9, pitch: 0 });
    expect(bulletin.parts![2]).toMatchObject({ bulletinId: recording.id, sha256: recording.audio.sha256, durationMs: recording.audio.durationMs });
    expect(bulletin.parts![3]).toMatchObject({ name: 'end' });

    const pausesMs = 3 * 400;
    const paddingMs = 2 * 150;
    const recordedSum = bulletin.parts!.reduce((sum, part) => sum + part.durationMs, 0) + pausesMs + paddingMs;
    expect(Math.abs(bulletin.audio.durationMs - recordedSum)).toBeLessThanOrEqual(100);
    // Measured on the files themselves: each part as decoded, and the result.
    const partsMs = await Promise.all(bulletin.parts!.map((part) => decodedDurationMs(path.join(server.config.audio.dir, `${part.sha256}.mp3`))));
    const decodedMs = await decodedDurationMs(storedFile(bulletin));
    const expectedMs = partsMs.reduce((sum, ms) => sum + ms, 0) + pausesMs + paddingMs;
    expect(Math.abs(decodedMs - expectedMs)).toBeLessThanOrEqual(100);
    const loudness = await measureLoudness(storedFile(bulletin));
    expect(Math.abs(loudness.integratedLufs - -16)).toBeLessThanOrEqual(1);
    expect(loudness.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(bulletin.audio.loudnessLufs).toBeCloseTo(loudness.integratedLufs, 0);
    await recordMeasurement('parts-bulletin', { partsMs, pausesMs, paddingMs, expectedMs, decodedMs, recordMs: bulletin.audio.durationMs, loudness });

    // The receivers get it like any bulletin: one file over HTTP.
    const served = await fetch(bulletin.audio.url);
    expect(served.status).toBe(200);
    expect(Number(served.headers.get('content-length'))).toBeGreaterThan(0);
  });

  it('names the part that is wrong, and hides bulletins of other communes', async () => {
    const recording = (await upload(otherOperator, { title: 'Mãn Đức' })).body;
    const cases: [object[], number, string][] = [
      [[], 400, 'parts'],
      [[{ kind: 'video' }], 400, 'parts.0.kind'],
      [[{ kind: 'chime', name: 'siren' }], 400, 'parts.0.name'],
      [[{ kind: 'chime' }, { kind: 'tts', text: ' ' }], 400, 'parts.1.text'],
      [[{ kind: 'chime' }, { kind: 'tts', text: SPEECH, speakingRate: 9 }], 400, 'parts.1.speakingRate'],
      [[{ kind: 'chime' }, { kind: 'tts', text: SPEECH }, { kind: 'audio', bulletinId: 'khong-co' }], 404, 'parts.2.bulletinId'],
      [[{ kind: 'audio', bulletinId: recording.id }], 404, 'parts.0.bulletinId'],
    ];
    for (const [parts, status, field] of cases) {
      const response = await post(operator, { title: 'Sai phần', parts });
      expect(response.status, JSON.stringify(parts)).toBe(status);
      expect(fieldsOf(response.body)).toEqual([field]);
    }
    const many = await post(operator, { title: 'Quá nhiều', parts: Array.from({ length: 21 }, () => ({ kind: 'chime' })) });
    expect(fieldsOf(many.body)).toEqual(['parts']);
  });
});

describe('voices through Google Text-to-Speech (the real client against the local REST endpoint)', () => {
  let stub: GoogleTtsStub;
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    stub = await startGoogleTtsStub({ msPerByte: 3 });
    server = await startTestServer({ env: { TTS_PROVIDER: 'google', GOOGLE_TTS_ENDPOINT: `127.0.0.1:${stub.port}`, TTS_PAUSE_MS: '300' } });
    admin = new ApiClient(server.url);
    await admin.login(TEST_ADMIN.username, TEST_ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await stub?.close();
  });

  it('lists Google\'s vi-VN voices (asked with ListVoices) before espeak-ng\'s', async () => {
    const options = (await admin.get<VoiceOptions>('/api/tts/voices')).body;
    expect(options.pauseMs).toBe(300);
    expect(options.serverDefault).toEqual({ provider: 'google', voice: 'vi-VN-Standard-A', speakingRate: 1, pitch: 0 });
    expect(options.providers.map((provider) => [provider.provider, provider.isDefault, provider.available])).toEqual([
      ['google', true, true],
      ['espeak', false, true],
    ]);
    const google = options.providers[0]!.voices;
    expect(google.map((voice) => voice.name).sort()).toEqual(STUB_VOICES.filter((voice) => voice.languageCodes.includes('vi-VN')).map((voice) => voice.name).sort());
    expect(google.find((voice) => voice.name === 'vi-VN-Wavenet-B')).toMatchObject({ gender: 'male', speakingRate: { min: 0.25, max: 4 }, pitch: { min: -20, max: 20 } });
    expect(google.find((voice) => voice.name === 'vi-VN-Chirp3-HD-Aoede')).toMatchObject({ pitch: null });
    expect(options.providers[1]!.voices.map((voice) => voice.name)).toEqual(ESPEAK_VOICES);
    expect(stub.voiceListRequests.map((query) => query.get('languageCode'))).toContain('vi-VN');
  });

  it('speaks a bulletin in the Google voice, rate and pitch asked for, and an espeak-ng voice with espeak-ng', async () => {
    const response = await admin.post<Bulletin>('/api/bulletins', { title: 'Wavenet', text: SPEECH, voice: 'vi-VN-Wavenet-B', speakingRate: 1.1, pitch: 2 });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({ voice: 'vi-VN-Wavenet-B', speakingRate: 1.1, pitch: 2 });
    expect(stub.requests.at(-1)).toMatchObject({ voiceName: 'vi-VN-Wavenet-B', languageCode: 'vi-VN', speakingRate: 1.1, pitch: 2, status: 200 });

    const asked = stub.requests.length;
    const espeak = await admin.post<Bulletin>('/api/bulletins', { title: 'espeak', text: SPEECH, voice: 'vi-vn-x-south' });
    expect(espeak.body).toMatchObject({ voice: 'vi-vn-x-south' });
    expect(stub.requests).toHaveLength(asked);

    const chirp = await admin.post<ErrorBody>('/api/bulletins', { title: 'Chirp', text: SPEECH, voice: 'vi-VN-Chirp3-HD-Aoede', pitch: -1 });
    expect(chirp.status).toBe(400);
    expect(fieldsOf(chirp.body)).toEqual(['pitch']);
  });

  it('sets a Google voice as an area default', async () => {
    const province = (await admin.post<{ id: string }>('/api/areas', { name: 'Tỉnh Sơn La', kind: 'province' })).body.id;
    const response = await admin.patch(`/api/areas/${province}`, { defaultVoice: 'vi-VN-Neural2-D', defaultSpeakingRate: 0.85 });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ defaultVoice: 'vi-VN-Neural2-D', defaultSpeakingRate: 0.85 });
  });
});
