/** User accounts, integration tokens and CSRF protection of cookie sessions, against the real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccessFixture, FIXTURE_SETUP_TIMEOUT_MS, FIXTURE_PASSWORD, type AccessFixture } from '../../helpers/access-fixture.js';
import { ApiClient } from '../../helpers/api-client.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

interface ErrorBody {
  code: string;
  details: { field?: string; message: string }[];
}

describe('accounts, tokens and CSRF', () => {
  let server: TestServer;
  let f: AccessFixture;

  beforeAll(async () => {
    server = await startTestServer();
    f = await buildAccessFixture(server.url);
  }, FIXTURE_SETUP_TIMEOUT_MS);
  afterAll(async () => server?.close());

  it('validates new users: password policy, an area for every non-admin, unique names', async () => {
    const weak = await f.admin.post<ErrorBody>('/api/users', { username: 'yeu.matkhau', password: 'matkhau123', role: 'viewer', areaId: f.areas.communeA });
    expect(weak.status).toBe(400);
    expect(weak.body.details.map((d) => d.field)).toContain('password');
    const noArea = await f.admin.post<ErrorBody>('/api/users', { username: 'khong.vung', password: FIXTURE_PASSWORD, role: 'operator' });
    expect(noArea.status).toBe(400);
    expect(noArea.body.details[0]?.field).toBe('areaId');
    const taken = await f.admin.post<ErrorBody>('/api/users', { username: 'xem.vanson', password: FIXTURE_PASSWORD, role: 'viewer', areaId: f.areas.communeA });
    expect(taken.status).toBe(409);
    const listed = await f.admin.get<{ username: string; passwordHash?: string }[]>('/api/users');
    expect(listed.body.map((u) => u.username)).toContain('xem.vanson');
    expect(listed.body.every((u) => u.passwordHash === undefined)).toBe(true);
  });

  it('an admin resets a locked-out user\'s password: the lock and the old sessions end, the new password works', async () => {
    const created = await f.admin.post<{ id: string }>('/api/users', { username: 'quen.matkhau', password: FIXTURE_PASSWORD, role: 'viewer', areaId: f.areas.communeA });
    const session = await f.signIn('quen.matkhau');
    const anonymous = new ApiClient(server.url);
    for (let attempt = 0; attempt < 5; attempt++) await anonymous.post('/api/auth/login', { username: 'quen.matkhau', password: 'not-the-password' });
    const locked = await anonymous.post<ErrorBody>('/api/auth/login', { username: 'quen.matkhau', password: FIXTURE_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');

    const reset = await f.admin.patch(`/api/users/${created.body.id}`, { password: 'Mat-khau-moi-cua-xa' });
    expect(reset.status).toBe(200);
    expect((await session.get('/api/auth/me')).status).toBe(401);
    expect((await anonymous.post('/api/auth/login', { username: 'quen.matkhau', password: FIXTURE_PASSWORD })).status).toBe(401);
    expect((await anonymous.post('/api/auth/login', { username: 'quen.matkhau', password: 'Mat-khau-moi-cua-xa' })).status).toBe(200);
  });

  it('users change their own password only by giving the current one', async () => {
    await f.admin.post('/api/users', { username: 'doi.matkhau', password: FIXTURE_PASSWORD, role: 'operator', areaId: f.areas.communeA });
    const user = await f.signIn('doi.matkhau');
    const wrong = await user.post<ErrorBody>('/api/auth/password', { currentPassword: 'guess', newPassword: 'Mot-mat-khau-khac' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details[0]?.field).toBe('currentPassword');
    expect((await user.post('/api/auth/password', { currentPassword: FIXTURE_PASSWORD, newPassword: 'Mot-mat-khau-khac' })).status).toBe(204);
    await new ApiClient(server.url).login('doi.matkhau', 'Mot-mat-khau-khac');
  });

  it('never removes the last admin or lets admins delete themselves; deleting a user ends their access', async () => {
    const me = await f.admin.get<{ id: string }>('/api/auth/me');
    expect((await f.admin.delete(`/api/users/${me.body.id}`)).status).toBe(409);
    expect((await f.admin.patch(`/api/users/${me.body.id}`, { role: 'viewer' })).status).toBe(409);
    const leaving = await f.admin.post<{ id: string }>('/api/users', { username: 'nghi.huu', password: FIXTURE_PASSWORD, role: 'operator', areaId: f.areas.communeA });
    const session = await f.signIn('nghi.huu');
    expect((await f.admin.delete(`/api/users/${leaving.body.id}`)).status).toBe(204);
    expect((await session.get('/api/auth/me')).status).toBe(401);
  });

  it('issues integration tokens shown once, stored hashed, acting with the user\'s rights, revocable at once', async () => {
    const operator = f.communeA.operator;
    const created = await operator.post<{ id: string; token: string; name: string }>('/api/tokens', { name: 'Cổng thông tin huyện', validDays: 30 });
    expect(created.status).toBe(201);
    const integration = ApiClient.withToken(server.url, created.body.token);
    const me = await integration.get<{ username: string; role: string }>('/api/auth/me');
    expect(me.body).toMatchObject({ username: 'bientap.vanson', role: 'operator' });
    expect((await integration.get('/api/users')).status).toBe(403);

    const listed = await operator.get<Record<string, unknown>[]>('/api/tokens');
    expect(listed.body.map((t) => t.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    const stored = await server.database.prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(stored.tokenHash).not.toContain(created.body.token);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    // Signing out with it does not end it (only sessions end that way); another user cannot revoke it.
    await integration.post('/api/auth/logout');
    expect((await integration.get('/api/auth/me')).status).toBe(200);
    expect((await f.communeA.viewer.delete(`/api/tokens/${created.body.id}`)).status).toBe(404);
    const revoked = await operator.delete<{ revokedAt: string | null }>(`/api/tokens/${created.body.id}`);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await integration.get('/api/auth/me')).status).toBe(401);
  });

  it('requires the CSRF header on writes authenticated by the session cookie, not on reads or bearer calls', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bientap.vanson', password: FIXTURE_PASSWORD }),
    });
    const cookies = login.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('session='))!;
    const csrf = cookies.find((c) => c.startsWith('csrf_token='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toMatch(/SameSite=Strict/i);
    const cookieHeader = [session, csrf].map((c) => c.split(';')[0]).join('; ');
    const csrfToken = decodeURIComponent(csrf.split(';')[0]!.slice('csrf_token='.length));
    const body = JSON.stringify({ title: 'CSRF', text: 'Kính thưa bà con.' });
    const headers = { cookie: cookieHeader, 'content-type': 'application/json' };

    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: cookieHeader } })).status).toBe(200);
    const forged = await fetch(`${server.url}/api/bulletins`, { method: 'POST', headers, body });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as ErrorBody).details[0]?.field).toBe('x-csrf-token');
    const wrong = await fetch(`${server.url}/api/bulletins`, { method: 'POST', headers: { ...headers, 'x-csrf-token': 'x'.repeat(43) }, body });
    expect(wrong.status).toBe(403);
    const genuine = await fetch(`${server.url}/api/bulletins`, { method: 'POST', headers: { ...headers, 'x-csrf-token': csrfToken }, body });
    expect(genuine.status).toBe(201);
    expect((await f.communeA.operator.post('/api/bulletins', JSON.parse(body))).status).toBe(201);
  });
});
