/**
 * The authorization matrix: every /api route × every role, and every scoped route aimed at another
 * commune, checked against one table. The table must name exactly the routes the server has, so a
 * route added without a rule here fails this test (and one without `config.access` fails start-up).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccessFixture, FIXTURE_SETUP_TIMEOUT_MS, type AccessFixture, type Role } from '../../helpers/access-fixture.js';
import { ApiClient, type ApiResponse } from '../../helpers/api-client.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const ROLES: readonly Role[] = ['admin', 'approver', 'operator', 'viewer'];
const EVERYONE = ROLES;
const DRAFTERS: readonly Role[] = ['admin', 'approver', 'operator'];
const REVIEWERS: readonly Role[] = ['admin', 'approver'];
const ADMINS: readonly Role[] = ['admin'];

/** Things in commune B that commune A's users must not see or touch. */
interface OtherCommune {
  deviceId: string;
  bulletinId: string;
  broadcastId: string;
  pendingBroadcastId: string;
  offerId: string;
  pronunciationId: string;
  emergencyId: string;
}

type Fixture = AccessFixture & { bulletinA: string };

interface Call {
  readonly path: string;
  readonly body?: unknown;
}

interface Rule {
  /** Roles (of commune A users; admin is network-wide) that pass the role check. */
  readonly allow: readonly Role[] | 'public';
  /** The call to make; by default the route's path with a random id and no body. */
  readonly call?: (b: OtherCommune) => Call;
  /** The call aimed at commune B, made by commune A's allowed roles, and the refusal expected. */
  readonly otherCommune?: { readonly call: (b: OtherCommune, f: Fixture) => Call; readonly status: 403 | 404 };
  /** The call ends or changes the caller's session: make it with a fresh sign-in. */
  readonly freshSession?: boolean;
  /** A server-sent event stream: an allowed call never ends, so only its status is read. */
  readonly stream?: boolean;
}

const future = () => new Date(Date.now() + 86_400_000).toISOString();

