/**
 * A conflict as an official reads it: the server says "overlap with broadcast X on 3 receivers";
 * the calendar says which bulletin that is, at what time, and what will happen (which one waits,
 * which one is cut off, who stays silent).
 */
import type { CalendarConflict, Occurrence } from './calendar-layout.js';

export type ConflictStory =
  /** Same priority; this one starts later (or together) and plays once the other is over. */
  | 'waits-for'
  /** Same priority; the other starts later and waits for this one. */
  | 'delays'
  /** Same priority and the same start: they play one after the other. */
  | 'together'
  | 'interrupts'
  | 'interrupted-by'
  | 'quiet-hours';

export interface ConflictDescription {
  readonly story: ConflictStory;
  /** The other bulletin's title, when the calendar holds it. */
  readonly withTitle: string | null;
  /** When the other play starts, when the calendar holds it. */
  readonly withStartAt: string | null;
  readonly deviceCount: number;
}

const overlaps = (a: Occurrence, b: Occurrence) => a.startAt < b.endAt && b.startAt < a.endAt;

/** The conflicts of one play in words, once per kind and other broadcast, from the plays around it. */
export function describeConflicts(occurrence: Occurrence, all: readonly Occurrence[]): ConflictDescription[] {
  const seen = new Set<string>();
  const result: ConflictDescription[] = [];
  for (const conflict of occurrence.conflicts) {
    const id = `${conflict.kind}:${conflict.withBroadcastId ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    result.push(describe(occurrence, conflict, all));
  }
  return result;
}

function describe(occurrence: Occurrence, conflict: CalendarConflict, all: readonly Occurrence[]): ConflictDescription {
  if (conflict.kind === 'quiet-hours') return { story: 'quiet-hours', withTitle: null, withStartAt: null, deviceCount: conflict.deviceCount };
  const sameBroadcast = all.filter((other) => other.broadcastId === conflict.withBroadcastId);
  const other = sameBroadcast.find((candidate) => candidate !== occurrence && overlaps(candidate, occurrence)) ?? sameBroadcast[0];
  const withTitle = other?.title ?? null;
  const withStartAt = other && overlaps(other, occurrence) ? other.startAt : null;
  const story: ConflictStory =
    conflict.kind === 'preempts'
      ? 'interrupts'
      : conflict.kind === 'preempted-by'
        ? 'interrupted-by'
        : withStartAt === null || withStartAt === occurrence.startAt
          ? 'together'
          : withStartAt < occurrence.startAt
            ? 'waits-for'
            : 'delays';
  return { story, withTitle, withStartAt, deviceCount: conflict.deviceCount };
}

/** Plays that will not happen are not conflicts worth showing. */
export function hasLiveConflicts(occurrence: Occurrence): boolean {
  return occurrence.conflicts.length > 0 && occurrence.state !== 'cancelled' && occurrence.state !== 'missed';
}
