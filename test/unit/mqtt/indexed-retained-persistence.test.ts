/**
 * The broker's persistence with indexed retained messages, held to aedes-persistence's own
 * conformance suite (abstract.js, written for node:test and run here through a small adapter),
 * plus what the index changes: exact topics answered by lookup, wildcards and `$` topics as MQTT says.
 */
import assert from 'node:assert';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { indexedRetainedPersistence } from '../../../server/mqtt/indexed-retained-persistence.js';

const require = createRequire(import.meta.url);
type NodeTestBody = (t: unknown) => Promise<void> | void;
const abstractPersistence = require('aedes-persistence/abstract.js') as (options: {
  test: (name: string, body: NodeTestBody) => void;
  persistence: () => unknown;
  waitForReady?: boolean;
}) => void;

/** node:test's `t` as the suite uses it: assertions counted against `t.plan(n)`. */
function nodeTest(name: string, body: NodeTestBody): void {
  it(name, async () => {
    let planned: number | undefined;
    let made = 0;
    const counted = Object.fromEntries(
      (['equal', 'notEqual', 'deepEqual', 'ok'] as const).map((method) => [
        method,
        (...args: unknown[]) => {
          made++;
          (assert[method] as (...a: unknown[]) => void)(...args);
        },
      ]),
    );
    await body({ assert: counted, plan: (count: number) => (planned = count), diagnostic: () => undefined });
    if (planned !== undefined) expect(made, 'assertions made against t.plan()').toBe(planned);
  });
}

describe('aedes-persistence conformance suite', () => {
  abstractPersistence({ test: nodeTest, persistence: indexedRetainedPersistence, waitForReady: true });
});

async function retained(persistence: ReturnType<typeof indexedRetainedPersistence>, patterns: string[]): Promise<string[]> {
  const topics: string[] = [];
  for await (const packet of persistence.createRetainedStreamCombi(patterns) as Readable) topics.push((packet as { topic: string }).topic);
  return topics.sort();
}

describe('retained messages by index', () => {
  const store = async (persistence: ReturnType<typeof indexedRetainedPersistence>, topic: string, payload = 'x') =>
    new Promise<void>((resolve, reject) =>
      persistence.storeRetained({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: true, brokerId: 'b', brokerCounter: 1, dup: false } as never, (error) =>
        error ? reject(error) : resolve(),
      ),
    );

  it('answers exact topics, wildcards, and clears a topic with an empty payload', async () => {
    const persistence = indexedRetainedPersistence();
    // Given a broker, the persistence sets itself up; until then writes wait for it.
    (persistence as unknown as { broker: object }).broker = { id: 'broker' };
    for (let index = 0; index < 1000; index++) await store(persistence, `loa/device/d${index}/config`);
    await store(persistence, 'loa/server/state');
    await store(persistence, '$SYS/broker/uptime');

    expect(await retained(persistence, ['loa/device/d7/config', 'loa/device/d9/config', 'loa/device/d7/schedule'])).toEqual(['loa/device/d7/config', 'loa/device/d9/config']);
    expect(await retained(persistence, ['loa/server/+'])).toEqual(['loa/server/state']);
    expect(await retained(persistence, ['loa/device/+/config'])).toHaveLength(1000);
    expect(await retained(persistence, ['loa/#'])).toHaveLength(1001);
    // §4.7.2: wildcards at the first level do not reach `$` topics.
    expect(await retained(persistence, ['#'])).toHaveLength(1001);
    expect(await retained(persistence, ['$SYS/#'])).toEqual(['$SYS/broker/uptime']);

    await store(persistence, 'loa/device/d7/config', '');
    expect(await retained(persistence, ['loa/device/d7/config'])).toEqual([]);
  });
});
