/**
 * Quiet hours: a local-time span per area (22:00–05:00 may wrap midnight) inside which only
 * emergencies play. Rules:
 * - the span is [start, end) on the wall clock of the zone: 22:00 is quiet, 05:00 is not;
 * - start === end is an empty span — never quiet. An area can set it to switch off quiet hours it
 *   would otherwise inherit;
 * - an area without quiet hours (no entry, or null) inherits those of the nearest area above it.
 */
import { epochDay, fromEpochDay } from './local-date.js';
import { DEFAULT_TIMEZONE, type QuietHours } from './recurrence-spec.js';
import { exactInstants, localFields, transitionsBetween } from './zoned-time.js';

function secondsOfDay(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`quiet hours: "${text}" must be a 24-hour time such as 22:00`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60;
}

/** Whether a wall-clock second of the day (0–86 399) is inside the span. */
function inSpan(second: number, quietHours: QuietHours): boolean {
  const start = secondsOfDay(quietHours.start);
  const end = secondsOfDay(quietHours.end);
  if (start === end) return false;
  return start < end ? second >= start && second < end : second >= start || second < end;
}

/** Whether an instant falls in the quiet hours, read on the wall clock of `timezone`. */
export function isInQuietHours(instant: Date, quietHours: QuietHours | null | undefined, timezone: string = DEFAULT_TIMEZONE): boolean {
  if (!quietHours) return false;
  const f = localFields(instant, timezone);
  return inSpan(f.hour * 3600 + f.minute * 60 + f.second, quietHours);
}

/**
 * The quiet hours that apply to the leaf of `areaPath` (root → leaf): those of the nearest area,
 * walking up from the leaf, that sets them; null when none does.
 */
export function effectiveQuietHours(areaPath: readonly string[], byArea: ReadonlyMap<string, QuietHours | null | undefined>): QuietHours | null {
  for (let i = areaPath.length - 1; i >= 0; i--) {
    const quiet = byArea.get(areaPath[i] ?? '');
    if (quiet) return quiet;
  }
  return null;
}

/**
 * Whether a play over [startAt, endAt) touches the quiet hours. Wall-clock quietness only changes
 * where the local time passes `start` or the clock jumps (a DST change), so it is enough to test the
 * start of the play and each such instant inside it. A zero-length play is tested at its instant.
 */
export function overlapsQuietHours(startAt: Date, endAt: Date, quietHours: QuietHours | null | undefined, timezone: string = DEFAULT_TIMEZONE): boolean {
  if (!quietHours || quietHours.start === quietHours.end) return false;
  const from = startAt.getTime();
  const to = endAt.getTime();
  if (isInQuietHours(startAt, quietHours, timezone)) return true;
  if (to <= from) return false;
  const [hour = 0, minute = 0] = quietHours.start.split(':').map(Number);
  const first = localFields(from, timezone);
  const last = localFields(to, timezone);
  const lastDay = epochDay(last.year, last.month, last.day);
  // Plays are minutes long; a long one costs one step per day it spans.
  for (let day = epochDay(first.year, first.month, first.day); day <= lastDay; day++) {
    for (const at of exactInstants(fromEpochDay(day), { hour, minute }, timezone)) {
      if (at > from && at < to) return true;
    }
  }
  for (const at of transitionsBetween(from + 1, to, timezone)) {
    if (isInQuietHours(new Date(at), quietHours, timezone)) return true;
  }
  return false;
}
