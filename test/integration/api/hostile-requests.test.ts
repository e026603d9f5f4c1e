/**
 * Requests the API fuzzing found answered with a 500, or in Fastify's own error shape, kept here as
 * plain cases: text PostgreSQL cannot store, URLs with broken percent-encoding, malformed multipart
 * bodies. Each must be a 4xx in the API's shape naming what is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: { field?: string; message: string }[];
}

describe('hostile requests', () => {
  let server: TestServer;
  let token: string;
  let areaId: string;

  beforeAll(async () => {
    server = await startTestServer();
    token = (await new ApiClient(server.url).post<{ token: string }>('/api/auth/login', TEST_ADMIN)).body.token;
    areaId = (await send('POST', '/api/areas', { json: { name: 'Xã Yên Bài', kind: 'commune' } })).json<{ id: string }>().id;
  });
  afterAll(async () => server?.close());

  function send(method: 'GET' | 'POST' | 'PATCH', url: string, body: { json?: unknown; raw?: string | Buffer; contentType?: string } = {}) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body.json !== undefined || body.contentType) headers['content-type'] = body.contentType ?? 'application/json';
    const payload = body.json !== undefined ? JSON.stringify(body.json) : body.raw;
    return server.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  }

  const expectError = (response: { statusCode: number; body: string }, status: number, field: string) => {
    expect(response.statusCode, response.body).toBe(status);
    const body = JSON.parse(response.body) as ErrorBody;
    expect(body).toEqual({ statusCode: status, code: expect.any(String), message: expect.any(String), details: expect.any(Array) });
    expect(body.details.map((d) => d.field)).toContain(field);
    return body;
  };

  it('refuses NUL and unpaired surrogates in a JSON body with a 400 naming the field, before the database sees them', async () => {
    const nul = expectError(await send('PATCH', `/api/areas/${areaId}`, { json: { code: 'X\u0000' } }), 400, 'code');
    expect(nul).toMatchObject({ code: 'VALIDATION_FAILED', message: 'code: must not contain NUL or unpaired surrogate characters' });
    expectError(await send('PATCH', `/api/areas/${areaId}`, { json: { name: 'Xã \ud800' } }), 400, 'name');
    expectError(await send('POST', '/api/broadcasts', { json: { bulletinId: 'b', target: { areaIds: ['ok', 'a\u0000'] } } }), 400, 'target.areaIds.1');
    // In a key too: unknown keys are dropped by validation, but the audit log records the body as sent.
    expectError(await send('POST', '/api/areas', { json: { name: 'Xóm', kind: 'hamlet', parentId: areaId, 'k\u0000': 1 } }), 400, 'k?');
    expect((await send('GET', `/api/areas`)).json<unknown[]>().length).toBe(1);
  });

  it('refuses them in path parameters and query strings', async () => {
    expectError(await send('GET', '/api/devices/%00'), 400, 'id');
    expectError(await send('POST', '/api/broadcasts/b%00/cancel'), 400, 'id');
    expectError(await send('GET', '/api/audit?username=%00'), 400, 'username');
  });

  it('answers a URL with broken percent-encoding in the API error shape', async () => {
    for (const url of ['/api/broadcasts/%', '/api/broadcasts/%zz/cancel', '/api/devices/%E0%A4%A']) {
      const body = expectError(await send('GET', url), 400, 'url');
      expect(body.code).toBe('FST_ERR_BAD_URL');
    }
  });

  it('answers a deeply nested JSON body with a 400, not a stack overflow', async () => {
    const depth = 40_000;
    const response = await send('POST', '/api/areas', { raw: `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`, contentType: 'application/json' });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });

  it('answers a malformed multipart body with a 400 naming the body', async () => {
    const part = (boundary: string, end = `\r\n--${boundary}--\r\n`) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nTin\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n\r\nID3${end}`;
    const cases = [
      { contentType: 'multipart/form-data', raw: part('x') },
      { contentType: 'multipart/form-data; boundary=', raw: part('') },
      { contentType: `multipart/form-data; boundary=${'b'.repeat(300)}`, raw: part('b'.repeat(300)) },
      { contentType: 'multipart/form-data; boundary=cut', raw: part('cut', '') },
      { contentType: 'multipart/form-data; boundary=hdr', raw: '--hdr\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n' },
    ];
    for (const { contentType, raw } of cases) {
      const response = await send('POST', '/api/bulletins', { raw, contentType });
      expect(response.statusCode, `${contentType}: ${response.body}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${contentType}: ${response.body}`).toBeLessThan(500);
      const body = JSON.parse(response.body) as ErrorBody;
      expect(body).toEqual({ statusCode: response.statusCode, code: expect.any(String), message: expect.any(String), details: expect.any(Array) });
    }
    const noBoundary = expectError(await send('POST', '/api/bulletins', cases[0]!), 400, 'body');
    expect(noBoundary.message).toMatch(/multipart body is malformed/);
  });

  it('checks an uploaded bulletin\'s title like a text bulletin\'s', async () => {
    const form = (title: string) => {
      const boundary = 'title-check';
      return {
        contentType: `multipart/form-data; boundary=${boundary}`,
        raw: `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n\r\nnot audio\r\n--${boundary}--\r\n`,
      };
    };
    expectError(await send('POST', '/api/bulletins', form('Tin\u0000')), 400, 'title');
    expectError(await send('POST', '/api/bulletins', form('t'.repeat(301))), 400, 'title');
    expect(expectError(await send('POST', '/api/bulletins', form('   ')), 400, 'title').message).toBe('title: title is required');
  });
});