const RULES: Record<string, Rule> = {
  'GET /api/time': { allow: 'public' },
  'POST /api/auth/login': { allow: 'public', call: () => ({ path: '/api/auth/login', body: { username: TEST_ADMIN.username, password: TEST_ADMIN.password } }) },
  'POST /api/auth/logout': { allow: EVERYONE, freshSession: true },
  'GET /api/auth/me': { allow: EVERYONE },
  'GET /api/auth/session': { allow: 'public' },
  'POST /api/auth/password': { allow: EVERYONE, call: () => ({ path: '/api/auth/password', body: { currentPassword: 'wrong', newPassword: 'x' } }) },
  'GET /api/tokens': { allow: EVERYONE },
  'POST /api/tokens': { allow: EVERYONE, call: () => ({ path: '/api/tokens', body: { name: 'matrix' } }) },
  'DELETE /api/tokens/:id': { allow: EVERYONE },
  'GET /api/users': { allow: ADMINS },
  'POST /api/users': { allow: ADMINS, call: () => ({ path: '/api/users', body: {} }) },
  'GET /api/users/:id': { allow: ADMINS },
  'PATCH /api/users/:id': { allow: ADMINS, call: () => ({ path: `/api/users/${randomUUID()}`, body: {} }) },
  'DELETE /api/users/:id': { allow: ADMINS },
  'GET /api/areas': { allow: EVERYONE },
  'POST /api/areas': { allow: ADMINS, call: () => ({ path: '/api/areas', body: {} }) },
  'PATCH /api/areas/:id': { allow: ADMINS, call: () => ({ path: `/api/areas/${randomUUID()}`, body: {} }) },
  'GET /api/devices': { allow: EVERYONE },
  'GET /api/devices/:id': {
    allow: EVERYONE,
    otherCommune: { call: (b) => ({ path: `/api/devices/${b.deviceId}` }), status: 404 },
  },
  'POST /api/devices': {
    allow: REVIEWERS,
    call: () => ({ path: '/api/devices', body: {} }),
    otherCommune: { call: (_b, f) => ({ path: '/api/devices', body: { name: 'Loa lạ', areaId: f.areas.hamletB } }), status: 403 },
  },
  'POST /api/devices/:id/token': {
    allow: REVIEWERS,
    otherCommune: { call: (b) => ({ path: `/api/devices/${b.deviceId}/token` }), status: 404 },
  },
  'POST /api/devices/:id/revoke': {
    allow: REVIEWERS,
    otherCommune: { call: (b) => ({ path: `/api/devices/${b.deviceId}/revoke` }), status: 404 },
  },
  'DELETE /api/devices/:id': {
    allow: REVIEWERS,
    otherCommune: { call: (b) => ({ path: `/api/devices/${b.deviceId}` }), status: 404 },
  },
  'GET /api/devices/agent-setup': { allow: REVIEWERS },
  'PATCH /api/devices/:id': {
    allow: REVIEWERS,
    call: () => ({ path: `/api/devices/${randomUUID()}`, body: {} }),
    otherCommune: { call: (b) => ({ path: `/api/devices/${b.deviceId}`, body: { name: 'Loa lạ' } }), status: 404 },
  },
  'POST /api/devices/:id/volume': {
    allow: DRAFTERS,
    call: () => ({ path: `/api/devices/${randomUUID()}/volume`, body: { volume: 50 } }),
    otherCommune: { call: (b) => ({ path: `/api/devices/${b.deviceId}/volume`, body: { volume: 50 } }), status: 404 },
  },
  'POST /api/devices/:id/stop': {
    allow: DRAFTERS,
    otherCommune: { call: (b) => ({ path: `/api/devices/${b.deviceId}/stop` }), status: 404 },
  },
  'GET /api/devices/:id/events': {
    allow: EVERYONE,
    otherCommune: { call: (b) => ({ path: `/api/devices/${b.deviceId}/events` }), status: 404 },
  },
  'POST /api/live/credential': { allow: EVERYONE },
  'GET /api/live/devices': { allow: EVERYONE, stream: true },
  'GET /api/bulletins': { allow: EVERYONE },
  'POST /api/bulletins': { allow: DRAFTERS, call: () => ({ path: '/api/bulletins', body: {} }) },
  'GET /api/bulletins/:id': {
    allow: EVERYONE,
    otherCommune: { call: (b) => ({ path: `/api/bulletins/${b.bulletinId}` }), status: 404 },
  },
  'GET /api/broadcasts': { allow: EVERYONE },
  'POST /api/broadcasts': {
    allow: DRAFTERS,
    call: () => ({ path: '/api/broadcasts', body: {} }),
    otherCommune: {
      call: (_b, f) => ({ path: '/api/broadcasts', body: { bulletinId: f.bulletinA, target: { areaIds: [f.areas.communeB] }, startAt: future() } }),
      status: 403,
    },
  },
  'GET /api/broadcasts/:id': {
    allow: EVERYONE,
    otherCommune: { call: (b) => ({ path: `/api/broadcasts/${b.broadcastId}` }), status: 404 },
  },
  'POST /api/broadcasts/check': {
    allow: DRAFTERS,
    call: () => ({ path: '/api/broadcasts/check', body: {} }),
    otherCommune: {
      call: (_b, f) => ({ path: '/api/broadcasts/check', body: { bulletinId: f.bulletinA, target: { areaIds: [f.areas.communeB] }, startAt: future() } }),
      status: 403,
    },
  },
  'GET /api/broadcasts/:id/deliveries.csv': {
    allow: EVERYONE,
    otherCommune: { call: (b) => ({ path: `/api/broadcasts/${b.broadcastId}/deliveries.csv` }), status: 404 },
  },
  'PATCH /api/broadcasts/:id': {
    allow: DRAFTERS,
    call: () => ({ path: `/api/broadcasts/${randomUUID()}`, body: {} }),
    otherCommune: { call: (b) => ({ path: `/api/broadcasts/${b.broadcastId}`, body: { startAt: future() } }), status: 404 },
  },
  'POST /api/broadcasts/:id/cancel': {
    allow: DRAFTERS,
    otherCommune: { call: (b) => ({ path: `/api/broadcasts/${b.broadcastId}/cancel` }), status: 404 },
  },
  'POST /api/broadcasts/:id/approve': {
    allow: REVIEWERS,
    otherCommune: { call: (b) => ({ path: `/api/broadcasts/${b.pendingBroadcastId}/approve` }), status: 404 },
  },
  'POST /api/broadcasts/:id/reject': {
    allow: REVIEWERS,
    call: () => ({ path: `/api/broadcasts/${randomUUID()}/reject`, body: { reason: 'no' } }),
    otherCommune: { call: (b) => ({ path: `/api/broadcasts/${b.pendingBroadcastId}/reject`, body: { reason: 'no' } }), status: 404 },
  },
  'GET /api/offers': { allow: EVERYONE },
  'POST /api/offers/:id/accept': {
    allow: DRAFTERS,
    otherCommune: { call: (b) => ({ path: `/api/offers/${b.offerId}/accept` }), status: 404 },
  },
  'POST /api/offers/:id/decline': {
    allow: DRAFTERS,
    otherCommune: { call: (b) => ({ path: `/api/offers/${b.offerId}/decline` }), status: 404 },
  },
  'POST /api/emergency': {
    allow: DRAFTERS,
    call: () => ({ path: '/api/emergency', body: {} }),
    otherCommune: { call: (_b, f) => ({ path: '/api/emergency', body: { text: 'Khẩn cấp', target: { areaIds: [f.areas.communeB] } } }), status: 403 },
  },
  'POST /api/emergency/:id/stop': {
    allow: DRAFTERS,
    otherCommune: { call: (b) => ({ path: `/api/emergency/${b.emergencyId}/stop` }), status: 404 },
  },
  'GET /api/emergency': { allow: EVERYONE },
  'GET /api/emergency/:id': {
    allow: EVERYONE,
    otherCommune: { call: (b) => ({ path: `/api/emergency/${b.emergencyId}` }), status: 404 },
  },
  'GET /api/emergency/:id/events': {
    allow: EVERYONE,
    otherCommune: { call: (b) => ({ path: `/api/emergency/${b.emergencyId}/events` }), status: 404 },
  },
  'GET /api/emergency/signals': { allow: EVERYONE },
  'PUT /api/emergency/signals/:name': { allow: ADMINS, call: () => ({ path: '/api/emergency/signals/matrix', body: {} }) },
  'POST /api/cap': { allow: REVIEWERS },
  'GET /api/schedule': {
    allow: EVERYONE,
    call: () => ({ path: `/api/schedule?from=${new Date().toISOString()}&to=${future()}` }),
    otherCommune: { call: (_b, f) => ({ path: `/api/schedule?from=${new Date().toISOString()}&to=${future()}&areaId=${f.areas.communeB}` }), status: 404 },
  },
  'POST /api/tts/preview': { allow: DRAFTERS, call: () => ({ path: '/api/tts/preview', body: {} }) },
  'GET /api/tts/voices': { allow: EVERYONE },
  'GET /api/pronunciations': { allow: EVERYONE },
  'POST /api/pronunciations': {
    allow: DRAFTERS,
    call: () => ({ path: '/api/pronunciations', body: {} }),
    otherCommune: { call: (_b, f) => ({ path: '/api/pronunciations', body: { match: 'Khang', spoken: 'khang', areaId: f.areas.communeB } }), status: 403 },
  },
  'PATCH /api/pronunciations/:id': {
    allow: DRAFTERS,
    call: () => ({ path: `/api/pronunciations/${randomUUID()}`, body: {} }),
    otherCommune: { call: (b) => ({ path: `/api/pronunciations/${b.pronunciationId}`, body: { spoken: 'sai' } }), status: 404 },
  },
  'DELETE /api/pronunciations/:id': {
    allow: DRAFTERS,
    otherCommune: { call: (b) => ({ path: `/api/pronunciations/${b.pronunciationId}` }), status: 404 },
  },
  'GET /api/reports/areas': {
    allow: EVERYONE,
    call: () => ({ path: '/api/reports/areas?from=2026-01-01&to=2026-01-31' }),
    otherCommune: { call: (_b, f) => ({ path: `/api/reports/areas?from=2026-01-01&to=2026-01-31&areaId=${f.areas.communeB}` }), status: 404 },
  },
  'GET /api/reports/broadcasts': { allow: EVERYONE, call: () => ({ path: '/api/reports/broadcasts?from=2026-01-01&to=2026-01-31' }) },
  'GET /api/schedules': { allow: ADMINS },
  'POST /api/schedules/reload': { allow: ADMINS },
  'GET /api/audit': { allow: ADMINS },
};

