/**
 * aedes' in-memory persistence, except for how it finds retained messages. The stock one answers
 * every SUBSCRIBE by testing each retained topic against each filter (aedes-persistence 11,
 * asyncPersistence.js retainedMessagesByPattern), so a receiver connecting costs time in
 * proportion to the whole fleet: every receiver has a retained config, schedule and availability,
 * and 10,000 receivers subscribing to six topics each made 1.8 billion topic matches. Receivers
 * subscribe to exact topics only, which this answers with one map lookup; a filter with a
 * wildcard (the console's live view) still scans, as before.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type { AedesPersistence } from 'aedes-persistence';
import type { AedesPacket } from 'aedes-packet';

const require = createRequire(import.meta.url);

/** Only PUBLISH packets are retained. */
type RetainedPacket = AedesPacket & { readonly topic: string; readonly payload: Buffer | string };

interface AsyncMemoryPersistence {
  storeRetained(packet: RetainedPacket): Promise<void>;
  createRetainedStream(pattern: string): Readable;
  createRetainedStreamCombi(patterns: string[]): Readable;
}
type AsyncMemoryPersistenceClass = new (options?: object) => AsyncMemoryPersistence;
type CallBackPersistenceClass = new (factory: (options: object) => AsyncMemoryPersistence, options?: object) => AedesPersistence;

// Deep imports: the package exports only its callback wrapper around these two (persistence.js).
const MemoryPersistence = require('aedes-persistence/asyncPersistence.js') as AsyncMemoryPersistenceClass;
const { CallBackPersistence } = require('aedes-persistence/callBackPersistence.js') as { CallBackPersistence: CallBackPersistenceClass };

const hasWildcard = (filter: string) => filter.includes('+') || filter.includes('#');

/** MQTT 3.1.1 §4.7.2: a filter starting with a wildcard does not match topics starting with `$`. */
function matches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const want = filter.split('/');
  const have = topic.split('/');
  for (let index = 0; index < want.length; index++) {
    const part = want[index];
    if (part === '#') return true;
    if (index >= have.length) return false;
    if (part !== '+' && part !== have[index]) return false;
  }
  return want.length === have.length;
}

class IndexedRetainedMemoryPersistence extends MemoryPersistence {
  private readonly retained = new Map<string, RetainedPacket>();

  override async storeRetained(packet: RetainedPacket): Promise<void> {
    // A retained message with an empty payload clears the topic (§3.3.1.3).
    if (packet.payload.length === 0) this.retained.delete(packet.topic);
    else this.retained.set(packet.topic, { ...packet });
  }

  override createRetainedStream(pattern: string): Readable {
    return this.createRetainedStreamCombi([pattern]);
  }

  override createRetainedStreamCombi(patterns: string[]): Readable {
    return Readable.from(this.retainedFor(patterns), { objectMode: true });
  }

  private *retainedFor(patterns: readonly string[]): Generator<RetainedPacket> {
    for (const pattern of patterns) {
      if (!hasWildcard(pattern)) {
        const packet = this.retained.get(pattern);
        if (packet) yield packet;
        continue;
      }
      for (const [topic, packet] of this.retained) if (matches(pattern, topic)) yield packet;
    }
  }
}

export function indexedRetainedPersistence(): AedesPersistence {
  return new CallBackPersistence((options) => new IndexedRetainedMemoryPersistence(options));
}
