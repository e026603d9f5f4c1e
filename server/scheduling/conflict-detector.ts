/**
 * Which planned plays collide on a receiver. Two plays conflict when their intervals
 * [startAt, endAt) overlap (plays that only touch do not) and they share at least one device.
 * Equal priorities → `overlap` on both (the receiver queues the later one); otherwise the higher
 * one `preempts` and the lower one is `preempted-by` (PRIORITY_RANK in protocol/schemas.ts).
 * A play with endAt ≤ startAt occupies no time and conflicts with nothing.
 *
 * Sweep line: plays sorted by start; a play is compared only with the plays still running when it
 * starts, and devices are intersected through a Set of the larger side, so the cost is
 * O(n log n + Σ over overlapping pairs of the smaller device list).
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
  devices?: ReadonlySet<string>;
}

function deviceSet(entry: Entry): ReadonlySet<string> {
  entry.devices ??= new Set(entry.play.deviceIds);
  return entry.devices;
}

function sharedDevices(a: Entry, b: Entry): number {
  const [small, large] = a.play.deviceIds.length <= b.play.deviceIds.length ? [a, b] : [b, a];
  if (small.play.deviceIds.length === 0) return 0;
  const set = deviceSet(large);
  let count = 0;
  // Count distinct ids even if a caller's list repeats one.
  for (const id of small.play.deviceIds.length > 1 ? deviceSet(small) : small.play.deviceIds) if (set.has(id)) count++;
  return count;
}

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

  let active: Entry[] = [];
  for (const entry of entries) {
    // Drop the plays that ended at or before this start (touching is not overlapping).
    if (active.some((a) => a.end <= entry.start)) active = active.filter((a) => a.end > entry.start);
    if (entry.end <= entry.start) continue;
    for (const other of active) {
      // Sorted by start and still running: other.start <= entry.start < other.end.
      const shared = sharedDevices(entry, other);
      if (shared === 0) continue;
      const [kindEntry, kindOther] =
        entry.rank === other.rank ? (['overlap', 'overlap'] as const) : entry.rank > other.rank ? (['preempts', 'preempted-by'] as const) : (['preempted-by', 'preempts'] as const);
      result.get(entry.play.key)?.push({ kind: kindEntry, withKey: other.play.key, withBroadcastId: other.play.broadcastId, deviceCount: shared });
      result.get(other.play.key)?.push({ kind: kindOther, withKey: entry.play.key, withBroadcastId: entry.play.broadcastId, deviceCount: shared });
    }
    active.push(entry);
  }
  return result;
}
