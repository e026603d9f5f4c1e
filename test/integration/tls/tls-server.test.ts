/**
 * The server with a certificate (made by the test, self-signed) and the plaintext MQTT port off,
 * as in production: HTTPS for the API, MQTT over TLS on MQTT_TLS_PORT. A real agent process that
 * trusts the certificate through AGENT_CA_FILE connects over mqtts://, syncs its clock and downloads
 * the audio over HTTPS, and plays; clients that speak plaintext, or do not trust the certificate,
 * are turned away.
 */
import mqtt, { type IClientOptions } from 'mqtt';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTimeFetcherUsing } from '../../../device-agent/clock.js';
import { createTrust } from '../../../device-agent/tls-trust.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { ApiClient } from '../../helpers/api-client.js';
import { registerCommune, startAgents, waitForDeliveries, waitUntilOnline, type Commune } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { TEST_ADMIN, startTestServer, type TestServer } from '../../helpers/test-server.js';
import { createSelfSignedCertificate, fetchTrusting, type TestCertificate } from '../../helpers/tls-certificate.js';

type ConnectOutcome = { readonly outcome: 'connected' } | { readonly outcome: 'refused'; readonly reason: string };

/** One connection attempt, no retries: CONNACK, or how it failed. */
function tryConnect(url: string, options: IClientOptions): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5_000, ...options });
    const finish = (outcome: ConnectOutcome) => {
      client.end(true);
      resolve(outcome);
    };
    client.once('connect', () => finish({ outcome: 'connected' }));
    client.once('error', (error) => finish({ outcome: 'refused', reason: `${(error as { code?: string }).code ?? ''} ${error.message}` }));
    client.once('close', () => finish({ outcome: 'refused', reason: 'closed without CONNACK' }));
  });
}

