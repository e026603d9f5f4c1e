/**
 * Laying a week of occurrences out: each on the Vietnam day it starts, sorted by time, placed in a
 * day column by minutes, with side-by-side columns where their boxes would cover each other.
 */
import { minutesInto, vietnamDate, weekDays, type LocalDate } from './calendar-week.js';

export type CalendarConflictKind = 'overlap' | 'preempts' | 'preempted-by' | 'quiet-hours';

export interface CalendarConflict {
  readonly kind: CalendarConflictKind;
  readonly withBroadcastId?: string;
  /** Receivers both plays reach (quiet hours: receivers in quiet hours). */
  readonly deviceCount: number;
}

/** One play of GET /api/schedule (server/scheduling/schedule-service.ts CalendarEntry). */
export interface Occurrence {
  readonly broadcastId: string;
  readonly occurrenceId: string | null;
  readonly title: string;
  readonly priority: string;
  readonly startAt: string;
  readonly endAt: string;
  readonly repeatIndex: number;
  /** planned | dispatched | cancelled | missed | upcoming */
  readonly state: string;
  readonly approvalState: string;
  readonly deviceCount: number;
  readonly conflicts: readonly CalendarConflict[];
}

export interface PlacedOccurrence {
  readonly key: string;
  readonly occurrence: Occurrence;
  /** Where the box sits, in minutes from midnight; never shorter than the minimum, never past midnight. */
  readonly top: number;
  readonly bottom: number;
  /** Its column among the boxes it shares time with, and how many columns they need. */
  readonly column: number;
  readonly columns: number;
}

export interface CalendarDay {
  readonly date: LocalDate;
  readonly entries: readonly PlacedOccurrence[];
}

const DAY_MINUTES = 24 * 60;

export function occurrenceKey(occurrence: Occurrence): string {
  return `${occurrence.broadcastId}:${occurrence.startAt}:${occurrence.repeatIndex}`;
}

/**
 * Columns for boxes in one day: a box takes the leftmost column free at its top; boxes that share
 * time directly or through a chain of others form a group and all take the group's column count,
 * so every box in a group has the same width.
 */
export function assignColumns(boxes: readonly { readonly top: number; readonly bottom: number }[]): { column: number; columns: number }[] {
  const order = boxes.map((_, index) => index).sort((a, b) => boxes[a]!.top - boxes[b]!.top || boxes[b]!.bottom - boxes[a]!.bottom);
  const result: { column: number; columns: number }[] = boxes.map(() => ({ column: 0, columns: 1 }));
  let group: number[] = [];
  let columnEnds: number[] = [];
  let groupEnd = -Infinity;
  const closeGroup = () => {
    for (const index of group) result[index]!.columns = columnEnds.length;
    group = [];
    columnEnds = [];
  };
  for (const index of order) {
    const box = boxes[index]!;
    if (box.top >= groupEnd) closeGroup();
    let column = columnEnds.findIndex((end) => end <= box.top);
    if (column === -1) column = columnEnds.length;
    columnEnds[column] = box.bottom;
    result[index]!.column = column;
    group.push(index);
    groupEnd = group.length === 1 ? box.bottom : Math.max(groupEnd, box.bottom);
  }
  closeGroup();
  return result;
}

/**
 * The seven days of the week starting `monday`, each with the occurrences that start on it (in
 * Vietnam), sorted by start. `minMinutes`: the shortest box, so a 30-second bulletin stays legible.
 */
export function layoutWeek(occurrences: readonly Occurrence[], monday: LocalDate, minMinutes: number): CalendarDay[] {
  const byDay = new Map<LocalDate, Occurrence[]>(weekDays(monday).map((date) => [date, []]));
  for (const occurrence of occurrences) byDay.get(vietnamDate(occurrence.startAt))?.push(occurrence);
  return [...byDay].map(([date, list]) => {
    const sorted = [...list].sort((a, b) => a.startAt.localeCompare(b.startAt) || a.endAt.localeCompare(b.endAt) || a.title.localeCompare(b.title));
    const boxes = sorted.map((occurrence) => {
      const start = Math.max(0, minutesInto(date, occurrence.startAt));
      const end = Math.min(DAY_MINUTES, minutesInto(date, occurrence.endAt));
      const top = Math.min(start, DAY_MINUTES - minMinutes);
      return { top, bottom: Math.max(end, top + minMinutes) };
    });
    const columns = assignColumns(boxes);
    return {
      date,
      entries: sorted.map((occurrence, index) => ({ key: occurrenceKey(occurrence), occurrence, ...boxes[index]!, ...columns[index]! })),
    };
  });
}

/**
 * The hours the grid shows: whole hours around everything placed, and at least `defaults`
 * (a commune's usual morning to evening) so an empty or sparse week still reads as a day.
 */
export function visibleHours(days: readonly CalendarDay[], defaults: { from: number; to: number }): { from: number; to: number } {
  let from = defaults.from;
  let to = defaults.to;
  for (const day of days) {
    for (const entry of day.entries) {
      from = Math.min(from, Math.floor(entry.top / 60));
      to = Math.max(to, Math.ceil(entry.bottom / 60));
    }
  }
  return { from: Math.max(0, from), to: Math.min(24, to) };
}
