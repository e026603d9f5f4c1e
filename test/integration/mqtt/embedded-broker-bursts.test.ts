/**
 * The server's own subscriptions on the embedded broker under a burst: aedes hands every message
 * to mqemitter, which queues them past 100 in flight (deliveries to receivers' sockets take time)
 * and, when a subscriber finishes synchronously, delivers the next queued one from inside the
 * previous one's callback. Thousands of reports queued behind commands going out (every receiver
 * reporting at once while the server sends) once overflowed the stack and took the server down;
 * all of them must arrive, in order.
 */
import mqtt from 'mqtt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DEVICE_CHANNEL_FLAGS, createTopics } from '../../../protocol/index.js';
import { EmbeddedBroker } from '../../../server/mqtt/embedded-broker.js';

const BURST = 20_000;
const RECEIVER = 'rx-slow';
const TOKEN = 'rx-slow-token';

describe('embedded broker, server-side subscriptions', () => {
  it(`takes in a burst of ${BURST} messages without overflowing the stack, every one in order`, async () => {
    const topics = createTopics('loa');
    const broker = new EmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      portFallback: false,
      topics,
      authenticator: {
        authenticate: (deviceId, token) => (deviceId === RECEIVER && token === TOKEN ? { deviceId, areaPath: ['commune'] } : null),
        accessOf: (deviceId) => (deviceId === RECEIVER ? { deviceId, areaPath: ['commune'] } : null),
        areaOf: () => 'commune',
      },
      viewers: undefined,
      logger: pino({ level: 'silent' }),
    });
    await broker.start();
    try {
      const received: number[] = [];
      await broker.subscribe(topics.allDevices('event'), (_topic, payload) => received.push(Number(payload.toString())));
      // A receiver subscribed to its commands: each delivery to its socket takes a while, so a
      // burst of commands fills mqemitter's slots and the reports behind them queue.
      const receiver = await mqtt.connectAsync(`mqtt://127.0.0.1:${(broker.describe() as { tcpPort: number }).tcpPort}`, {
        clientId: RECEIVER,
        username: RECEIVER,
        password: TOKEN,
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
      await receiver.subscribeAsync(topics.device(RECEIVER, 'command'), { qos: 1 });
      const commandTopic = topics.device(RECEIVER, 'command');
      const topic = topics.device('rx-burst', 'event');
      try {
        await Promise.all([
          ...Array.from({ length: 500 }, () => broker.publish(commandTopic, Buffer.from('{}'), DEVICE_CHANNEL_FLAGS.command)),
          ...Array.from({ length: BURST }, (_, index) => broker.publish(topic, Buffer.from(String(index)), DEVICE_CHANNEL_FLAGS.event)),
        ]);
      } finally {
        await receiver.endAsync();
      }
      await expect.poll(() => received.length, { timeout: 20_000 }).toBe(BURST);
      expect(received).toEqual(Array.from({ length: BURST }, (_, index) => index));
    } finally {
      await broker.stop();
    }
  });
});
