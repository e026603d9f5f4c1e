/**
 * Time-zone arithmetic with Intl only: the wall clock of an instant in an IANA zone, and the
 * instant of a wall-clock reading. Intl is slow (a formatToParts call costs microseconds), so the
 * UTC offset is cached per zone and per UTC hour; an hour whose two ends disagree holds a
 * transition, which is found to the second by bisection and cached too. Expanding a month of a
 * per-minute cron therefore costs about one Intl call per hour of the window, not one per minute.
 *
 * Rules for local times the zone skips or repeats (the same as vixie cron, see cron(8) "Daylight
 * Saving Time and other time changes"):
 * - gap: a local time that does not exist (Europe/Berlin 2026-03-29 02:30) resolves to the first
 *   instant after the gap, i.e. the transition itself (03:00 CEST = 01:00 UTC);
 * - overlap: a local time that happens twice (Europe/Berlin 2026-10-25 02:30) resolves to its
 *   first instant (02:30 CEST = 00:30 UTC), so a schedule fires once, not twice.
 *
 * Assumes at most one offset change per UTC hour and per two days around a reading, which holds
 * for every zone in the tz database.
 */
import { type LocalDate, formatLocalDate, utcMs } from './local-date.js';

export interface LocalTime {
  readonly hour: number;
  readonly minute: number;
  readonly second?: number;
}

export interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Bound on cached hours per zone; a long-running server that plans far and wide starts over. */
const MAX_CACHED_HOURS = 200_000;

/** An hour with a fixed offset, or one holding a transition at `at`. */
type HourOffset = number | { readonly before: number; readonly after: number; readonly at: number };

interface ZoneCache {
  readonly formatter: Intl.DateTimeFormat;
  /** Offset (ms) at the start of UTC hour h, straight from Intl. */
  readonly boundaries: Map<number, number>;
  readonly hours: Map<number, HourOffset>;
}

const zones = new Map<string, ZoneCache>();

function zoneCache(timeZone: string): ZoneCache {
  let cache = zones.get(timeZone);
  if (!cache) {
    let formatter: Intl.DateTimeFormat;
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (error) {
      throw new RangeError(`unknown time zone "${timeZone}"`, { cause: error });
    }
    cache = { formatter, boundaries: new Map(), hours: new Map() };
    zones.set(timeZone, cache);
  }
  return cache;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneCache(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Throws a RangeError naming the zone when Intl does not know it. */
export function assertTimeZone(timeZone: string): void {
  zoneCache(timeZone);
}

/** The offset Intl reports at an instant (whole seconds; sub-second parts are ignored). */
function intlOffset(cache: ZoneCache, ms: number): number {
  const seconds = Math.floor(ms / 1000) * 1000;
  const f: Record<string, number> = {};
  for (const part of cache.formatter.formatToParts(seconds)) {
    if (part.type !== 'literal') f[part.type] = Number(part.value);
  }
  const hour = f.hour === 24 ? 0 : (f.hour ?? 0);
  return utcMs(f.year ?? 1970, f.month ?? 1, f.day ?? 1, hour, f.minute ?? 0, f.second ?? 0) - seconds;
}

function boundaryOffset(cache: ZoneCache, hour: number): number {
  let offset = cache.boundaries.get(hour);
  if (offset === undefined) {
    offset = intlOffset(cache, hour * HOUR_MS);
    cache.boundaries.set(hour, offset);
  }
  return offset;
}

function hourOffset(cache: ZoneCache, hour: number): HourOffset {
  let entry = cache.hours.get(hour);
  if (entry !== undefined) return entry;
  if (cache.hours.size > MAX_CACHED_HOURS) {
    cache.hours.clear();
    cache.boundaries.clear();
  }
  const before = boundaryOffset(cache, hour);
  const after = boundaryOffset(cache, hour + 1);
  if (before === after) {
    entry = before;
  } else {
    // Bisect on whole seconds: the first second of the hour that already has the new offset.
    let lo = hour * 3600; // has `before`
    let hi = (hour + 1) * 3600; // has `after`
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (intlOffset(cache, mid * 1000) === before) lo = mid;
      else hi = mid;
    }
    entry = { before, after, at: hi * 1000 };
  }
  cache.hours.set(hour, entry);
  return entry;
}

function offsetAt(cache: ZoneCache, ms: number): number {
  const entry = hourOffset(cache, Math.floor(ms / HOUR_MS));
  return typeof entry === 'number' ? entry : ms < entry.at ? entry.before : entry.after;
}

/** UTC offset of the zone at an instant, in minutes (east positive: Asia/Ho_Chi_Minh is 420). */
export function offsetMinutes(instant: Date | number, timeZone: string): number {
  return offsetAt(zoneCache(timeZone), +instant) / 60_000;
}

/** Wall-clock fields of an instant in a zone. */
export function localFields(instant: Date | number, timeZone: string): LocalDateTime {
  const ms = +instant;
  const d = new Date(ms + offsetAt(zoneCache(timeZone), ms));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
  };
}

