/**
 * The report routes against the real server, database and broker, with receivers as real agent
 * processes: what a broadcast played on two receivers adds to the area report, the broadcast list
 * and its states, the CSV files (headings in both languages, Vietnam times, quoting, the BOM Excel
 * needs), availability with a receiver that was offline for part of the period, bad queries, and
 * area scope (a neighbouring commune sees nothing of it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { startAgents, waitForDeliveries, waitUntilOnline, type Receiver } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

const PASSWORD = 'bao-cao-mat-khau-2026';
/** A receiver name a spreadsheet must read back as one cell. */
const AWKWARD_NAME = 'Loa "Đầu làng", chợ\nmới';

interface AreaRow {
  areaId: string;
  name: string;
  depth: number;
  broadcasts: number;
  airings: number;
  minutesOnAir: number;
  receiverMinutes: number;
  plays: { completed: number; failed: number; missed: number; interrupted: number };
  receivers: number;
  availabilityPercent: number | null;
}

interface AreaReportBody {
  from: string;
  to: string;
  observedUntil: string;
  areas: AreaRow[];
  receivers: { deviceId: string; name: string; areaId: string; onlineMinutes: number; observedMinutes: number; availabilityPercent: number | null }[];
}

interface BroadcastRow {
  id: string;
  title: string;
  state: string;
  startAt: string;
  airings: number;
  summary: Record<string, number>;
}

interface ErrorBody {
  code: string;
  details: { field: string; message: string }[];
}

