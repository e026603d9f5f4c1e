/** Sign-in hardening (lock-out, per-address throttling) and the audit log, against the real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface AuditRow {
  username: string | null;
  method: string;
  route: string;
  entityId: string | null;
  statusCode: number;
  summary: { request: { body: Record<string, unknown> | null }; outcome: { id?: string } | null };
}

describe('sign-in hardening and audit log', () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = new ApiClient(server.url);
    await admin.login(TEST_ADMIN.username, TEST_ADMIN.password);
  });
  afterAll(async () => server?.close());

  it('records writes with who, what and the outcome, never the password', async () => {
    const area = await admin.post<{ id: string }>('/api/areas', { name: 'Xã Ngọc Lâu', kind: 'commune' });
    await new ApiClient(server.url).post('/api/auth/login', { username: TEST_ADMIN.username, password: 'not-the-password' });
    const audit = await admin.get<AuditRow[]>('/api/audit?route=/api/');
    expect(audit.status).toBe(200);
    const created = audit.body.find((row) => row.route === '/api/areas' && row.method === 'POST');
    expect(created).toMatchObject({ username: TEST_ADMIN.username, statusCode: 201, entityId: area.body.id });
    expect(created?.summary.request.body).toMatchObject({ name: 'Xã Ngọc Lâu', kind: 'commune' });
    const failedLogin = audit.body.find((row) => row.route === '/api/auth/login' && row.statusCode === 401);
    expect(failedLogin?.username).toBe(TEST_ADMIN.username);
    expect(failedLogin?.summary.request.body?.password).toBe('[redacted]');
    expect(JSON.stringify(audit.body)).not.toContain(TEST_ADMIN.password);
    expect(JSON.stringify(audit.body)).not.toContain('not-the-password');
  });

  it('filters the log and offers no way to change it', async () => {
    const onlyAreas = await admin.get<AuditRow[]>('/api/audit?route=/api/areas&limit=5');
    expect(onlyAreas.body.length).toBeGreaterThan(0);
    expect(onlyAreas.body.every((row) => row.route.startsWith('/api/areas'))).toBe(true);
    const bad = await admin.get<{ details: { field: string }[] }>('/api/audit?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.field)).toContain('limit');
    for (const method of ['POST', 'PATCH', 'DELETE']) {
      expect((await admin.send(method, '/api/audit')).status).toBe(404);
    }
  });

  it('locks an account after five wrong passwords, even for the right one, and says for how long', async () => {
    await server.database.prisma.user.create({
      data: { id: 'u-guess', username: 'canbo-xa', passwordHash: (await server.database.prisma.user.findFirstOrThrow()).passwordHash, role: 'viewer' },
    });
    const guesser = new ApiClient(server.url);
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await guesser.post('/api/auth/login', { username: 'canbo-xa', password: `guess-${attempt}` })).status).toBe(401);
    }
    const locked = await guesser.post<{ code: string }>('/api/auth/login', { username: 'canbo-xa', password: TEST_ADMIN.password });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    // Other accounts are not affected.
    expect((await guesser.post('/api/auth/login', TEST_ADMIN)).status).toBe(200);
  });

  it('makes one address wait after many failed sign-ins, whatever the user names', async () => {
    const guesser = new ApiClient(server.url);
    let last = 0;
    for (let attempt = 0; attempt < 25 && last !== 429; attempt++) {
      last = (await guesser.post('/api/auth/login', { username: `nobody-${attempt}`, password: 'whatever-password' })).status;
    }
    expect(last).toBe(429);
    const refused = await guesser.post<{ code: string }>('/api/auth/login', TEST_ADMIN);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TOO_MANY_ATTEMPTS');
  });
});