/** `YYYY-MM-DD` of an instant in a zone. */
export function localDateString(instant: Date | number, timeZone: string): string {
  return formatLocalDate(localFields(instant, timeZone));
}

/** Instants (ms) at which the zone's offset changes, within [from, to). */
export function transitionsBetween(from: Date | number, to: Date | number, timeZone: string): number[] {
  const cache = zoneCache(timeZone);
  const out: number[] = [];
  for (let hour = Math.floor(+from / HOUR_MS); hour * HOUR_MS < +to; hour++) {
    const entry = hourOffset(cache, hour);
    if (typeof entry !== 'number' && entry.at >= +from && entry.at < +to) out.push(entry.at);
  }
  return out;
}

/**
 * Every instant (ms, ascending) whose wall clock in the zone reads the given local date and time:
 * none in a gap, two in an overlap, otherwise one.
 */
export function exactInstants(date: LocalDate, time: LocalTime, timeZone: string): number[] {
  const cache = zoneCache(timeZone);
  const naive = utcMs(date.year, date.month, date.day, time.hour, time.minute, time.second ?? 0);
  const early = offsetAt(cache, naive - DAY_MS);
  const late = offsetAt(cache, naive + DAY_MS);
  const out: number[] = [];
  for (const offset of early === late ? [early] : [early, late]) {
    const candidate = naive - offset;
    if (offsetAt(cache, candidate) === offset) out.push(candidate);
  }
  return out.sort((a, b) => a - b);
}

/**
 * The instant a local date and time stand for in a zone: in an overlap the first of the two, in a
 * gap the first instant after it (see the file comment).
 */
export function zonedInstant(date: LocalDate, time: LocalTime, timeZone: string): Date {
  const exact = exactInstants(date, time, timeZone);
  if (exact[0] !== undefined) return new Date(exact[0]);
  const cache = zoneCache(timeZone);
  const naive = utcMs(date.year, date.month, date.day, time.hour, time.minute, time.second ?? 0);
  const before = offsetAt(cache, naive - DAY_MS);
  const after = offsetAt(cache, naive + DAY_MS);
  // The clock jumped from `before` to `after` (after > before); the reading falls between the two
  // instants it would have had under either offset, and so does the transition.
  const [transition] = transitionsBetween(naive - after, naive - before + 1, timeZone);
  if (transition === undefined) throw new Error(`no instant for ${formatLocalDate(date)} ${time.hour}:${time.minute} in ${timeZone}`);
  return new Date(transition);
}

/**
 * zonedInstant for many times of one local day, as epoch ms: on a day without an offset change
 * nearby (almost every day) it is plain arithmetic, so expanding a per-minute schedule does not
 * look up an offset per minute.
 */
export function localDayResolver(date: LocalDate, timeZone: string): (hour: number, minute: number, second?: number) => number {
  const cache = zoneCache(timeZone);
  const midnight = utcMs(date.year, date.month, date.day);
  // Every instant whose wall clock reads this day lies in [midnight - 14 h, midnight + 36 h).
  const offset = offsetAt(cache, midnight - 14 * HOUR_MS);
  if (transitionsBetween(midnight - 14 * HOUR_MS, midnight + 36 * HOUR_MS, timeZone).length === 0) {
    return (hour, minute, second = 0) => midnight + hour * HOUR_MS + minute * 60_000 + second * 1000 - offset;
  }
  return (hour, minute, second = 0) => zonedInstant(date, { hour, minute, second }, timeZone).getTime();
}

/** Drops every cached offset (tests; a tz database update inside a running process). */
export function clearZoneCache(): void {
  zones.clear();
}
