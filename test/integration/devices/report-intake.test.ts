/**
 * Reports that arrive before the server has written what they report on: an emergency's command
 * goes out while its deliveries are still being written, so a receiver's `received` can beat its
 * delivery row. The event is kept and applied once the row exists; one whose row never comes is
 * stored without a delivery update after a while, with a log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePayload } from '../../../protocol/index.js';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import { connectAsDevice } from '../../helpers/device-connection.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

describe('report intake ahead of its deliveries', () => {
  let server: TestServer;
  let api: ApiClient;
  const logLines: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ logLines });
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
  });
  afterAll(async () => server?.close());

  it('applies an event to its delivery once the delivery is written, and gives up on one that never is', async () => {
    const areaId = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Mường Khến', kind: 'commune' })).body.id;
    const device = (await api.post<{ id: string; token: string }>('/api/devices', { name: 'Loa chợ', areaId })).body;
    const bulletin = await api.post<{ id: string }>('/api/bulletins', { title: 'Thông báo', text: 'Chiều nay họp thôn.' });
    // An hour ahead: planned, but not sent yet, so it has an occurrence and no delivery.
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { deviceIds: [device.id] },
      startAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const occurrence = await waitFor(
      async () => (await api.get<{ occurrences: { id: string }[] }>(`/api/broadcasts/${broadcast.body.id}`)).body.occurrences[0],
      { what: 'the occurrence planned' },
    );
    const prisma = server.database.prisma;
    expect(await prisma.delivery.count({ where: { occurrenceId: occurrence.id } })).toBe(0);

    const client = await connectAsDevice(server, device);
    try {
      const topic = server.topics.device(device.id, 'event');
      const receivedAt = Date.now();
      await client.publishAsync(topic, encodePayload({ type: 'received', seq: 1, broadcastId: broadcast.body.id, commandId: occurrence.id, at: receivedAt }), { qos: 1 });
      await client.publishAsync(topic, encodePayload({ type: 'received', seq: 2, broadcastId: broadcast.body.id, commandId: 'never-written', at: receivedAt }), { qos: 1 });
      await server.intake.flush();
      expect(await prisma.deviceEvent.count({ where: { deviceId: device.id } })).toBe(2);

      // The row comes a moment later, as an emergency's does.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await prisma.delivery.create({
        data: { occurrenceId: occurrence.id, broadcastId: broadcast.body.id, deviceId: device.id, commandId: occurrence.id, state: 'sent', sentAt: new Date() },
      });
      const delivery = await waitFor(
        async () => {
          const row = await prisma.delivery.findUnique({ where: { occurrenceId_deviceId: { occurrenceId: occurrence.id, deviceId: device.id } } });
          return row?.state === 'received' ? row : undefined;
        },
        { what: 'the delivery moved on by the early event' },
      );
      expect(delivery.receivedAt?.getTime()).toBe(receivedAt);

      await waitFor(async () => logLines.some((line) => line.includes('event for an unknown delivery stored without a delivery update')), {
        what: 'the event without a delivery given up on',
        timeoutMs: 20_000,
      });
      expect(logLines.filter((line) => line.includes('event for an unknown delivery'))).toHaveLength(1);
    } finally {
      await client.endAsync();
    }
  }, 60_000);
});
