import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlaybackEvent } from '../../../protocol/index.js';
import { Outbox, type PlaybackEventInput } from '../../../device-agent/outbox.js';
import { deferred, flush, silentLogger, tempDir, waitFor } from './helpers.js';

function received(commandId: string): PlaybackEventInput {
  return { type: 'received', broadcastId: 'b1', commandId, at: 1_700_000_000_000 };
}

/** A broker stand-in: records publishes and acknowledges when the test says so (or at once). */
class FakeBroker {
  readonly published: PlaybackEvent[] = [];
  private pending: { event: PlaybackEvent; ack: () => void; fail: (e: Error) => void }[] = [];
  autoAck = true;
  publish = (event: PlaybackEvent): Promise<void> => {
    this.published.push(event);
    if (this.autoAck) return Promise.resolve();
    const gate = deferred<void>();
    this.pending.push({ event, ack: () => gate.resolve(), fail: gate.reject });
    return gate.promise;
  };
  ackAll(): void {
    for (const p of this.pending.splice(0)) p.ack();
  }
  failAll(): void {
    for (const p of this.pending.splice(0)) p.fail(new Error('connection closed'));
  }
}

describe('outbox', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  const eventFiles = async () => (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();

  it('numbers events, writes each to disk before publishing, and removes it when acknowledged', async () => {
    const broker = new FakeBroker();
    broker.autoAck = false;
    const outbox = new Outbox({ dir, logger: silentLogger, publish: broker.publish });
    await outbox.open();
    outbox.setOnline(true);
    const first = await outbox.append(received('c1'));
    const second = await outbox.append(received('c2'));
    expect([first.seq, second.seq]).toEqual([0, 1]);
    expect(await eventFiles()).toEqual(['000000000000.json', '000000000001.json']);
    expect(JSON.parse(await readFile(path.join(dir, '000000000001.json'), 'utf8'))).toEqual(second);
    expect(broker.published.map((e) => e.seq)).toEqual([0, 1]);
    expect(outbox.pendingCount).toBe(2);
    broker.ackAll();
    await flush();
    expect(outbox.pendingCount).toBe(0);
    await waitFor(async () => expect(await eventFiles()).toEqual([]));
  });

  it('holds events while offline and publishes them in order on reconnect', async () => {
    const broker = new FakeBroker();
    const outbox = new Outbox({ dir, logger: silentLogger, publish: broker.publish });
    await outbox.open();
    for (const id of ['c1', 'c2', 'c3']) await outbox.append(received(id));
    expect(broker.published).toEqual([]);
    outbox.setOnline(true);
    await flush();
    expect(broker.published.map((e) => [e.seq, e.commandId])).toEqual([
      [0, 'c1'],
      [1, 'c2'],
      [2, 'c3'],
    ]);
    await waitFor(async () => expect(await eventFiles()).toEqual([]));
  });

  it('survives a restart: unacknowledged events are re-sent in order, and seq keeps increasing', async () => {
    const broker = new FakeBroker();
    broker.autoAck = false;
    const before = new Outbox({ dir, logger: silentLogger, publish: broker.publish });
    await before.open();
    before.setOnline(true);
    for (const id of ['c1', 'c2', 'c3']) await before.append(received(id));
    await before.close(); // "crash": nothing acknowledged

    const after = new FakeBroker();
    const reopened = new Outbox({ dir, logger: silentLogger, publish: after.publish });
    await reopened.open();
    expect(reopened.pendingCount).toBe(3);
    reopened.setOnline(true);
    await flush();
    expect(after.published.map((e) => [e.seq, e.commandId])).toEqual([
      [0, 'c1'],
      [1, 'c2'],
      [2, 'c3'],
    ]);
    await flush();
    expect(reopened.pendingCount).toBe(0);
    expect((await reopened.append(received('c4'))).seq).toBe(3);
    await reopened.close();

    // Everything acknowledged and removed: the persisted counter still continues the sequence.
    const third = new Outbox({ dir, logger: silentLogger, publish: after.publish });
    await third.open();
    expect((await third.append(received('c5'))).seq).toBe(4);
  });

  it('re-sends an event whose publish failed when the link comes back', async () => {
    const broker = new FakeBroker();
    broker.autoAck = false;
    const outbox = new Outbox({ dir, logger: silentLogger, publish: broker.publish, retryDelayMs: 60_000 });
    await outbox.open();
    outbox.setOnline(true);
    await outbox.append(received('c1'));
    outbox.setOnline(false);
    broker.failAll();
    await flush();
    expect(outbox.pendingCount).toBe(1);
    broker.autoAck = true;
    outbox.setOnline(true);
    await flush();
    expect(broker.published.map((e) => e.seq)).toEqual([0, 0]);
    await flush();
    expect(outbox.pendingCount).toBe(0);
    await outbox.close();
  });

  it('does not publish an in-flight event twice on the same link, and caps what is in flight', async () => {
    const broker = new FakeBroker();
    broker.autoAck = false;
    const outbox = new Outbox({ dir, logger: silentLogger, publish: broker.publish, maxInFlight: 2 });
    await outbox.open();
    for (const id of ['c1', 'c2', 'c3']) await outbox.append(received(id));
    outbox.setOnline(true);
    outbox.setOnline(true);
    expect(broker.published.map((e) => e.seq)).toEqual([0, 1]);
    broker.ackAll();
    await flush();
    expect(broker.published.map((e) => e.seq)).toEqual([0, 1, 2]);
  });

  it('drops a corrupt entry on open instead of failing', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, '000000000007.json'), '{not json');
    await writeFile(path.join(dir, '000000000008.json'), JSON.stringify({ ...received('c9'), seq: 8 }));
    const broker = new FakeBroker();
    const outbox = new Outbox({ dir, logger: silentLogger, publish: broker.publish });
    await outbox.open();
    expect(outbox.pendingCount).toBe(1);
    expect((await outbox.append(received('c10'))).seq).toBe(9);
  });
});
