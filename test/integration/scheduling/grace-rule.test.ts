/**
 * Restart safety: an occurrence whose time passed while no server ran is still sent if it is less
 * than the grace period (2 min) late, and recorded as missed, with the reason, if later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface View {
  occurrences: { id: string; startAt: string; state: string; note: string | null }[];
  deliveries: { state: string; error: string | null }[];
}

describe('grace rule after downtime', () => {
  let server: TestServer;
  let api: ApiClient;
  let areaId: string;
  let bulletinId: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    areaId = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Tự Do', kind: 'commune' })).body.id;
    await api.post('/api/devices', { name: 'Loa 1', areaId });
    bulletinId = (await api.post<{ id: string }>('/api/bulletins', { title: 'Thông báo', text: 'Kính thưa bà con, đây là thông báo.' })).body.id;
  });
  afterAll(async () => server?.close());

  const scheduleAt = async (startAt: number) => {
    const created = await api.post<View & { id: string }>('/api/broadcasts', { bulletinId, target: { areaIds: [areaId] }, startAt: new Date(startAt).toISOString() });
    expect(created.body.occurrences.map((o) => o.state)).toEqual(['planned']);
    return created.body.id;
  };

  it('still sends an occurrence less than the grace period late', async () => {
    const startAt = Date.now() + 3_600_000;
    const id = await scheduleAt(startAt);
    // The server "wakes up" 90 s after the occurrence's time.
    const report = await server.scheduler.tick(new Date(startAt + 90_000));
    expect(report.dispatched).toBeGreaterThanOrEqual(1);
    const view = (await api.get<View>(`/api/broadcasts/${id}`)).body;
    expect(view.occurrences.map((o) => o.state)).toEqual(['dispatched']);
    expect(view.deliveries.map((d) => d.state)).toEqual(['sent']);
  });

  it('records an occurrence later than the grace period as missed, for every receiver, with the reason', async () => {
    const startAt = Date.now() + 7_200_000;
    const id = await scheduleAt(startAt);
    await server.scheduler.tick(new Date(startAt + 180_000));
    const view = (await api.get<View>(`/api/broadcasts/${id}`)).body;
    expect(view.occurrences).toEqual([expect.objectContaining({ state: 'missed', note: expect.stringMatching(/180 s late, grace 120 s/) })]);
    expect(view.deliveries).toEqual([expect.objectContaining({ state: 'missed', error: expect.stringMatching(/no server was running/) })]);
    // Ticking again changes nothing: missed stays missed, nothing is sent.
    await server.scheduler.tick(new Date(startAt + 200_000));
    expect((await api.get<View>(`/api/broadcasts/${id}`)).body.occurrences.map((o) => o.state)).toEqual(['missed']);
  });
});
