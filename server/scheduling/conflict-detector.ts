/**
 * Which planned plays collide on a receiver. Two plays conflict when their intervals
 * [startAt, endAt) overlap (plays that only touch do not) and they share at least one device.
 * Equal priorities → `overlap` on both (the receiver queues the later one); otherwise the higher
 * one `preempts` and the lower one is `preempted-by` (PRIORITY_RANK in protocol/schemas.ts).
 * A play with endAt ≤ startAt occupies no time and conflicts with nothing.
 *
 * Sweep line: plays sorted by start; a play is compared only with the plays still running when it
 * starts. Device lists are intersected as bitsets (one bit per distinct device), memoised per pair
 * of deviceIds arrays, so the cost is O(n log n + overlapping pairs × devices / 32) and far less
 * when plays of one broadcast share their deviceIds array.
 */
import { PRIORITY_RANK, type Priority } from '../../protocol/schemas.js';

export interface PlannedPlay {
  /** Unique per play; conflicts are reported under it. */
  readonly key: string;
  readonly broadcastId: string;
  readonly priority: Priority;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly deviceIds: readonly string[];
}

export interface PlayConflict {
  /** overlap: equal priority, will be queued; preempts / preempted-by: the higher priority interrupts. */
  readonly kind: 'overlap' | 'preempts' | 'preempted-by';
  readonly withKey: string;
  readonly withBroadcastId: string;
  /** Receivers both plays target. */
  readonly deviceCount: number;
}

interface Entry {
  readonly play: PlannedPlay;
  readonly start: number;
  readonly end: number;
  readonly rank: number;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Shared-device counting. Devices get dense indices; two long lists are intersected as bitsets
 * (distinct devices / 32 word ANDs), a pair where one list is shorter than that through a Set of
 * the other, so neither time nor memory goes much beyond the lists' own size. Plays built from the
 * same target usually share one deviceIds array (every occurrence of a broadcast), so bitsets, sets
 * and results are kept per array, and per pair of arrays.
 */
class DeviceOverlap {
  private readonly index = new Map<string, number>();
  private readonly arrays = new Map<readonly string[], number>();
  private readonly bitsets = new Map<number, Uint32Array>();
  private readonly sets = new Map<number, ReadonlySet<string>>();
  private readonly memo = new Map<number, number>();

  constructor(plays: readonly PlannedPlay[]) {
    for (const play of plays) {
      if (this.arrays.has(play.deviceIds)) continue;
      this.arrays.set(play.deviceIds, this.arrays.size);
      for (const id of play.deviceIds) if (!this.index.has(id)) this.index.set(id, this.index.size);
    }
  }

  private bits(array: readonly string[], id: number): Uint32Array {
    let bits = this.bitsets.get(id);
    if (!bits) {
      bits = new Uint32Array(Math.ceil(this.index.size / 32));
      for (const device of array) {
        const i = this.index.get(device) ?? 0;
        bits[i >>> 5] = (bits[i >>> 5] ?? 0) | (1 << (i & 31));
      }
      this.bitsets.set(id, bits);
    }
    return bits;
  }

  private set(array: readonly string[], id: number): ReadonlySet<string> {
    let set = this.sets.get(id);
    if (!set) {
      set = new Set(array);
      this.sets.set(id, set);
    }
    return set;
  }

  /** Distinct devices both lists contain. */
  shared(a: readonly string[], b: readonly string[]): number {
    if (a.length === 0 || b.length === 0) return 0;
    const idA = this.arrays.get(a) ?? 0;
    const idB = this.arrays.get(b) ?? 0;
    const key = idA < idB ? idA * this.arrays.size + idB : idB * this.arrays.size + idA;
    let count = this.memo.get(key);
    if (count !== undefined) return count;
    count = 0;
    if (idA === idB) {
      count = this.set(a, idA).size;
    } else if (Math.min(a.length, b.length) < this.index.size / 32) {
      const [small, smallId, large, largeId] = a.length <= b.length ? [a, idA, b, idB] : [b, idB, a, idA];
      const other = this.set(large, largeId);
      for (const device of this.set(small, smallId)) if (other.has(device)) count++;
    } else {
      const x = this.bits(a, idA);
      const y = this.bits(b, idB);
      for (let i = 0; i < x.length; i++) count += popcount((x[i] ?? 0) & (y[i] ?? 0));
    }
    this.memo.set(key, count);
    return count;
  }
}

/** Conflict kinds of (the later play, the earlier one), indexed by sign(rank difference) + 1. */
const KINDS = [
  ['preempted-by', 'preempts'],
  ['overlap', 'overlap'],
  ['preempts', 'preempted-by'],
] as const;

/**
 * Conflicts of every play, keyed by play key (every key present; an empty list when it has none),
 * each list in the order of the other plays' start. Throws on a duplicate key.
 */
export function findConflicts(plays: readonly PlannedPlay[]): Map<string, PlayConflict[]> {
  const result = new Map<string, PlayConflict[]>();
  for (const play of plays) {
    if (result.has(play.key)) throw new Error(`duplicate play key ${play.key}`);
    result.set(play.key, []);
  }
  const entries: Entry[] = plays
    .map((play) => ({ play, start: play.startAt.getTime(), end: play.endAt.getTime(), rank: PRIORITY_RANK[play.priority] }))
    .sort((a, b) => a.start - b.start || a.end - b.end);

  const overlap = new DeviceOverlap(plays);
  let active: Entry[] = [];
  for (const entry of entries) {
    // Drop the plays that ended at or before this start (touching is not overlapping).
    if (active.some((a) => a.end <= entry.start)) active = active.filter((a) => a.end > entry.start);
    if (entry.end <= entry.start) continue;
    for (const other of active) {
      // Sorted by start and still running: other.start <= entry.start < other.end.
      const shared = overlap.shared(entry.play.deviceIds, other.play.deviceIds);
      if (shared === 0) continue;
      const [kindEntry, kindOther] = KINDS[Math.sign(entry.rank - other.rank) + 1] ?? KINDS[1];
      result.get(entry.play.key)?.push({ kind: kindEntry, withKey: other.play.key, withBroadcastId: other.play.broadcastId, deviceCount: shared });
      result.get(other.play.key)?.push({ kind: kindOther, withKey: entry.play.key, withBroadcastId: entry.play.broadcastId, deviceCount: shared });
    }
    active.push(entry);
  }
  return result;
}
