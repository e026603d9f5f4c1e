/**
 * The server as a client of an external broker over mqtts:// whose certificate a private CA signed
 * (here a self-signed one, on a real aedes behind a TLS listener): MQTT_CA_FILE makes it trusted.
 */
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { Aedes } from 'aedes';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics } from '../../../protocol/index.js';
import { ExternalBroker } from '../../../server/mqtt/external-broker.js';
import { waitFor } from '../../helpers/api-client.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer } from '../../helpers/test-server.js';
import { createSelfSignedCertificate, type TestCertificate } from '../../helpers/tls-certificate.js';

describe('external broker over mqtts:// with a private CA', () => {
  let work: { path: string; remove(): Promise<void> };
  let certificate: TestCertificate;
  let aedes: Aedes;
  let listener: tls.Server;
  let brokerUrl: string;
  const clientIds: string[] = [];
  const published: { topic: string; payload: string }[] = [];

  beforeAll(async () => {
    work = await makeTempDir('cb-external-tls');
    certificate = await createSelfSignedCertificate(work.path);
    aedes = await Aedes.createBroker();
    aedes.on('client', (client) => clientIds.push(client.id));
    aedes.on('publish', (packet, client) => {
      if (client) published.push({ topic: packet.topic, payload: packet.payload.toString() });
    });
    listener = tls.createServer({ key: certificate.key, cert: certificate.cert }, (socket) => aedes.handle(socket));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    brokerUrl = `mqtts://localhost:${(listener.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => aedes?.close(() => resolve()));
    await new Promise((resolve) => listener?.close(resolve));
    await work?.remove();
  });

  it('the server connects with MQTT_URL=mqtts://… and MQTT_CA_FILE, and publishes its state over it', async () => {
    const server = await startTestServer({ mqttUrl: brokerUrl, env: { MQTT_CA_FILE: certificate.certFile, INSTANCE_ID: 'tls-test' } });
    try {
      expect(server.mqtt).toEqual({ mode: 'external', url: brokerUrl });
      expect(clientIds).toContain(`commune-server-${server.topics.root}-tls-test`);
      const state = await waitFor(async () => published.find((message) => message.topic === server.topics.serverState()), {
        what: 'the server state published over TLS',
      });
      expect(JSON.parse(state.payload)).toMatchObject({ state: 'online' });
    } finally {
      await server.close();
    }
  });

  it('without the CA the connection is refused: the broker certificate is not trusted', async () => {
    const broker = new ExternalBroker({
      url: brokerUrl,
      username: undefined,
      password: undefined,
      topics: createTopics('loa'),
      logger: pino({ level: 'silent' }),
      clientId: 'untrusting-server',
    });
    await expect(broker.start()).rejects.toThrow(/Cannot connect to MQTT_URL .*self[- ]signed certificate/);
    expect(clientIds).not.toContain('untrusting-server');
  });
});
