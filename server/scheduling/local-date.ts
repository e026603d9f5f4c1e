/**
 * Calendar arithmetic on plain local dates (proleptic Gregorian, no time zone): the day numbers,
 * weekdays and month lengths the expander, the lunar calendar and the holiday table share.
 * A local date travels as `YYYY-MM-DD`, the same text recurrence-spec.ts accepts.
 */

export interface LocalDate {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
}

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of a UTC wall-clock reading; unlike Date.UTC, years 0–99 are not moved to 19xx. */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  d.setUTCFullYear(year + d.getUTCFullYear() - 2000);
  return d.getTime();
}

/** Days since 1970-01-01 (negative before). */
export function epochDay(year: number, month: number, day: number): number {
  return Math.floor(utcMs(year, month, day) / DAY_MS);
}

export function fromEpochDay(days: number): LocalDate {
  const d = new Date(days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday, as cron and WEEKDAYS in recurrence-spec.ts count them. */
export function weekdayOf(year: number, month: number, day: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((epochDay(year, month, day) + 4) % 7) + 7) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month + 1, 0)).getUTCDate();
}

export function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Parses `YYYY-MM-DD`, rejecting dates that do not exist (2026-02-30). */
export function parseLocalDate(text: string): LocalDate {
  const match = LOCAL_DATE.exec(text);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`"${text}" is not a date such as 2026-11-25`);
  }
  return { year, month, day };
}

export function addDays(date: string, days: number): string {
  const d = parseLocalDate(date);
  return formatLocalDate(fromEpochDay(epochDay(d.year, d.month, d.day) + days));
}
