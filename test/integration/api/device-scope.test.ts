/**
 * Device routes respect the caller's role and area: a commune's staff see and manage only the
 * commune's receivers; another commune's receiver reads as not found, and registering one in
 * another commune is forbidden with the field named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { registerCommune, type Commune } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface DeviceBody {
  id: string;
  areaId: string;
  token?: string;
  revokedAt: string | null;
}

interface ErrorBody {
  code: string;
  details: { field?: string; message: string }[];
}

describe('device routes and area scope', () => {
  let server: TestServer;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let admin: ApiClient;
  let approver: ApiClient;
  let viewer: ApiClient;
  let east: Commune;
  let west: Commune;

  const userIn = async (username: string, role: string, areaId: string): Promise<ApiClient> => {
    const password = `${role}-mat-khau-dai-2026`;
    const created = await admin.post('/api/users', { username, password, role, areaId });
    expect(created.status).toBe(201);
    const client = new ApiClient(server.url);
    await client.login(username, password);
    return client;
  };

  beforeAll(async () => {
    work = await makeTempDir('cb-device-scope');
    server = await startTestServer();
    admin = new ApiClient(server.url);
    await admin.login(TEST_ADMIN.username, TEST_ADMIN.password);
    east = await registerCommune(admin, work.path, 2, 'Xã Đông');
    west = await registerCommune(admin, work.path, 1, 'Xã Tây');
    approver = await userIn('duyet-xa-dong', 'approver', east.communeId);
    viewer = await userIn('xem-xa-dong', 'viewer', east.communeId);
  });

  afterAll(async () => {
    await server?.close();
    await work?.remove();
  });

  it('lists only the receivers in the caller\'s area (with its hamlets); an admin sees all', async () => {
    const eastIds = east.receivers.map((r) => r.id).sort();
    for (const client of [viewer, approver]) {
      const list = await client.get<DeviceBody[]>('/api/devices');
      expect(list.status).toBe(200);
      expect(list.body.map((d) => d.id).sort()).toEqual(eastIds);
    }
    const all = await admin.get<DeviceBody[]>('/api/devices');
    expect(all.body.map((d) => d.id)).toEqual(expect.arrayContaining([...eastIds, west.receivers[0]!.id]));
  });

  it('reads another commune\'s receiver as not found, for every device route', async () => {
    const westId = west.receivers[0]!.id;
    expect((await viewer.get<ErrorBody>(`/api/devices/${westId}`)).body.code).toBe('NOT_FOUND');
    expect((await viewer.get(`/api/devices/${east.receivers[1]!.id}`)).status).toBe(200);
    for (const response of [
      await approver.get(`/api/devices/${westId}`),
      await approver.post(`/api/devices/${westId}/token`),
      await approver.post(`/api/devices/${westId}/revoke`),
      await approver.send('DELETE', `/api/devices/${westId}`),
    ]) {
      expect(response.status).toBe(404);
    }
    // Still registered and untouched.
    expect((await admin.get<DeviceBody>(`/api/devices/${westId}`)).body.revokedAt).toBeNull();
  });

  it('forbids registering a receiver outside the caller\'s area, naming the field', async () => {
    const outside = await approver.post<ErrorBody>('/api/devices', { name: 'Loa lạc', areaId: west.communeId });
    expect(outside.status).toBe(403);
    expect(outside.body.details.map((d) => d.field)).toEqual(['areaId.0']);
    const inside = await approver.post<DeviceBody>('/api/devices', { name: 'Loa xóm mới', areaId: east.hamletId });
    expect(inside.status).toBe(201);
    expect(inside.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('lets an approver rotate and revoke a receiver in the commune; a viewer may not', async () => {
    const id = east.receivers[1]!.id;
    expect((await viewer.post(`/api/devices/${id}/token`)).status).toBe(403);
    expect((await viewer.post(`/api/devices/${id}/revoke`)).status).toBe(403);
    expect((await viewer.send('DELETE', `/api/devices/${id}`)).status).toBe(403);
    expect((await viewer.post('/api/devices', { name: 'Loa', areaId: east.communeId })).status).toBe(403);

    const revoked = await approver.post<DeviceBody>(`/api/devices/${id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const again = await approver.post<DeviceBody>(`/api/devices/${id}/revoke`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const rotated = await approver.post<DeviceBody>(`/api/devices/${id}/token`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.revokedAt).toBeNull();
    expect(rotated.body.token).not.toBe(east.receivers[1]!.token);
  });
});