function defaultCall(route: string): Call {
  const [, path] = route.split(' ') as [string, string];
  return { path: path.replaceAll(':id', randomUUID()) };
}

async function send(client: ApiClient, route: string, call: Call): Promise<ApiResponse<{ code?: string }>> {
  const method = route.split(' ')[0]!;
  if (RULES[route]?.stream) {
    const aborted = new AbortController();
    const response = await client.stream(call.path, aborted.signal);
    const body = (response.ok ? {} : await response.json()) as { code?: string };
    aborted.abort();
    return { status: response.status, body, headers: response.headers };
  }
  return client.send(method, call.path, call.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}));
}

describe('authorization matrix', { timeout: FIXTURE_SETUP_TIMEOUT_MS }, () => {
  let server: TestServer;
  let f: Fixture;
  let b: OtherCommune;
  let serverRoutes: string[];

  beforeAll(async () => {
    server = await startTestServer();
    const base = await buildAccessFixture(server.url);
    const bulletinA = await base.communeA.approver.post<{ id: string }>('/api/bulletins', { title: 'Xã A', text: 'Thông báo của xã Văn Sơn.' });
    f = { ...base, bulletinA: bulletinA.body.id };
    const bulletinB = await f.communeB.approver.post<{ id: string }>('/api/bulletins', { title: 'Xã B', text: 'Thông báo của xã Tân Lập.' });
    const broadcastB = await f.communeB.approver.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletinB.body.id,
      target: { areaIds: [f.areas.communeB] },
      startAt: future(),
    });
    const pendingB = await f.communeB.operator.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletinB.body.id,
      target: { areaIds: [f.areas.hamletB] },
      startAt: future(),
    });
    const districtBulletin = await f.district.approver.post<{ id: string }>('/api/bulletins', { title: 'Huyện', text: 'Thông báo của huyện.' });
    const offered = await f.district.approver.post<{ offers: { id: string; areaId: string }[] }>('/api/broadcasts', {
      bulletinId: districtBulletin.body.id,
      target: { areaIds: [f.areas.communeB] },
      startAt: future(),
    });
    const pronunciationB = await f.communeB.operator.post<{ id: string }>('/api/pronunciations', {
      match: 'Tân Lập',
      spoken: 'tân lập',
      areaId: f.areas.communeB,
    });
    const emergencyB = await f.communeB.approver.post<{ id: string }>('/api/emergency', { text: 'Khẩn cấp của xã Tân Lập.', target: { areaIds: [f.areas.communeB] } });
    b = {
      emergencyId: emergencyB.body.id,
      pronunciationId: pronunciationB.body.id,
      deviceId: f.devices.b,
      bulletinId: bulletinB.body.id,
      broadcastId: broadcastB.body.id,
      pendingBroadcastId: pendingB.body.id,
      offerId: offered.body.offers[0]!.id,
    };
    const spec = server.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    serverRoutes = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/api/') && !path.startsWith('/api/docs'))
      .flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map((method) => `${method.toUpperCase()} ${path.replaceAll(/\{(\w+)\}/g, ':$1')}`),
      );
  }, FIXTURE_SETUP_TIMEOUT_MS);
  afterAll(async () => server?.close());

  it('has a rule for every route the server serves, and no rule for a route that does not exist', () => {
    expect([...serverRoutes].sort()).toEqual(Object.keys(RULES).sort());
  });

  it('lets each role do exactly what the table allows, and nobody without signing in', async () => {
    const anonymous = new ApiClient(server.url);
    const mismatches: string[] = [];
    for (const [route, rule] of Object.entries(RULES)) {
      const call = rule.call?.(b) ?? defaultCall(route);
      const unsigned = await send(anonymous, route, call);
      if (rule.allow === 'public') {
        if (unsigned.status === 401 || unsigned.status === 403) mismatches.push(`${route} anonymous: ${unsigned.status}, expected public`);
        continue;
      }
      if (unsigned.status !== 401) mismatches.push(`${route} anonymous: ${unsigned.status}, expected 401`);
      for (const role of ROLES) {
        const client = rule.freshSession ? await f.signIn(usernameOf(role)) : f.communeA[role];
        const response = await send(client, route, call);
        const allowed = rule.allow.includes(role);
        const refused = response.status === 403 && response.body.code === 'FORBIDDEN';
        if (allowed && (response.status === 401 || response.status === 403)) mismatches.push(`${route} ${role}: ${response.status}, expected allowed`);
        if (!allowed && !refused) mismatches.push(`${route} ${role}: ${response.status} ${response.body.code}, expected 403 FORBIDDEN`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('keeps every commune out of another commune\'s receivers, bulletins, broadcasts, offers and calendar', async () => {
    const mismatches: string[] = [];
    for (const [route, rule] of Object.entries(RULES)) {
      if (!rule.otherCommune || rule.allow === 'public') continue;
      const call = rule.otherCommune.call(b, f);
      for (const role of rule.allow.filter((r) => r !== 'admin')) {
        const response = await send(f.communeA[role], route, call);
        if (response.status !== rule.otherCommune.status) {
          mismatches.push(`${route} commune A ${role}: ${response.status}, expected ${rule.otherCommune.status}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // The same reads by commune B's own approver succeed, so the refusals above are about scope.
    expect((await f.communeB.approver.get(`/api/devices/${b.deviceId}`)).status).toBe(200);
    expect((await f.communeB.approver.get(`/api/broadcasts/${b.broadcastId}`)).status).toBe(200);
    expect((await f.communeB.approver.get(`/api/bulletins/${b.bulletinId}`)).status).toBe(200);
  });

  it('shows each user only their part of the tree and of the lists', async () => {
    const viewer = f.communeA.viewer;
    const ids = (nodes: { id: string; children: unknown[] }[]): string[] =>
      nodes.flatMap((node) => [node.id, ...ids(node.children as { id: string; children: unknown[] }[])]);
    const tree = await viewer.get<{ id: string; children: unknown[] }[]>('/api/areas');
    expect(ids(tree.body).sort()).toEqual([f.areas.province, f.areas.district, f.areas.communeA, f.areas.hamletA].sort());
    const devices = await viewer.get<{ id: string }[]>('/api/devices');
    expect(devices.body.map((d) => d.id)).toEqual([f.devices.a]);
    const broadcasts = await viewer.get<{ id: string }[]>('/api/broadcasts');
    expect(broadcasts.body.map((x) => x.id)).not.toContain(b.broadcastId);
    const bulletins = await viewer.get<{ id: string }[]>('/api/bulletins');
    expect(bulletins.body.map((x) => x.id)).toContain(f.bulletinA);
    expect(bulletins.body.map((x) => x.id)).not.toContain(b.bulletinId);
    const offers = await viewer.get<{ id: string }[]>('/api/offers');
    expect(offers.body.map((x) => x.id)).not.toContain(b.offerId);
    // The district sees both communes.
    const district = await f.district.operator.get<{ id: string }[]>('/api/devices');
    expect(district.body.map((d) => d.id).sort()).toEqual([f.devices.a, f.devices.b].sort());
  });
});

function usernameOf(role: Role): string {
  return { admin: 'admin', approver: 'duyet.vanson', operator: 'bientap.vanson', viewer: 'xem.vanson' }[role];
}
