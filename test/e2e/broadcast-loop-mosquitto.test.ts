import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { runBroadcastLoop } from './broadcast-loop-scenario.js';

const MOSQUITTO_URL = process.env.TEST_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';

describe('broadcast loop through the machine Mosquitto (MQTT_URL)', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A topic root of its own, so parallel runs on the shared broker never see each other's retained messages.
    server = await startTestServer({ mqttUrl: MOSQUITTO_URL, env: { MQTT_TOPIC_ROOT: `cbtest-${randomBytes(4).toString('hex')}` } });
  });
  afterAll(async () => server?.close());

  it('plays on three receivers through Mosquitto', async () => {
    expect(server.mqtt.mode).toBe('external');
    const result = await runBroadcastLoop(server, MOSQUITTO_URL);
    expect(result.startSkewMs).toBeLessThanOrEqual(50);
  });
});
