/** Recurring broadcasts, the calendar, conflicts and quiet hours through the HTTP API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface CalendarEntry {
  broadcastId: string;
  startAt: string;
  endAt: string;
  state: string;
  priority: string;
  conflicts: { kind: string; withBroadcastId?: string; deviceCount: number }[];
}

const DAY = 86_400_000;

/** The next instant at local Vietnam time hh:mm (UTC+7, no DST), at least `after` from now. */
function nextVietnamTime(hour: number, minute: number, after = 0): Date {
  const now = Date.now() + after;
  const local = new Date(now + 7 * 3_600_000);
  let candidate = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour - 7, minute);
  while (candidate <= now) candidate += DAY;
  return new Date(candidate);
}

describe('schedule API', () => {
  let server: TestServer;
  let api: ApiClient;
  let communeId: string;
  let bulletinId: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    communeId = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Mường Khến', kind: 'commune' })).body.id;
    await api.post('/api/devices', { name: 'Loa 1', areaId: communeId });
    await api.post('/api/devices', { name: 'Loa 2', areaId: communeId });
    bulletinId = (await api.post<{ id: string }>('/api/bulletins', { title: 'Bản tin sáng', text: 'Kính thưa bà con, sau đây là bản tin buổi sáng.' })).body.id;
  });
  afterAll(async () => server?.close());

  it('expands a daily recurrence into the calendar at the local time of Asia/Ho_Chi_Minh', async () => {
    const created = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [communeId] },
      recurrence: { daily: { times: ['06:00', '17:30'] } },
    });
    expect(created.status).toBe(201);
    const from = nextVietnamTime(0, 0);
    const to = new Date(from.getTime() + 3 * DAY);
    const calendar = await api.get<{ occurrences: CalendarEntry[] }>(`/api/schedule?from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(calendar.status).toBe(200);
    const mine = calendar.body.occurrences.filter((o) => o.broadcastId === created.body.id);
    expect(mine).toHaveLength(6);
    const localTimes = mine.map((o) => new Date(Date.parse(o.startAt) + 7 * 3_600_000).toISOString().slice(11, 16));
    expect(localTimes).toEqual(['06:00', '17:30', '06:00', '17:30', '06:00', '17:30']);
  });

  it('marks equal-priority overlaps as conflicts and warns at creation', async () => {
    const at = nextVietnamTime(10, 0, DAY);
    const first = await api.post<{ id: string }>('/api/broadcasts', { bulletinId, target: { areaIds: [communeId] }, startAt: at.toISOString() });
    const second = await api.post<{ id: string; warnings: { code: string; withBroadcastId?: string }[] }>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [communeId] },
      startAt: new Date(at.getTime() + 1_000).toISOString(),
    });
    expect(second.status).toBe(201);
    expect(second.body.warnings).toContainEqual(expect.objectContaining({ code: 'OVERLAP', withBroadcastId: first.body.id }));
    const calendar = await api.get<{ occurrences: CalendarEntry[] }>(
      `/api/schedule?from=${new Date(at.getTime() - 60_000).toISOString()}&to=${new Date(at.getTime() + 60_000).toISOString()}&areaId=${communeId}`,
    );
    const entry = calendar.body.occurrences.find((o) => o.broadcastId === first.body.id);
    expect(entry?.conflicts).toContainEqual({ kind: 'overlap', withBroadcastId: second.body.id, deviceCount: 2 });

    const urgent = await api.post<{ warnings: { code: string }[] }>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [communeId] },
      startAt: new Date(at.getTime() + 2_000).toISOString(),
      priority: 'high',
    });
    expect(urgent.body.warnings.map((w) => w.code)).toContain('PREEMPTS');
  });

  it('keeps non-emergency broadcasts out of quiet hours and says so', async () => {
    const quietCommune = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Yên Phú', kind: 'commune', quietHours: { start: '22:00', end: '05:00' } })).body.id;
    const hamlet = (await api.post<{ id: string }>('/api/areas', { name: 'Xóm Lầm', kind: 'hamlet', parentId: quietCommune })).body.id;
    await api.post('/api/devices', { name: 'Loa Lầm', areaId: hamlet });
    const night = nextVietnamTime(23, 0);
    const created = await api.post<{ id: string; warnings: { code: string }[] }>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [quietCommune] },
      startAt: night.toISOString(),
    });
    expect(created.body.warnings.map((w) => w.code)).toContain('QUIET_HOURS');
    const emergency = await api.post<{ warnings: { code: string }[] }>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [quietCommune] },
      startAt: new Date(night.getTime() + 3_600_000).toISOString(),
      priority: 'emergency',
    });
    expect(emergency.body.warnings.map((w) => w.code)).not.toContain('QUIET_HOURS');

    const cleared = await api.patch<{ quietHours: unknown }>(`/api/areas/${quietCommune}`, { quietHours: null });
    expect(cleared.body.quietHours).toBeNull();
  });

  it('names what is wrong in a schedule', async () => {
    const bad = async (body: Record<string, unknown>, field: string) => {
      const response = await api.post<{ details: { field: string }[] }>('/api/broadcasts', { bulletinId, target: { areaIds: [communeId] }, ...body });
      expect(response.status).toBe(400);
      expect(response.body.details.map((d) => d.field)).toContain(field);
    };
    await bad({ recurrence: { cron: '61 6 * * *' } }, 'recurrence.cron');
    await bad({ recurrence: { daily: { times: ['25:00'] } } }, 'recurrence.daily.times.0');
    await bad({ recurrence: { daily: { times: ['06:00'] }, weekly: { days: ['mon'], times: ['06:00'] } } }, 'recurrence');
    await bad({ recurrence: { daily: { times: ['06:00'] } }, startAt: new Date(Date.now() + DAY).toISOString() }, 'recurrence');
    await bad({ repeat: { count: 0 } }, 'repeat.count');
    await bad({ startAt: new Date(Date.now() - DAY).toISOString() }, 'startAt');
    const window = await api.get<{ details: { field: string }[] }>(`/api/schedule?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`);
    expect(window.status).toBe(400);
    expect(window.body.details.map((d) => d.field)).toContain('to');
  });
});
