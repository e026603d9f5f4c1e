/** Connects to a test server's embedded broker as a registered receiver would, with raw MQTT.js. */
import mqtt, { type MqttClient } from 'mqtt';
import type { TestServer } from './test-server.js';

export function embeddedBrokerUrl(server: TestServer): string {
  if (server.mqtt.mode !== 'embedded' || !server.mqtt.port) throw new Error('expected the embedded broker on a plaintext port');
  return `mqtt://127.0.0.1:${server.mqtt.port}`;
}

export function connectAsDevice(server: TestServer, device: { id: string; token: string }): Promise<MqttClient> {
  return mqtt.connectAsync(embeddedBrokerUrl(server), {
    clientId: device.id,
    username: device.id,
    password: device.token,
    reconnectPeriod: 0,
    protocolVersion: 4,
  });
}
