/**
 * A small province for authorization tests: province → district → two communes (A and B), each
 * with a hamlet and a receiver, and one signed-in user per role and place.
 */
import { expect } from 'vitest';
import { ApiClient } from './api-client.js';
import { TEST_ADMIN } from './test-server.js';

export type Role = 'admin' | 'approver' | 'operator' | 'viewer';

export interface AccessFixture {
  readonly admin: ApiClient;
  readonly areas: { province: string; district: string; communeA: string; hamletA: string; communeB: string; hamletB: string };
  readonly devices: { a: string; b: string };
  /** Users working in commune A, by role (admin is the network-wide one). */
  readonly communeA: Record<Role, ApiClient>;
  /** A second operator in commune A. */
  readonly communeA2: { operator: ApiClient };
  readonly communeB: { approver: ApiClient; operator: ApiClient };
  readonly district: { approver: ApiClient; operator: ApiClient };
  /** User ids by user name. */
  readonly userIds: ReadonlyMap<string, string>;
  signIn(username: string): Promise<ApiClient>;
}

export const FIXTURE_PASSWORD = 'Loa-truyen-thanh-2026';
/** Eight scrypt hashes and sign-ins take a while on a loaded two-core machine. */
export const FIXTURE_SETUP_TIMEOUT_MS = 180_000;

export async function buildAccessFixture(baseUrl: string): Promise<AccessFixture> {
  const admin = new ApiClient(baseUrl);
  await admin.login(TEST_ADMIN.username, TEST_ADMIN.password);
  const area = async (name: string, kind: string, parentId?: string) => {
    const created = await admin.post<{ id: string }>('/api/areas', { name, kind, ...(parentId ? { parentId } : {}) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  };
  const province = await area('Tỉnh Hòa Bình', 'province');
  const district = await area('Huyện Lạc Sơn', 'district', province);
  const communeA = await area('Xã Văn Sơn', 'commune', district);
  const hamletA = await area('Xóm Bưa', 'hamlet', communeA);
  const communeB = await area('Xã Tân Lập', 'commune', district);
  const hamletB = await area('Xóm Khang', 'hamlet', communeB);
  const device = async (name: string, areaId: string) => {
    const created = await admin.post<{ id: string }>('/api/devices', { name, areaId });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  };
  const devices = { a: await device('Loa Xóm Bưa', hamletA), b: await device('Loa Xóm Khang', hamletB) };

  const userIds = new Map<string, string>();
  const signIn = async (username: string) => {
    const client = new ApiClient(baseUrl);
    await client.login(username, username === TEST_ADMIN.username ? TEST_ADMIN.password : FIXTURE_PASSWORD);
    return client;
  };
  const user = async (username: string, role: Role, areaId: string) => {
    const created = await admin.post<{ id: string }>('/api/users', { username, password: FIXTURE_PASSWORD, role, areaId });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    userIds.set(username, created.body.id);
    return signIn(username);
  };
  // Hashing passwords is deliberately slow (scrypt): create the users side by side.
  const [approverA, operatorA, viewerA, operatorA2, approverB, operatorB, approverD, operatorD] = await Promise.all([
    user('duyet.vanson', 'approver', communeA),
    user('bientap.vanson', 'operator', communeA),
    user('xem.vanson', 'viewer', communeA),
    user('bientap2.vanson', 'operator', communeA),
    user('duyet.tanlap', 'approver', communeB),
    user('bientap.tanlap', 'operator', communeB),
    user('duyet.lacson', 'approver', district),
    user('bientap.lacson', 'operator', district),
  ]);
  return {
    admin,
    areas: { province, district, communeA, hamletA, communeB, hamletB },
    devices,
    communeA: { admin, approver: approverA, operator: operatorA, viewer: viewerA },
    communeA2: { operator: operatorA2 },
    communeB: { approver: approverB, operator: operatorB },
    district: { approver: approverD, operator: operatorD },
    userIds,
    signIn,
  };
}
