/**
 * Property-based fuzzing of every /api route the OpenAPI document lists (so a new route is fuzzed
 * without touching this file): random, nearly valid and malformed path parameters, query strings,
 * bodies and content types, sent as the administrator through inject(). No answer may be a 5xx,
 * every 4xx carries the API's error shape, and nothing may reject unhandled.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { startTestServer, TEST_ADMIN } from '../helpers/test-server.js';
import { operationsOf, requestFor, type FuzzRequest, type KnownIds, type OpenApiDocument, type Operation } from './openapi-arbitraries.js';

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 100);
/**
 * Keeps the file near a minute on two cores however many routes there are: each route gets a share
 * of the budget, and a slow one (sign-in hashes every password it is given) stops early.
 */
const FUZZ_BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 35_000);
/**
 * Routes left out: one ends the session the fuzzing runs in; an event stream that accepts the
 * request never ends, so inject() would wait for it forever (test/integration/live covers it).
 */
const NOT_FUZZED = new Set(['POST /api/auth/logout', 'GET /api/live/devices']);
/** A documentation address (RFC 5737) for fuzzed requests, so sign-in throttling of them never blocks signing in again. */
const FUZZ_ADDRESS = '192.0.2.10';

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
process.on('unhandledRejection', onRejection);

const server = await startTestServer();
const api = new ApiClient(server.url);
let token = await signIn();
const known = await seedKnownIds();
const operations = operationsOf(server.app.swagger() as unknown as OpenApiDocument).filter(
  (operation) => operation.path.startsWith('/api/') && !operation.path.startsWith('/api/docs') && !NOT_FUZZED.has(`${operation.method} ${operation.path}`),
);
// At least a second each; a route whose one request takes longer (a password hash, a render) still sends that one.
const timePerRouteMs = Math.max(1_000, Math.floor(FUZZ_BUDGET_MS / Math.max(1, operations.length)));
/** The longest one request may take (rendering a five-minute attention signal on a loaded machine) before the route fails. */
const SLOWEST_REQUEST_MS = 40_000;

async function signIn(): Promise<string> {
  const response = await api.post<{ token: string }>('/api/auth/login', TEST_ADMIN);
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.token;
}

async function create(url: string, body: object): Promise<{ id: string }> {
  const response = await server.app.inject({ method: 'POST', url, payload: body, headers: { authorization: `Bearer ${token}` } });
  if (response.statusCode !== 201) throw new Error(`POST ${url} failed: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string }>();
}

/** Real ids for the generators to use, so requests get past "not found" into the handlers. */
async function seedKnownIds(): Promise<KnownIds> {
  const area = await create('/api/areas', { name: 'Xã Fuzz', kind: 'commune' });
  const hamlet = await create('/api/areas', { name: 'Xóm Fuzz', kind: 'hamlet', parentId: area.id });
  const device = await create('/api/devices', { name: 'Loa Fuzz', areaId: hamlet.id });
  const bulletin = await create('/api/bulletins', { title: 'Bản tin', text: 'Kính thưa bà con.' });
  const broadcast = await create('/api/broadcasts', {
    bulletinId: bulletin.id,
    target: { areaIds: [area.id] },
    recurrence: { daily: { times: ['06:30', '17:00'] } },
  });
  return { area: [area.id, hamlet.id], device: [device.id], bulletin: [bulletin.id], broadcast: [broadcast.id] };
}

async function send(request: FuzzRequest) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  return server.app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers,
    ...(request.payload !== undefined ? { payload: request.payload } : {}),
    remoteAddress: FUZZ_ADDRESS,
  });
}

function describeRequest(request: FuzzRequest): string {
  const payload = request.payload === undefined ? '' : String(request.payload).slice(0, 300);
  return `${request.method} ${request.url.slice(0, 300)} [${request.contentType ?? 'no content-type'}] ${JSON.stringify(payload)}`;
}

/**
 * Requests sent per route and how many got past validation (2xx), printed at the end: a route cut
 * short by its time limit, or one the generators never get through, shows here.
 */
const runs = new Map<string, { sent: number; succeeded: number }>();

describe('API routes under fuzzing', () => {
  afterAll(async () => {
    console.info(`fuzzed requests per route (2xx): ${[...runs].map(([route, { sent, succeeded }]) => `${route} ${sent} (${succeeded})`).join(', ')}`);
    await server.close();
    process.off('unhandledRejection', onRejection);
  });

  it('found the routes in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(15);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['POST /api/bulletins', 'PATCH /api/broadcasts/{id}', 'GET /api/schedule']));
  });

  it.each(operations.map((operation) => [`${operation.method} ${operation.path}`, operation] as [string, Operation]))(
    `%s: up to ${RUNS_PER_ROUTE} fuzzed requests, no 5xx, every 4xx in the error shape`,
    async (name, operation) => {
      const deadline = performance.now() + timePerRouteMs;
      await fc.assert(
        fc.asyncProperty(requestFor(operation, known), async (request) => {
          const counts = runs.get(name) ?? { sent: 0, succeeded: 0 };
          // Past its share of the time a route sends nothing more, but it always sends one request.
          if (counts.sent > 0 && performance.now() > deadline) return;
          const response = await send(request);
          runs.set(name, { sent: counts.sent + 1, succeeded: counts.succeeded + (response.statusCode < 300 ? 1 : 0) });
          const context = `${describeRequest(request)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
          expect(response.statusCode, context).toBeLessThan(500);
          if (response.statusCode >= 400) {
            let body: unknown;
            expect(() => (body = JSON.parse(response.body)), context).not.toThrow();
            expect(body, context).toEqual({
              statusCode: response.statusCode,
              code: expect.any(String),
              message: expect.any(String),
              details: expect.any(Array),
            });
          }
        }),
        { numRuns: RUNS_PER_ROUTE, interruptAfterTimeLimit: timePerRouteMs + SLOWEST_REQUEST_MS },
      );
      expect(runs.get(name)?.sent, 'fuzzed requests sent').toBeGreaterThan(0);
      // A route that revoked the session (a new one, say) must not turn every later route into a 401.
      if ((await server.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode === 401) {
        token = await signIn();
      }
      expect(rejections).toEqual([]);
    },
  );

  it('is still healthy afterwards', async () => {
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/readyz')).status).toBe(200);
    expect(rejections).toEqual([]);
  });
});