interface DeliveryBody {
  deviceId: string;
  state: string;
  sentAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Vietnam's wall clock as the CSV writes it, computed apart from the code under test. */
const vietnamClock = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
const vietnamDate = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short' }).format(new Date(ms));

/** RFC 4180 as a spreadsheet reads it: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

async function csvOf(client: ApiClient, url: string): Promise<{ rows: string[][]; raw: string; headers: Headers }> {
  // The raw bytes: text() would drop the byte-order mark this checks.
  const response = await client.stream(url, new AbortController().signal);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(response.status, bytes.toString('utf8')).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const raw = bytes.subarray(3).toString('utf8');
  return { rows: parseCsv(raw), raw, headers: response.headers };
}

describe('reports', () => {
  let server: TestServer;
  let admin: ApiClient;
  let viewerA: ApiClient;
  let operatorA: ApiClient;
  let viewerB: ApiClient;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let brokerUrl: string;
  const areas = { district: '', communeA: '', hamletA: '', communeB: '' };
  const receivers: Receiver[] = [];
  let agents: AgentProcess[] = [];
  let bulletin: { id: string; audio: { durationMs: number } };
  let playedId: string;
  let testStart: number;

  const today = () => `from=${vietnamDate(testStart)}&to=${vietnamDate(Date.now())}`;

  beforeAll(async () => {
    testStart = Date.now();
    server = await startTestServer();
    if (server.mqtt.mode !== 'embedded') throw new Error('expected the embedded broker');
    brokerUrl = `mqtt://127.0.0.1:${server.mqtt.port}`;
    admin = new ApiClient(server.url);
    await admin.login(TEST_ADMIN.username, TEST_ADMIN.password);
    work = await makeTempDir('cb-reports');

    const area = async (name: string, kind: string, parentId?: string) => {
      const created = await admin.post<{ id: string }>('/api/areas', { name, kind, ...(parentId ? { parentId } : {}) });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id;
    };
    areas.district = await area('Huyện Lạc Sơn', 'district');
    areas.communeA = await area('Xã Văn Sơn', 'commune', areas.district);
    areas.hamletA = await area('Xóm Bưa', 'hamlet', areas.communeA);
    areas.communeB = await area('Xã Tân Lập', 'commune', areas.district);
    for (const [name, areaId] of [
      ['Loa 1', areas.communeA],
      ['Loa 2', areas.hamletA],
      ['Loa Tân Lập', areas.communeB],
    ] as const) {
      const created = await admin.post<{ id: string; token: string }>('/api/devices', { name, areaId });
      expect(created.status).toBe(201);
      const dataDir = path.join(work.path, created.body.id);
      await mkdir(dataDir, { recursive: true });
      receivers.push({ ...created.body, dataDir, playLog: path.join(dataDir, 'plays.jsonl') });
    }
    agents = startAgents(receivers, brokerUrl, server.topics.root);

    const user = async (username: string, role: string, areaId: string) => {
      expect((await admin.post('/api/users', { username, password: PASSWORD, role, areaId })).status).toBe(201);
      const client = new ApiClient(server.url);
      await client.login(username, PASSWORD);
      return client;
    };
    [viewerA, operatorA, viewerB] = await Promise.all([
      user('xem.vanson', 'viewer', areas.communeA),
      user('bientap.vanson', 'operator', areas.communeA),
      user('xem.tanlap', 'viewer', areas.communeB),
    ]);
    const rendered = await admin.post<{ id: string; audio: { durationMs: number } }>('/api/bulletins', {
      title: 'Lịch tiêm phòng',
      text: 'Kính thưa bà con, sáng mai xã tổ chức tiêm phòng cho gia súc.',
    });
    expect(rendered.status).toBe(201);
    bulletin = rendered.body;
    await waitUntilOnline(admin, receivers, agents);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await work?.remove();
  });

  it('counts a broadcast played on two receivers in the area report, and nothing of it next door', async () => {
    const renamed = await admin.patch(`/api/devices/${receivers[0]!.id}`, { name: AWKWARD_NAME });
    expect(renamed.status).toBe(200);
    const startAt = Date.now() + 3_000;
    const created = await admin.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.id,
      target: { areaIds: [areas.communeA] },
      startAt: new Date(startAt).toISOString(),
    });
    expect(created.status).toBe(201);
    playedId = created.body.id;
    await waitForDeliveries(admin, playedId, (rows) => rows.length === 2 && rows.every((r) => r.state === 'played'), {
      what: 'both receivers played',
      timeoutMs: 3_000 + bulletin.audio.durationMs + 20_000,
      agents,
    });
    const deliveries = (await admin.get<{ deliveries: DeliveryBody[] }>(`/api/broadcasts/${playedId}`)).body.deliveries;
    const playedMs = deliveries.map((d) => Date.parse(d.finishedAt!) - Date.parse(d.startedAt!));
    for (const ms of playedMs) expect(Math.abs(ms - bulletin.audio.durationMs)).toBeLessThan(1_000);

    const report = await admin.get<AreaReportBody>(`/api/reports/areas?${today()}&areaId=${areas.district}`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.areas.map((row) => [row.name, row.depth])).toEqual([
      ['Huyện Lạc Sơn', 0],
      ['Xã Tân Lập', 1],
      ['Xã Văn Sơn', 1],
    ]);
    const [district, communeB, communeA] = report.body.areas;
    for (const row of [district!, communeA!]) {
      expect(row).toMatchObject({ broadcasts: 1, airings: 1, plays: { completed: 2, failed: 0, missed: 0, interrupted: 0 } });
      // On air once, however many loudspeakers played it; receiver-minutes add up both.
      expect(Math.abs(row.minutesOnAir - bulletin.audio.durationMs / 60_000)).toBeLessThanOrEqual(0.06);
      expect(Math.abs(row.receiverMinutes - (playedMs[0]! + playedMs[1]!) / 60_000)).toBeLessThanOrEqual(0.06);
    }
    expect(district!.receivers).toBe(3);
    expect(communeA!.receivers).toBe(2);
    expect(communeB).toMatchObject({ broadcasts: 0, airings: 0, minutesOnAir: 0, receiverMinutes: 0, receivers: 1, plays: { completed: 0, failed: 0, missed: 0, interrupted: 0 } });

    // The commune's own viewer: its commune and its hamlet, where one of the two receivers hangs.
    const own = await viewerA.get<AreaReportBody>(`/api/reports/areas?${today()}`);
    expect(own.body.areas.map((row) => [row.name, row.depth, row.plays.completed, row.receivers])).toEqual([
      ['Xã Văn Sơn', 0, 2, 2],
      ['Xóm Bưa', 1, 1, 1],
    ]);
    expect(own.body.receivers.map((r) => r.deviceId).sort()).toEqual([receivers[0]!.id, receivers[1]!.id].sort());

    // The neighbouring commune: its own receiver, no plays, and the broadcast does not exist for it.
    const next = await viewerB.get<AreaReportBody>(`/api/reports/areas?${today()}`);
    expect(next.body.areas).toHaveLength(1);
    expect(next.body.areas[0]).toMatchObject({ name: 'Xã Tân Lập', broadcasts: 0, airings: 0, receivers: 1, plays: { completed: 0 } });
    expect(next.body.receivers.map((r) => r.deviceId)).toEqual([receivers[2]!.id]);
    expect((await viewerB.get<{ broadcasts: BroadcastRow[] }>(`/api/reports/broadcasts?${today()}`)).body.broadcasts).toEqual([]);
    for (const url of [`/api/broadcasts/${playedId}`, `/api/broadcasts/${playedId}/deliveries.csv`, `/api/reports/areas?${today()}&areaId=${areas.communeA}`]) {
      const refused = await viewerB.get<ErrorBody>(url);
      expect(refused.status, url).toBe(404);
      expect(refused.body.code).toBe('NOT_FOUND');
    }
    // Nor may a commune read its district's report.
    expect((await viewerA.get(`/api/reports/areas?${today()}&areaId=${areas.district}`)).status).toBe(404);
  });

  it('lists the period\'s broadcasts with their state and deliveries by state, filtered by state', async () => {
    const later = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const upcoming = await admin.post<{ id: string }>('/api/broadcasts', { bulletinId: bulletin.id, target: { areaIds: [areas.communeA] }, startAt: later });
    const waiting = await operatorA.post<{ id: string; approvalState: string }>('/api/broadcasts', { bulletinId: bulletin.id, target: { areaIds: [areas.hamletA] }, startAt: later });
    expect([upcoming.status, waiting.status]).toEqual([201, 201]);
    expect(waiting.body.approvalState).toBe('pending');
    const period = `from=${vietnamDate(testStart)}&to=${vietnamDate(Date.now() + 3 * 3_600_000)}`;

    const all = await viewerA.get<{ broadcasts: BroadcastRow[]; truncated: boolean }>(`/api/reports/broadcasts?${period}`);
    expect(all.status).toBe(200);
    expect(all.body.truncated).toBe(false);
    const byId = new Map(all.body.broadcasts.map((row) => [row.id, row]));
    // The one that played is over although its stored status is still `scheduled`.
    expect(byId.get(playedId)).toMatchObject({ title: 'Lịch tiêm phòng', state: 'completed', airings: 1, summary: { played: 2 } });
    expect(byId.get(upcoming.body.id)).toMatchObject({ state: 'scheduled', summary: {} });
    expect(byId.get(waiting.body.id)).toMatchObject({ state: 'pending', airings: 0, startAt: later });
    // Latest first.
    expect(all.body.broadcasts.at(-1)!.id).toBe(playedId);

    const only = async (state: string) =>
      (await viewerA.get<{ broadcasts: BroadcastRow[] }>(`/api/reports/broadcasts?${period}&state=${state}`)).body.broadcasts.map((row) => row.id);
    expect(await only('completed')).toEqual([playedId]);
    expect(await only('scheduled')).toEqual([upcoming.body.id]);
    expect(await only('pending')).toEqual([waiting.body.id]);
    expect((await admin.post(`/api/broadcasts/${upcoming.body.id}/cancel`)).status).toBe(200);
    expect(await only('cancelled')).toEqual([upcoming.body.id]);
    expect(await only('scheduled')).toEqual([]);
  });

  it('exports the delivery table and both area tables as CSV, in Vietnamese or English', async () => {
    const view = (await admin.get<{ deliveries: DeliveryBody[] }>(`/api/broadcasts/${playedId}`)).body;
    const vi = await csvOf(viewerA, `/api/broadcasts/${playedId}/deliveries.csv?lang=vi`);
    expect(vi.headers.get('content-disposition')).toBe(`attachment; filename="ket-qua-phat_${playedId.slice(0, 8)}.csv"; filename*=UTF-8''ket-qua-phat_${playedId.slice(0, 8)}.csv`);
    expect(vi.rows[0]).toEqual(['Lượt phát lúc', 'Loa', 'Khu vực', 'Trạng thái', 'Gửi lúc', 'Nhận lúc', 'Tải xong', 'Bắt đầu phát', 'Kết thúc', 'Lỗi']);
    expect(vi.rows).toHaveLength(3);
    // Sorted by place: the commune's own receiver before the hamlet's. The awkward name comes back whole.
    expect(vi.rows.slice(1).map((row) => [row[1], row[2], row[3]])).toEqual([
      [AWKWARD_NAME, 'Xã Văn Sơn', 'Đã phát'],
      ['Loa 2', 'Xã Văn Sơn › Xóm Bưa', 'Đã phát'],
    ]);
    expect(vi.raw).toContain('"Loa ""Đầu làng"", chợ\nmới"');
    for (const [index, deviceId] of [receivers[0]!.id, receivers[1]!.id].entries()) {
      const delivery = view.deliveries.find((d) => d.deviceId === deviceId)!;
      const row = vi.rows[index + 1]!;
      expect(row[4]).toBe(vietnamClock(delivery.sentAt!));
      expect(row[7]).toBe(vietnamClock(delivery.startedAt!));
      expect(row[8]).toBe(vietnamClock(delivery.finishedAt!));
      expect(row[9]).toBe('');
    }

    const en = await csvOf(viewerA, `/api/broadcasts/${playedId}/deliveries.csv?lang=en`);
    expect(en.rows[0]).toEqual(['Airing at', 'Receiver', 'Area', 'State', 'Sent', 'Received', 'Downloaded', 'Started', 'Finished', 'Error']);
    expect(en.rows.slice(1).map((row) => row[3])).toEqual(['played', 'played']);
    // Vietnamese unless asked otherwise.
    expect((await csvOf(viewerA, `/api/broadcasts/${playedId}/deliveries.csv`)).rows[0]![0]).toBe('Lượt phát lúc');

    const areasVi = await csvOf(viewerA, `/api/reports/areas?${today()}&format=csv&table=areas&lang=vi`);
    expect(areasVi.headers.get('content-disposition')).toContain(`filename="bao-cao-khu-vuc_${vietnamDate(testStart)}_${vietnamDate(Date.now())}.csv"`);
    expect(areasVi.rows[0]![0]).toBe('Khu vực');
    expect(areasVi.rows.slice(1).map((row) => row.slice(0, 2).concat(row[6]!, row[10]!))).toEqual([
      ['Xã Văn Sơn', 'Xã', '2', '2'],
      ['Xóm Bưa', 'Thôn/xóm', '1', '1'],
    ]);
    const receiversEn = await csvOf(viewerA, `/api/reports/areas?${today()}&format=csv&table=receivers&lang=en`);
    expect(receiversEn.rows[0]).toEqual(['Receiver', 'Area', 'Minutes online', 'Minutes observed', 'Availability (%)']);
    expect(receiversEn.rows.slice(1).map((row) => row[0]).sort()).toEqual(['Loa 2', AWKWARD_NAME].sort());
  });

  it('refuses a bad period or option with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/api/reports/areas?from=2026-02-30&to=2026-03-01', 'from'],
      ['/api/reports/areas?from=01/11/2026&to=2026-11-30', 'from'],
      ['/api/reports/areas?from=2026-11-30&to=2026-11-01', 'to'],
      ['/api/reports/areas?from=2026-11-01', 'to'],
      ['/api/reports/areas?from=2025-01-01&to=2026-12-31', 'to'],
      ['/api/reports/areas?from=2026-11-01&to=2026-11-30&format=xlsx', 'format'],
      ['/api/reports/areas?from=2026-11-01&to=2026-11-30&format=csv&table=devices', 'table'],
      ['/api/reports/areas?from=2026-11-01&to=2026-11-30&lang=fr', 'lang'],
      ['/api/reports/broadcasts?from=2026-11-01T08:00:00%2B07:00&to=2026-11-01T07:00:00%2B07:00', 'to'],
      ['/api/reports/broadcasts?from=hôm-nay&to=2026-11-30', 'from'],
      ['/api/reports/broadcasts?from=2026-11-01&to=2026-11-30&state=played', 'state'],
      [`/api/broadcasts/${playedId}/deliveries.csv?lang=de`, 'lang'],
    ];
    for (const [url, field] of cases) {
      const response = await viewerA.get<ErrorBody>(url);
      expect(response.status, url).toBe(400);
      expect(response.body.code, url).toBe('VALIDATION_FAILED');
      expect(response.body.details.map((d) => d.field), url).toContain(field);
    }
    const unknown = await admin.get<ErrorBody>(`/api/reports/areas?${today()}&areaId=no-such-area`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.details.map((d) => d.field)).toEqual(['areaId']);
  });

  it('measures availability over a period in which a receiver was offline for a while', async () => {
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stoppedAt = Date.now();
    await agents[1]!.stop();
    const offlineSeenAt = await waitFor(
      async () => {
        const device = await admin.get<{ online: boolean }>(`/api/devices/${receivers[1]!.id}`);
        return device.body.online ? undefined : Date.now();
      },
      { what: 'receiver 2 offline', intervalMs: 50 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const restartedAt = Date.now();
    agents[1] = startAgents([receivers[1]!], brokerUrl, server.topics.root)[0]!;
    await waitUntilOnline(admin, receivers, agents);
    const onlineSeenAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const askedAt = Date.now();
    const report = await viewerA.get<AreaReportBody>(`/api/reports/areas?from=${new Date(from).toISOString()}&to=${vietnamDate(Date.now() + 86_400_000)}`);
    const answeredAt = Date.now();
    expect(report.status).toBe(200);
    const observedUntil = Date.parse(report.body.observedUntil);
    expect(observedUntil).toBeGreaterThanOrEqual(askedAt);
    expect(observedUntil).toBeLessThanOrEqual(answeredAt);
    const window = observedUntil - from;
    const [worst, best] = report.body.receivers;
    expect(worst!.deviceId).toBe(receivers[1]!.id);
    expect(best!.deviceId).toBe(receivers[0]!.id);
    expect(best!.availabilityPercent).toBe(100);
    // Offline from when the server heard of the stop to when it heard of the return.
    const longestGap = onlineSeenAt - stoppedAt;
    const shortestGap = restartedAt - offlineSeenAt;
    expect(worst!.availabilityPercent!).toBeGreaterThanOrEqual(Math.floor((1 - longestGap / window) * 1000) / 10);
    expect(worst!.availabilityPercent!).toBeLessThanOrEqual(Math.ceil((1 - shortestGap / window) * 1000) / 10);
    expect(worst!.observedMinutes).toBeCloseTo(window / 60_000, 1);
    const [commune, hamlet] = report.body.areas;
    expect(hamlet!.availabilityPercent).toBe(worst!.availabilityPercent);
    // The commune's figure weighs both receivers' time alike: between the two.
    expect(commune!.availabilityPercent!).toBeGreaterThan(worst!.availabilityPercent!);
    expect(commune!.availabilityPercent!).toBeLessThan(100);

    // A period before any receiver existed observes nothing.
    const before = await viewerA.get<AreaReportBody>('/api/reports/areas?from=2020-01-01&to=2020-01-31');
    expect(before.body.receivers.map((r) => [r.observedMinutes, r.availabilityPercent])).toEqual([
      [0, null],
      [0, null],
    ]);
    expect(before.body.areas[0]!.availabilityPercent).toBeNull();
  });

  it('shows a commune only its own receivers in the CSV of a broadcast its district sent to every commune', async () => {
    const created = await admin.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.id,
      target: { areaIds: [areas.district] },
      startAt: new Date(Date.now() + 2_000).toISOString(),
    });
    expect(created.status).toBe(201);
    await waitForDeliveries(admin, created.body.id, (rows) => rows.length === 3, { what: 'three deliveries', agents });
    const names = async (client: ApiClient) => (await csvOf(client, `/api/broadcasts/${created.body.id}/deliveries.csv`)).rows.slice(1).map((row) => row[1]);
    expect((await names(admin)).sort()).toEqual([AWKWARD_NAME, 'Loa 2', 'Loa Tân Lập'].sort());
    expect((await names(viewerA)).sort()).toEqual([AWKWARD_NAME, 'Loa 2'].sort());
    expect(await names(viewerB)).toEqual(['Loa Tân Lập']);
  });
});
