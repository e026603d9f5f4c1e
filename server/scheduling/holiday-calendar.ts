/**
 * The named days of recurrence-spec.ts (HOLIDAYS) as local dates, and which calendar exception of
 * a schedule applies on a date. Lunar holidays come from lunar-calendar.ts; every holiday of lunar
 * year Y falls inside solar year Y (Tết between 21 January and 20 February, so its eve too), so
 * `holidayDates(h, year)` is simply "the dates of h in that solar year".
 */
import { addDays } from './local-date.js';
import { lunarToSolar } from './lunar-calendar.js';
import type { CalendarException, Holiday } from './recurrence-spec.js';

const cache = new Map<string, readonly string[]>();

function compute(holiday: Holiday, year: number): string[] {
  const y = String(year).padStart(4, '0');
  switch (holiday) {
    case 'new-year':
      return [`${y}-01-01`];
    case 'tet': {
      // The last day of the old lunar year (29 or 30 of month 12: giao thừa) and lunar 1/1–1/3.
      const first = lunarToSolar({ day: 1, month: 1, year });
      return [addDays(first, -1), first, addDays(first, 1), addDays(first, 2)];
    }
    case 'hung-kings':
      return [lunarToSolar({ day: 10, month: 3, year })];
    case 'reunification':
      return [`${y}-04-30`];
    case 'labour-day':
      return [`${y}-05-01`];
    case 'national-day':
      // 2/9 plus the extra day of the Labour Code 2019 (art. 112). The government picks 1/9 or 3/9
      // each year; we take 1/9. A schedule that needs 3/9 adds a `date` exception.
      return [`${y}-09-01`, `${y}-09-02`];
    case 'mid-autumn':
      return [lunarToSolar({ day: 15, month: 8, year })];
  }
}

/** Local dates (`YYYY-MM-DD`, ascending) of a named holiday in a solar year. */
export function holidayDates(holiday: Holiday, year: number): string[] {
  const key = `${holiday}:${year}`;
  let dates = cache.get(key);
  if (!dates) {
    dates = Object.freeze(compute(holiday, year));
    cache.set(key, dates);
  }
  return [...dates];
}

/** Whether a local date is one of the holiday's dates (in the date's own year). */
export function isHoliday(localDate: string, holiday: Holiday): boolean {
  const year = Number(localDate.slice(0, 4));
  const key = `${holiday}:${year}`;
  const dates = cache.get(key) ?? holidayDates(holiday, year);
  return dates.includes(localDate);
}

/**
 * The exception that governs a local date, or undefined. A `date` exception is more specific than
 * a `holiday` one and wins over it (so "skip Tết, but play the New Year greeting on 1/1" works);
 * among exceptions of the same kind, the first listed wins.
 */
export function matchingException<E extends Pick<CalendarException, 'holiday' | 'date'>>(localDate: string, exceptions: readonly E[]): E | undefined {
  return exceptions.find((e) => e.date === localDate) ?? exceptions.find((e) => e.holiday !== undefined && isHoliday(localDate, e.holiday));
}
