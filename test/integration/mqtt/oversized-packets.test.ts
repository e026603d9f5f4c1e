/**
 * A client that announces a huge MQTT packet (before or after signing in) is cut off at the header,
 * over TCP and over WebSocket; the broker never buffers the body and genuine receivers carry on.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiClient } from '../../helpers/api-client.js';
import { connectAsDevice, embeddedBrokerUrl } from '../../helpers/device-connection.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

/** A CONNECT fixed header announcing `bytes` of packet, and the first bytes of its body. */
function hugeConnectHeader(bytes: number): Buffer {
  const header = [0x10];
  let length = bytes;
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    header.push(byte);
  } while (length > 0);
  return Buffer.concat([Buffer.from(header), Buffer.alloc(1_024, 0x41)]);
}

describe('oversized MQTT packets', () => {
  let server: TestServer;
  let device: { id: string; token: string };

  beforeAll(async () => {
    server = await startTestServer();
    const api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const area = await api.post<{ id: string }>('/api/areas', { name: 'Xã Mường Chiềng', kind: 'commune' });
    device = (await api.post<{ id: string; token: string }>('/api/devices', { name: 'Loa chợ', areaId: area.body.id })).body;
  });
  afterAll(async () => server?.close());

  it('closes a TCP connection that announces a 200 MB packet without sending it', async () => {
    const port = Number(new URL(embeddedBrokerUrl(server)).port);
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.write(hugeConnectHeader(200_000_000));
    await closed;
    expect(socket.destroyed).toBe(true);
  });

  it('closes a WebSocket MQTT connection that does the same', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/mqtt`, 'mqtt');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.send(hugeConnectHeader(50_000_000));
    await closed;
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });

  it('cuts a signed-in receiver that publishes an oversized report, and lets it connect again', async () => {
    const client = await connectAsDevice(server, device);
    const cut = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(`${server.topics.root}/device/${device.id}/event`, Buffer.alloc(2 * 1024 * 1024, 0x7b));
    await cut;
    await client.endAsync(true);
    const again = await connectAsDevice(server, device);
    expect(again.connected).toBe(true);
    await again.endAsync();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
