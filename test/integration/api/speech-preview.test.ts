/** Listen before sending, and the pronunciation dictionary, against the real server and TTS. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccessFixture, FIXTURE_SETUP_TIMEOUT_MS, type AccessFixture } from '../../helpers/access-fixture.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

interface Preview {
  spokenText: string;
  changes: { from: string; to: string }[];
  flagged: { token: string }[];
  audio: { url: string; sha256: string; durationMs: number };
}

describe('speech preview and pronunciation dictionary', () => {
  let server: TestServer;
  let f: AccessFixture;

  beforeAll(async () => {
    server = await startTestServer();
    f = await buildAccessFixture(server.url);
  }, FIXTURE_SETUP_TIMEOUT_MS);
  afterAll(async () => server?.close());

  it('shows the spoken text, each change and the audio before anything is sent', async () => {
    const preview = await f.communeA.operator.post<Preview>('/api/tts/preview', {
      text: 'Theo Nghị định 49/2024/NĐ-CP, từ 6h30 ngày 22/11 UBND xã thu 50.000đ/hộ.',
    });
    expect(preview.status).toBe(200);
    expect(preview.body.spokenText).not.toMatch(/\d/);
    expect(preview.body.spokenText).toContain('ủy ban nhân dân');
    expect(preview.body.changes.map((c) => c.from)).toEqual(expect.arrayContaining(['UBND']));
    expect(preview.body.audio.durationMs).toBeGreaterThan(1_000);
    const audio = await fetch(preview.body.audio.url);
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).length).toBeGreaterThan(1_000);
  });

  it('speaks a bulletin exactly as its preview: the same normalised text gives the same audio', async () => {
    const text = 'Lúc 14h00 ngày 25/11, HĐND xã họp tại hội trường UBND.';
    const preview = await f.communeA.operator.post<Preview>('/api/tts/preview', { text });
    expect(preview.body.spokenText).toContain('hội đồng nhân dân');
    const bulletin = await f.communeA.operator.post<{ text: string; audio: { sha256: string } }>('/api/bulletins', { title: 'Họp HĐND', text });
    expect(bulletin.status).toBe(201);
    // The bulletin keeps what was written; the receivers hear what the preview said.
    expect(bulletin.body.text).toBe(text);
    expect(bulletin.body.audio.sha256).toBe(preview.body.audio.sha256);
  });

  it('applies an area\'s entries in that area only, and a changed entry gives new audio', async () => {
    const text = 'Kính mời bà con Xóm Khang đến nhà văn hóa.';
    const before = await f.communeA.operator.post<Preview>('/api/tts/preview', { text });
    const created = await f.communeA.operator.post<{ id: string }>('/api/pronunciations', { match: 'Khang', spoken: 'Khang Thượng', areaId: f.areas.communeA });
    expect(created.status).toBe(201);

    const inA = await f.communeA.operator.post<Preview>('/api/tts/preview', { text });
    expect(inA.body.spokenText).toContain('Khang Thượng');
    expect(inA.body.audio.sha256).not.toBe(before.body.audio.sha256);
    const inB = await f.communeB.operator.post<Preview>('/api/tts/preview', { text });
    expect(inB.body.spokenText).not.toContain('Thượng');
    expect(inB.body.audio.sha256).toBe(before.body.audio.sha256);

    expect((await f.communeA.operator.patch(`/api/pronunciations/${created.body.id}`, { spoken: 'Khang Hạ' })).status).toBe(200);
    const edited = await f.communeA.operator.post<Preview>('/api/tts/preview', { text });
    expect(edited.body.spokenText).toContain('Khang Hạ');
    expect(edited.body.audio.sha256).not.toBe(inA.body.audio.sha256);
  });

  it('lets the commune\'s reading win over the district\'s and the network\'s', async () => {
    await f.admin.post('/api/pronunciations', { match: 'Mường Vang', spoken: 'mường vang (toàn mạng)' });
    await f.district.operator.post('/api/pronunciations', { match: 'Mường Vang', spoken: 'mường vang (huyện)', areaId: f.areas.district });
    await f.communeA.operator.post('/api/pronunciations', { match: 'Mường Vang', spoken: 'mường vang (xã)', areaId: f.areas.communeA });
    const text = 'Chợ Mường Vang họp sáng nay.';
    expect((await f.communeA.viewer.get<{ spoken: string }[]>('/api/pronunciations')).body.map((e) => e.spoken)).toEqual(
      expect.arrayContaining(['mường vang (toàn mạng)', 'mường vang (huyện)', 'mường vang (xã)']),
    );
    expect((await f.communeA.operator.post<Preview>('/api/tts/preview', { text })).body.spokenText).toContain('(xã)');
    expect((await f.communeB.operator.post<Preview>('/api/tts/preview', { text })).body.spokenText).toContain('(huyện)');
    expect((await f.admin.post<Preview>('/api/tts/preview', { text })).body.spokenText).toContain('(toàn mạng)');
  });

  it('refuses network-wide entries from area users, entries outside the user\'s area, and dangerous patterns', async () => {
    const global = await f.communeA.operator.post<{ details: { field: string }[] }>('/api/pronunciations', { match: 'ABC', spoken: 'a bê xê' });
    expect(global.status).toBe(403);
    expect(global.body.details[0]?.field).toBe('areaId');
    const elsewhere = await f.communeA.operator.post('/api/pronunciations', { match: 'ABC', spoken: 'a bê xê', areaId: f.areas.communeB });
    expect(elsewhere.status).toBe(403);
    const invalid = await f.communeA.operator.post<{ details: { field: string }[] }>('/api/pronunciations', {
      match: '([a-z',
      spoken: 'x',
      kind: 'pattern',
      areaId: f.areas.communeA,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details[0]?.field).toBe('match');
    const slow = await f.communeA.operator.post('/api/pronunciations', { match: '(a+)+$', spoken: 'x', kind: 'pattern', areaId: f.areas.communeA });
    expect(slow.status).toBe(400);
    const viewer = await f.communeA.viewer.post('/api/tts/preview', { text: 'Xin chào.' });
    expect(viewer.status).toBe(403);
  });
});
