/**
 * (e) Programmes declared in schedules/ become recurring broadcasts; an invalid file is reported
 * with its path, field, line and reason, and the version loaded before stays in force.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface Report {
  ok: boolean;
  files: { path: string; status: string; errors: { field: string; line?: number; message: string; text: string }[] }[];
  broadcasts: { created: number; cancelled: number; unchanged: number };
}

interface CalendarEntry {
  broadcastId: string;
  title: string;
  startAt: string;
  state: string;
}

const repoSchedules = path.resolve(import.meta.dirname, '../../../schedules');
const DAY = 86_400_000;

const programme = (time: string, text: string) => `programmes:
  - id: loa-sang
    name: Loa buổi sáng
    areas: [TEST-XA]
    schedule:
      daily: { times: ["${time}"] }
    playlist:
      - text: "${text}"
        title: Bản tin thử
`;

describe('programme files', () => {
  let server: TestServer;
  let api: ApiClient;
  let dir: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    dir = await makeTempDir('cb-programmes');
    await mkdir(path.join(dir.path, 'schedules'));
    server = await startTestServer({ env: { SCHEDULES_DIR: path.join(dir.path, 'schedules') } });
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const commune = await api.post<{ id: string }>('/api/areas', { name: 'Xã Thử', kind: 'commune', code: 'TEST-XA' });
    await api.post('/api/devices', { name: 'Loa thử', areaId: commune.body.id });
  });
  afterAll(async () => {
    await server?.close();
    await dir?.remove();
  });

  const calendar = async () => {
    const from = new Date();
    const to = new Date(from.getTime() + 2 * DAY);
    const entries = (await api.get<{ occurrences: CalendarEntry[] }>(`/api/schedule?from=${from.toISOString()}&to=${to.toISOString()}`)).body.occurrences;
    // Withdrawn occurrences stay in the calendar as history; what will play is the rest.
    return entries.filter((e) => e.state !== 'cancelled');
  };

  it('loads valid files, reports an invalid one precisely, and keeps the last good version of a file that breaks', async () => {
    const schedules = path.join(dir.path, 'schedules');
    await writeFile(path.join(schedules, 'xa-thu.yaml'), programme('06:15', 'Kính thưa bà con, đây là bản tin buổi sáng.'));
    await writeFile(path.join(schedules, 'hong.yaml'), 'programmes:\n  - id: x\n    name: Hỏng\n    areas: [TEST-XA]\n    schedule:\n      daily: { times: ["25:00"] }\n    playlist:\n      - text: "a"\n');

    const first = await api.post<Report>('/api/schedules/reload');
    expect(first.status).toBe(200);
    expect(first.body.ok).toBe(false);
    const good = first.body.files.find((f) => f.path.endsWith('xa-thu.yaml'));
    const bad = first.body.files.find((f) => f.path.endsWith('hong.yaml'));
    expect(good).toMatchObject({ status: 'loaded', errors: [] });
    expect(bad?.status).toBe('invalid');
    expect(bad?.errors[0]).toMatchObject({ field: 'programmes.0.schedule.daily.times.0', line: 6 });
    expect(bad?.errors[0]?.text).toMatch(/hong\.yaml: programmes\.0\.schedule\.daily\.times\.0 \(line 6\): .*24-hour/);
    expect(first.body.broadcasts.created).toBe(1);
    const before = (await calendar()).filter((e) => e.title === 'Bản tin thử');
    expect(before.length).toBeGreaterThanOrEqual(1);
    for (const entry of before) expect(new Date(Date.parse(entry.startAt) + 7 * 3_600_000).toISOString().slice(11, 16)).toBe('06:15');

    // Break the good file: it is reported, and its programme keeps its slot.
    await writeFile(path.join(schedules, 'xa-thu.yaml'), programme('6h15', 'Kính thưa bà con.'));
    const broken = await api.post<Report>('/api/schedules/reload');
    expect(broken.body.files.find((f) => f.path.endsWith('xa-thu.yaml'))?.status).toBe('invalid');
    expect(broken.body.broadcasts).toEqual({ created: 0, cancelled: 0, unchanged: 1 });
    expect((await calendar()).filter((e) => e.title === 'Bản tin thử').map((e) => e.startAt)).toEqual(before.map((e) => e.startAt));

    // Fix it with a new time: the old occurrences go, the new ones come.
    await writeFile(path.join(schedules, 'xa-thu.yaml'), programme('18:45', 'Kính thưa bà con, đây là bản tin buổi chiều.'));
    await rm(path.join(schedules, 'hong.yaml'));
    const fixed = await api.post<Report>('/api/schedules/reload');
    expect(fixed.body.ok).toBe(true);
    expect(fixed.body.broadcasts).toMatchObject({ created: 1, cancelled: 1 });
    const after = (await calendar()).filter((e) => e.title === 'Bản tin thử');
    expect(after.length).toBeGreaterThanOrEqual(1);
    for (const entry of after) expect(new Date(Date.parse(entry.startAt) + 7 * 3_600_000).toISOString().slice(11, 16)).toBe('18:45');

    const unchanged = await api.post<Report>('/api/schedules/reload');
    expect(unchanged.body.broadcasts).toEqual({ created: 0, cancelled: 0, unchanged: 1 });
  });

  it('applies the shipped example for Xã Văn Sơn once its areas exist', async () => {
    const schedules = path.join(dir.path, 'schedules');
    await rm(schedules, { recursive: true });
    await cp(repoSchedules, schedules, { recursive: true });
    const province = await api.post<{ id: string }>('/api/areas', { name: 'Tỉnh Hòa Bình', kind: 'province', code: 'HB' });
    const district = await api.post<{ id: string }>('/api/areas', { name: 'Huyện Lạc Sơn', kind: 'district', code: 'HB-LS', parentId: province.body.id });
    const commune = await api.post<{ id: string }>('/api/areas', { name: 'Xã Văn Sơn', kind: 'commune', code: 'HB-LS-VS', parentId: district.body.id });
    for (const hamlet of ['Xóm Bưa', 'Xóm Mới', 'Xóm Khang']) {
      const area = await api.post<{ id: string }>('/api/areas', { name: hamlet, kind: 'hamlet', parentId: commune.body.id });
      await api.post('/api/devices', { name: `Loa ${hamlet}`, areaId: area.body.id });
    }
    const report = await api.post<Report>('/api/schedules/reload');
    expect(report.body.files.map((f) => f.errors.map((e) => e.text)).flat()).toEqual([]);
    expect(report.body.ok).toBe(true);
    const titles = new Set((await calendar()).map((e) => e.title));
    expect(titles).toContain('Lời chào buổi sáng');
    expect(titles).toContain('Thông tin buổi chiều');
  });
});
