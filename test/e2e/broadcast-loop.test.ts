import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { runBroadcastLoop } from './broadcast-loop-scenario.js';

describe('broadcast loop with embedded PGlite and the embedded aedes broker', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('plays a Vietnamese bulletin on three receivers together and records proof of play', async () => {
    if (server.mqtt.mode !== 'embedded') throw new Error('expected the embedded broker');
    const result = await runBroadcastLoop(server, `mqtt://127.0.0.1:${server.mqtt.port}`);
    expect(result.startSkewMs).toBeLessThanOrEqual(50);
  });
});
