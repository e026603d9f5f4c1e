import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { runBroadcastLoop } from './broadcast-loop-scenario.js';

describe('broadcast loop with the machine PostgreSQL (DATABASE_URL) and MQTT over WebSocket', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: 'postgres' });
  });
  afterAll(async () => server?.close());

  it('plays on three receivers connected over ws://…/mqtt with deliveries stored in PostgreSQL', async () => {
    expect(server.database.kind).toBe('postgres');
    const result = await runBroadcastLoop(server, `${server.url.replace('http', 'ws')}/mqtt`);
    expect(result.startSkewMs).toBeLessThanOrEqual(50);
  });
});
