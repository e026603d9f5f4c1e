/**
 * The embedded broker's listeners with a certificate: the plaintext port stays open next to the TLS
 * one unless MQTT_PLAINTEXT=false, device credentials are checked over TLS as over TCP, and a taken
 * MQTT_TLS_PORT is named (or, with MQTT_PORT_FALLBACK, skipped) like a taken MQTT_PORT.
 */
import net from 'node:net';
import path from 'node:path';
import mqtt, { type IClientOptions } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { startServer } from '../../../server/main.js';
import { MqttPortInUseError } from '../../../server/mqtt/embedded-broker.js';
import { ApiClient } from '../../helpers/api-client.js';
import { freePort } from '../../helpers/free-port.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { copyDataTemplate } from '../../helpers/test-database.js';
import { TEST_ADMIN, startTestServer } from '../../helpers/test-server.js';
import { createSelfSignedCertificate, fetchTrusting, type TestCertificate } from '../../helpers/tls-certificate.js';

type ConnectOutcome = { readonly outcome: 'connected' } | { readonly outcome: 'refused'; readonly reason: string };

function tryConnect(url: string, options: IClientOptions): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5_000, ...options });
    const finish = (outcome: ConnectOutcome) => {
      client.end(true);
      resolve(outcome);
    };
    client.once('connect', () => finish({ outcome: 'connected' }));
    client.once('error', (error) => finish({ outcome: 'refused', reason: `${(error as { code?: string | number }).code ?? ''} ${error.message}` }));
    client.once('close', () => finish({ outcome: 'refused', reason: 'closed without CONNACK' }));
  });
}

/** Holds a port on the server's host, as another broker would. */
async function occupyPort(): Promise<net.Server> {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return blocker;
}

function portOf(server: net.Server): number {
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('not listening');
  return address.port;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('embedded broker listeners with TLS', () => {
  let work: { path: string; remove(): Promise<void> };
  let certificate: TestCertificate;

  beforeAll(async () => {
    work = await makeTempDir('cb-tls-listeners');
    certificate = await createSelfSignedCertificate(work.path);
  });

  afterAll(async () => {
    await work?.remove();
  });

  /** startServer itself (not startTestServer), so a start that fails leaves nothing behind to clean up but `dir`. */
  async function startWith(env: Record<string, string>) {
    const dir = await makeTempDir('cb-tls-server');
    await copyDataTemplate(dir.path);
    const config = loadConfig({
      NODE_ENV: 'test',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      MQTT_PORT: '0',
      DATA_DIR: dir.path,
      SCHEDULES_DIR: path.join(dir.path, 'schedules'),
      ADMIN_PASSWORD: TEST_ADMIN.password,
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
      ...env,
    });
    try {
      return { server: await startServer(config, pino({ level: 'silent' })), dir };
    } catch (error) {
      await dir.remove();
      throw error;
    }
  }

  it('keeps plaintext MQTT next to TLS by default, and checks device credentials on both', async () => {
    const server = await startTestServer({
      env: { TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile, MQTT_TLS_PORT: '0' },
    });
    try {
      if (server.mqtt.mode !== 'embedded') throw new Error('expected the embedded broker');
      const { port, tlsPort } = server.mqtt;
      expect(port).toEqual(expect.any(Number));
      expect(tlsPort).toEqual(expect.any(Number));
      expect(tlsPort).not.toBe(port);

      const api = new ApiClient(server.url, fetchTrusting(certificate.cert));
      await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
      const area = await api.post<{ id: string }>('/api/areas', { name: 'Xã Thử', kind: 'commune', code: `T${Date.now()}` });
      const device = await api.post<{ id: string; token: string }>('/api/devices', { name: 'Loa TLS', areaId: area.body.id });
      expect(device.status).toBe(201);
      const credentials = { clientId: device.body.id, username: device.body.id, password: device.body.token };

      expect(await tryConnect(`mqtt://127.0.0.1:${port}`, credentials)).toEqual({ outcome: 'connected' });
      expect(await tryConnect(`mqtts://localhost:${tlsPort}`, { ...credentials, ca: certificate.cert })).toEqual({ outcome: 'connected' });
      // TLS encrypts the link; it does not replace the broker's own check of who is connecting.
      const wrongToken = await tryConnect(`mqtts://localhost:${tlsPort}`, { ...credentials, password: 'not-the-token', ca: certificate.cert });
      expect(wrongToken).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/^4 /) });
    } finally {
      await server.close();
    }
  });

  it('names MQTT_TLS_PORT when that port is taken, and closes the plaintext port it had already opened', async () => {
    const blocker = await occupyPort();
    const plaintextPort = await freePort();
    try {
      const failed = startWith({ MQTT_PORT: String(plaintextPort), MQTT_TLS_PORT: String(portOf(blocker)) });
      await expect(failed).rejects.toBeInstanceOf(MqttPortInUseError);
      await expect(failed).rejects.toMatchObject({ variable: 'MQTT_TLS_PORT', port: portOf(blocker) });
      await expect(failed).rejects.toThrow(/MQTT TLS port \d+ is already in use.*Set MQTT_TLS_PORT/);
      expect(await canListen(plaintextPort)).toBe(true);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('with MQTT_PORT_FALLBACK takes the next free port after a taken MQTT_TLS_PORT', async () => {
    const blocker = await occupyPort();
    const taken = portOf(blocker);
    try {
      const { server, dir } = await startWith({ MQTT_TLS_PORT: String(taken), MQTT_PORT_FALLBACK: 'true' });
      try {
        if (server.mqtt.mode !== 'embedded' || server.mqtt.tlsPort === null) throw new Error('expected a TLS port');
        expect(server.mqtt.tlsPort).toBeGreaterThan(taken);
        expect(server.mqtt.tlsPort).toBeLessThan(taken + 20);
        expect(await tryConnect(`mqtts://localhost:${server.mqtt.tlsPort}`, { ca: certificate.cert })).toMatchObject({
          outcome: 'refused',
          reason: expect.stringMatching(/^4 /),
        });
      } finally {
        await server.stop();
        await dir.remove();
      }
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