describe('TLS: HTTPS and MQTT over TLS with the plaintext port off', () => {
  let work: { path: string; remove(): Promise<void> };
  let certificate: TestCertificate;
  let server: TestServer;
  let api: ApiClient;
  let tlsPort: number;
  let commune: Commune;
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    work = await makeTempDir('cb-tls');
    certificate = await createSelfSignedCertificate(work.path);
    server = await startTestServer({
      env: { TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile, MQTT_TLS_PORT: '0', MQTT_PLAINTEXT: 'false' },
    });
    if (server.mqtt.mode !== 'embedded' || server.mqtt.tlsPort === null) throw new Error('expected the embedded broker with a TLS port');
    tlsPort = server.mqtt.tlsPort;
    api = new ApiClient(server.url, fetchTrusting(certificate.cert));
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    commune = await registerCommune(api, work.path, 2);
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await work?.remove();
  });

  it('listens with TLS only: an https:// URL, a bound MQTT TLS port and no plaintext MQTT port', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.publicUrl).toBe(server.url);
    expect(server.mqtt).toEqual({ mode: 'embedded', port: null, tlsPort });
    expect(tlsPort).toBeGreaterThan(0);
  });

  it('a real agent trusting the certificate via AGENT_CA_FILE connects over mqtts://, syncs its clock over HTTPS and plays on time', async () => {
    const receiver = commune.receivers[0]!;
    // A receiver clock 5 s wrong: only a clock sync over HTTPS brings the start back to startAt.
    const [agent] = startAgents([receiver], `mqtts://localhost:${tlsPort}`, server.topics.root, () => ({
      AGENT_CA_FILE: certificate.certFile,
      AGENT_CLOCK_SKEW_MS: '5000',
    }));
    agents.push(agent!);
    await waitUntilOnline(api, [receiver], [agent!]);

    const bulletin = await api.post<{ id: string; audio: { sha256: string; url: string; durationMs: number } }>('/api/bulletins', {
      title: 'Thông báo',
      text: 'Kính thưa bà con, chiều nay xã họp dân.',
    });
    expect(bulletin.status).toBe(201);
    // The receiver downloads the audio from the server's own HTTPS URL.
    expect(bulletin.body.audio.url.startsWith(`${server.url}/`)).toBe(true);
    const startAt = Date.now() + 3_000;
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { areaIds: [commune.communeId] },
      startAt: new Date(startAt).toISOString(),
    });
    expect(broadcast.status).toBe(201);

    await waitForDeliveries(api, broadcast.body.id, (rows) => rows.some((row) => row.deviceId === receiver.id && row.state === 'played'), {
      what: 'the TLS receiver played',
      timeoutMs: 3_000 + bulletin.body.audio.durationMs + 20_000,
      agents: [agent!],
    });
    const plays = await agent!.plays();
    expect(plays).toHaveLength(1);
    expect(plays[0]).toMatchObject({ broadcastId: broadcast.body.id, sha256: bulletin.body.audio.sha256, outcome: 'completed' });
    expect(agent!.output()).toContain('clock synced');
    // Loose on purpose (this is not a timing test, and other files run alongside): without a sync it would be 5 s off.
    expect(Math.abs(plays[0]!.systemTime - startAt)).toBeLessThanOrEqual(500);
  });

  it('an agent without the CA file is refused by the handshake and stays offline', async () => {
    const receiver = commune.receivers[1]!;
    const [agent] = startAgents([receiver], `mqtts://localhost:${tlsPort}`, server.topics.root);
    agents.push(agent!);
    const deadline = Date.now() + 20_000;
    while (!/self[- ]signed certificate/.test(agent!.output()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const refusal = agent!.output().split('\n').find((line) => line.includes('broker connection error'));
    expect(refusal).toMatch(/self[- ]signed certificate/);
    expect(agent!.output()).not.toContain('connected to broker');
    const devices = await api.get<{ id: string; online: boolean }[]>('/api/devices');
    expect(devices.body.find((row) => row.id === receiver.id)?.online).toBe(false);
    await agent!.stop();
  });

  it('refuses plaintext MQTT on the TLS port and a TLS client that does not trust the certificate; accepts one that does (mqtts, wss)', async () => {
    const receiver = commune.receivers[1]!;
    const credentials = { clientId: receiver.id, username: receiver.id, password: receiver.token };

    const trusted = await tryConnect(`mqtts://localhost:${tlsPort}`, { ...credentials, ca: certificate.cert });
    expect(trusted).toEqual({ outcome: 'connected' });
    // MQTT over WebSocket is on the HTTPS port, so it is wss:// now, with the same certificate.
    const webSocket = await tryConnect(`${server.url.replace('https://127.0.0.1', 'wss://localhost')}/mqtt`, { ...credentials, ca: certificate.cert });
    expect(webSocket).toEqual({ outcome: 'connected' });

    const plaintext = await tryConnect(`mqtt://127.0.0.1:${tlsPort}`, credentials);
    expect(plaintext.outcome).toBe('refused');

    const untrusting = await tryConnect(`mqtts://localhost:${tlsPort}`, credentials);
    expect(untrusting).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/SELF_SIGNED|self[- ]signed/) });
  });

  it('serves HTTPS: /api/time through the agent\'s own trust, Secure session cookies and HSTS; refuses plain HTTP and untrusting clients', async () => {
    const trust = createTrust(certificate.certFile);
    const before = Date.now();
    const serverNow = await httpTimeFetcherUsing(trust.fetch)(server.url, AbortSignal.timeout(5_000));
    expect(serverNow).toBeGreaterThanOrEqual(before - 1_000);
    expect(serverNow).toBeLessThanOrEqual(Date.now() + 1_000);

    const login = await fetchTrusting(certificate.cert)(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(TEST_ADMIN),
    });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie();
    expect(cookies.some((cookie) => cookie.startsWith('session='))).toBe(true);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure(;|$)/i);
    expect(login.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);

    // Without the certificate in its trust store a client gets no answer at all.
    const untrusted = undiciFetch(`${server.url}/api/time`, { dispatcher: new Agent() });
    await expect(untrusted).rejects.toMatchObject({ cause: { code: expect.stringMatching(/SELF_SIGNED/) } });
    await expect(undiciFetch(server.url.replace('https://', 'http://') + '/api/time')).rejects.toThrow();
  });
});
