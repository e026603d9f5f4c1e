/** The HTTP API against the real server: areas, devices, bulletins (text and upload), audio serving, OpenAPI. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAudioBinaries } from '../../../server/audio/binaries.js';
import { ApiClient } from '../../helpers/api-client.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const run = promisify(execFile);

interface Bulletin {
  id: string;
  audio: { url: string; sha256: string; bytes: number; durationMs: number; loudnessLufs: number; mime: string };
}

describe('HTTP API', () => {
  let server: TestServer;
  let api: ApiClient;
  let bulletin: Bulletin;

  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_URL: 'http://loa.example.test:9999' } });
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    bulletin = (
      await api.post<Bulletin>('/api/bulletins', {
        title: 'Lịch tiêm phòng',
        text: 'Kính thưa bà con. Sáng thứ bảy, trạm y tế xã tổ chức tiêm phòng cho trẻ em dưới năm tuổi. Đề nghị các gia đình đưa trẻ đến đúng giờ.',
      })
    ).body;
  });
  afterAll(async () => server?.close());

  it('returns the area tree with devices counted per area', async () => {
    const province = await api.post<{ id: string }>('/api/areas', { name: 'Tỉnh Hòa Bình', kind: 'province', code: 'HB' });
    const district = await api.post<{ id: string }>('/api/areas', { name: 'Huyện Mai Châu', kind: 'district', parentId: province.body.id });
    const commune = await api.post<{ id: string }>('/api/areas', { name: 'Xã Chiềng Châu', kind: 'commune', parentId: district.body.id });
    await api.post('/api/devices', { name: 'Loa UBND', areaId: commune.body.id, lat: 20.66, lon: 105.07 });
    const tree = await api.get<{ id: string; children: { children: { id: string; deviceCount: number }[] }[] }[]>('/api/areas');
    const root = tree.body.find((node) => node.id === province.body.id);
    expect(root?.children[0]?.children[0]).toMatchObject({ id: commune.body.id, deviceCount: 1 });
    const child = await api.post('/api/areas', { name: 'Tỉnh khác', kind: 'province', parentId: commune.body.id });
    expect(child.status).toBe(400);
  });

  it('starts a broadcast without startAt shortly from now, so receivers start together', async () => {
    const area = await api.post<{ id: string }>('/api/areas', { name: 'Xã Tòng Đậu', kind: 'commune' });
    await api.post('/api/devices', { name: 'Loa Tòng Đậu', areaId: area.body.id });
    const before = Date.now();
    const created = await api.post<{ startAt: string; deliveries: { state: string }[] }>('/api/broadcasts', {
      bulletinId: bulletin.id,
      target: { areaIds: [area.body.id] },
    });
    expect(created.status).toBe(201);
    const startAt = Date.parse(created.body.startAt);
    expect(startAt).toBeGreaterThanOrEqual(before + 2_000);
    expect(startAt).toBeLessThan(Date.now() + 2_000 + 1_000);
    // Nobody listens on this receiver: the command is sent and waits in the broker.
    expect(created.body.deliveries).toEqual([expect.objectContaining({ state: 'sent' })]);
  });

  it('shows a new device with its token once, offline, and never the token again', async () => {
    const area = await api.post<{ id: string }>('/api/areas', { name: 'Xã Pà Cò', kind: 'commune' });
    const created = await api.post<{ id: string; token: string; online: boolean }>('/api/devices', { name: 'Loa Pà Cò', areaId: area.body.id });
    expect(created.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.body.id).toMatch(/^rx-[0-9a-f]{10}$/);
    const listed = await api.get<Record<string, unknown>[]>('/api/devices');
    const row = listed.body.find((d) => d.id === created.body.id);
    expect(row).toMatchObject({ online: false, lastSeenAt: null, volume: 70, playing: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
  });

  it('renders a text bulletin to normalised mono MP3 with an audio URL under PUBLIC_URL', () => {
    expect(bulletin.audio.url).toBe(`http://loa.example.test:9999/audio/${bulletin.audio.sha256}.mp3`);
    expect(bulletin.audio.mime).toBe('audio/mpeg');
    expect(bulletin.audio.loudnessLufs).toBeGreaterThanOrEqual(-17);
    expect(bulletin.audio.loudnessLufs).toBeLessThanOrEqual(-15);
    expect(bulletin.audio.durationMs).toBeGreaterThan(3_000);
  });

  it('never synthesises the same text with the same voice and settings twice', async () => {
    const again = await api.post<Bulletin>('/api/bulletins', { title: 'Bản sao', text: (await api.get<{ text: string }>(`/api/bulletins/${bulletin.id}`)).body.text });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(bulletin.id);
    expect(again.body.audio.sha256).toBe(bulletin.audio.sha256);
    // One render of this text (the attention signals render their own at start-up).
    expect(await server.database.prisma.audioRender.count({ where: { audioSha256: bulletin.audio.sha256 } })).toBe(1);
  });

  it('serves audio with Content-Type, Content-Length, a strong ETag and byte ranges', async () => {
    const url = `${server.url}/audio/${bulletin.audio.sha256}.mp3`;
    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('audio/mpeg');
    expect(Number(full.headers.get('content-length'))).toBe(bulletin.audio.bytes);
    expect(full.headers.get('etag')).toBe(`"${bulletin.audio.sha256}"`);
    const bytes = Buffer.from(await full.arrayBuffer());
    expect(bytes.length).toBe(bulletin.audio.bytes);

    const partial = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 100-199/${bulletin.audio.bytes}`);
    expect(Buffer.from(await partial.arrayBuffer())).toEqual(bytes.subarray(100, 200));

    const notModified = await fetch(url, { headers: { 'if-none-match': `"${bulletin.audio.sha256}"` } });
    expect(notModified.status).toBe(304);
    const unsatisfiable = await fetch(url, { headers: { range: `bytes=${bulletin.audio.bytes}-` } });
    expect(unsatisfiable.status).toBe(416);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(bulletin.audio.bytes);
    expect((await fetch(`${server.url}/audio/${'0'.repeat(64)}.mp3`)).status).toBe(404);
    expect((await fetch(`${server.url}/audio/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it.each(['wav', 'ogg', 'm4a', 'mp3'])('normalises an uploaded %s recording to −16 LUFS', async (format) => {
    const dir = await makeTempDir('cb-upload');
    try {
      const input = path.join(dir.path, `recording.${format}`);
      // A quiet (about −30 LUFS) two-tone recording, far from the target loudness.
      await run(resolveAudioBinaries().ffmpeg, [
        '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=6,volume=0.5',
        '-f', 'lavfi', '-i', 'sine=frequency=660:duration=6,volume=0.5', '-filter_complex', 'amix=inputs=2',
        '-ac', '2', input,
      ]);
      const form = new FormData();
      form.set('title', `Ghi âm ${format}`);
      form.set('file', new Blob([await readFile(input)]), `recording.${format}`);
      const response = await api.postRaw<Bulletin>('/api/bulletins', form);
      expect(response.status).toBe(201);
      expect(response.body.audio.loudnessLufs).toBeGreaterThanOrEqual(-17);
      expect(response.body.audio.loudnessLufs).toBeLessThanOrEqual(-15);
      expect(response.body.audio.durationMs).toBeGreaterThan(5_500);
      expect(response.body.audio.durationMs).toBeLessThan(7_000);
    } finally {
      await dir.remove();
    }
  });

  it('sends security headers on every response', async () => {
    for (const path of ['/api/areas', '/healthz', `/audio/${bulletin.audio.sha256}.mp3`, '/no-such-route']) {
      const response = await api.get(path);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('publishes an OpenAPI description of the routes', async () => {
    const spec = await api.get<{ openapi: string; paths: Record<string, unknown> }>('/api/docs/json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    for (const route of ['/api/auth/login', '/api/areas', '/api/devices', '/api/bulletins', '/api/broadcasts', '/api/broadcasts/{id}']) {
      expect(spec.body.paths).toHaveProperty([route]);
    }
  });

  it('accepts the session cookie instead of the bearer token', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(TEST_ADMIN),
    });
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/session=.+HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: TEST_ADMIN.username, role: 'admin' });
  });
});
