/**
 * Standing alerts (storm bulletins every 2 hours on the hour) against the real server: each slot is
 * a separate, reported airing; a newer alert for the same hazard and areas supersedes the older
 * one, which airs no more; bad requests get a 400 naming the field. Time is stepped through the
 * service's tick rather than waited for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface Summary {
  id: string;
  broadcastId: string;
  state: string;
  hazard: string | null;
  nextAiringAt: string | null;
  supersededById: string | null;
  cadence: { everyMinutes: number; alignTo: string } | null;
}

interface Board {
  emergency: Summary;
  airings: { occurrenceId: string; startAt: string; expiresAt: string; counts: Record<string, number> }[];
  counts: Record<string, number> & { total: number };
}

describe('standing alerts', () => {
  let server: TestServer;
  let api: ApiClient;
  let communeId: string;
  let otherCommuneId: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const district = await api.post<{ id: string }>('/api/areas', { name: 'Huyện Đà Bắc', kind: 'district' });
    communeId = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Tân Minh', kind: 'commune', parentId: district.body.id })).body.id;
    otherCommuneId = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Đồng Ruộng', kind: 'commune', parentId: district.body.id })).body.id;
    for (const [index, areaId] of [communeId, communeId, otherCommuneId].entries()) {
      expect((await api.post('/api/devices', { name: `Loa ${index}`, areaId })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await server?.close();
  });

  it('airs every 2 hours on the hour as separate occurrences, each ending before the next begins', async () => {
    const sent = await api.post<Summary>('/api/emergency', {
      text: 'Bản tin bão số 3. Bà con chằng chống nhà cửa, không ra sông suối.',
      target: { areaIds: [communeId] },
      hazard: 'storm',
      cadence: { every: '2h', alignTo: 'hour' },
      tone: 'storm',
    });
    expect(sent.status).toBe(201);
    expect(sent.body.cadence).toEqual({ everyMinutes: 120, alignTo: 'hour' });
    const next = new Date(sent.body.nextAiringAt!);
    const local = new Date(next.getTime() + 7 * 3_600_000);
    expect([local.getUTCHours() % 2, local.getUTCMinutes(), local.getUTCSeconds()]).toEqual([0, 0, 0]);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);

    let board = await api.get<Board>(`/api/emergency/${sent.body.id}`);
    expect(board.body.airings).toHaveLength(1);
    expect(new Date(board.body.airings[0]!.expiresAt).getTime()).toBeLessThanOrEqual(next.getTime());
    expect(board.body.counts.total).toBe(2);

    await server.emergencies.tick(new Date(next.getTime() - 200));
    board = await api.get<Board>(`/api/emergency/${sent.body.id}`);
    expect(board.body.airings).toHaveLength(2);
    expect(board.body.airings[0]!.startAt).toBe(next.toISOString());
    expect(board.body.emergency.nextAiringAt).toBe(new Date(next.getTime() + 2 * 3_600_000).toISOString());
    // The same slot is never aired twice, however often the tick runs.
    await server.emergencies.tick(new Date(next.getTime() - 100));
    expect((await api.get<Board>(`/api/emergency/${sent.body.id}`)).body.airings).toHaveLength(2);
  });

  it('is superseded by a newer alert for the same hazard and areas, and airs no more', async () => {
    const older = (await api.get<Summary[]>('/api/emergency')).body.find((e) => e.hazard === 'storm' && e.state === 'active')!;
    const unrelated = await api.post<Summary>('/api/emergency', {
      text: 'Cảnh báo sạt lở đất ở xóm Mới.',
      target: { areaIds: [otherCommuneId] },
      hazard: 'storm',
      cadence: { every: '2h' },
    });
    expect(unrelated.status).toBe(201);
    const newer = await api.post<Summary>('/api/emergency', {
      text: 'Bản tin bão số 3, cập nhật: bão đã vào đất liền.',
      target: { areaIds: [communeId] },
      hazard: 'storm',
      cadence: { every: '2h' },
    });
    expect(newer.status).toBe(201);
    const superseded = await api.get<Board>(`/api/emergency/${older.id}`);
    expect(superseded.body.emergency).toMatchObject({ state: 'superseded', supersededById: newer.body.id, nextAiringAt: null });
    // Another commune's alert for the same hazard is not touched.
    expect((await api.get<Board>(`/api/emergency/${unrelated.body.id}`)).body.emergency.state).toBe('active');
    const airingsBefore = superseded.body.airings.length;
    await server.emergencies.tick(new Date(Date.now() + 2 * 3_600_000 + 1_000));
    expect((await api.get<Board>(`/api/emergency/${older.id}`)).body.airings).toHaveLength(airingsBefore);
    expect((await api.get<Board>(`/api/emergency/${newer.body.id}`)).body.airings.length).toBeGreaterThanOrEqual(2);
  });

  it('ends a standing alert at its until, and refuses bad requests naming the field', async () => {
    const ending = await api.post<Summary>('/api/emergency', {
      text: 'Cảnh báo sóng thần.',
      target: { areaIds: [otherCommuneId] },
      hazard: 'tsunami',
      cadence: { every: '15m' },
      until: new Date(Date.now() + 20 * 60_000).toISOString(),
    });
    expect(ending.status).toBe(201);
    await server.emergencies.tick(new Date(Date.now() + 21 * 60_000));
    expect((await api.get<Board>(`/api/emergency/${ending.body.id}`)).body.emergency.state).toBe('expired');

    const cases: [unknown, string][] = [
      [{ text: 'x', target: {} }, 'target'],
      [{ text: 'x', target: { all: true, areaIds: [communeId] } }, 'target.all'],
      [{ target: { areaIds: [communeId] } }, 'text'],
      [{ text: 'x', bulletinId: 'b', target: { areaIds: [communeId] } }, 'text'],
      [{ text: 'x', target: { areaIds: [communeId] }, cadence: { every: 'often' } }, 'cadence.every'],
      [{ text: 'x', target: { areaIds: [communeId] }, cadence: { every: '100m' } }, 'cadence.every'],
      [{ text: 'x', target: { areaIds: [communeId] }, until: new Date().toISOString() }, 'until'],
      [{ text: 'x', target: { areaIds: [communeId] }, tone: 'foghorn' }, 'tone'],
      [{ text: 'x', target: { areaIds: [communeId] }, repeat: 0 }, 'repeat'],
      [{ text: 'x', target: { areaIds: ['nowhere'] } }, 'target.areaIds.0'],
    ];
    for (const [body, field] of cases) {
      const response = await api.post<{ details: { field: string }[] }>('/api/emergency', body);
      expect([400, 404], JSON.stringify(body)).toContain(response.status);
      expect(response.body.details.map((d) => d.field), JSON.stringify(body)).toContain(field);
    }
  });

  it('lets an admin change a signal pattern, and keeps the pattern used in the record', async () => {
    const changed = await api.send<{ name: string; pattern: unknown; audio: { durationMs: number } }>('PUT', '/api/emergency/signals/landslide', {
      label: 'Sạt lở: 2 hồi còi 5 giây, cách nhau 2 giây',
      pattern: { sound: 'three-tone', blasts: 2, blastMs: 5_000, gapMs: 2_000 },
    });
    expect(changed.status).toBe(200);
    // 2 × 5 s + 2 s, plus the normaliser's padding at both ends.
    expect(changed.body.audio.durationMs).toBeGreaterThanOrEqual(12_000);
    expect(changed.body.audio.durationMs).toBeLessThan(12_600);
    const sent = await api.post<Summary & { signal: { name: string; pattern: unknown } }>('/api/emergency', {
      text: 'Cảnh báo sạt lở.',
      target: { areaIds: [otherCommuneId] },
      tone: 'landslide',
    });
    expect(sent.status).toBe(201);
    expect(sent.body.signal).toMatchObject({ name: 'landslide', pattern: { sound: 'three-tone', blasts: 2, blastMs: 5_000, gapMs: 2_000 } });
    const bad = await api.send<{ details: { field: string }[] }>('PUT', '/api/emergency/signals/x', { label: 'x', pattern: { sound: 'horn', blasts: 1, blastMs: 1_000, gapMs: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]!.field).toBe('pattern.sound');
  });
});
