/**
 * Weeks on Vietnam's clock: a calendar week runs Monday 00:00 to the next Monday 00:00 in
 * Asia/Ho_Chi_Minh, whatever zone the browser is in. Days are `YYYY-MM-DD` wall dates.
 */
import { instantFromZoned, zonedInputValue } from './format.js';

/** A wall date in Vietnam, `2026-11-23`. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const DAYS_IN_WEEK = 7;

function parts(date: LocalDate): [number, number, number] {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** True for a real calendar date written `YYYY-MM-DD` (not 2026-02-30). */
export function isLocalDate(text: string): boolean {
  const match = LOCAL_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The wall date in Vietnam at an instant. */
export function vietnamDate(instant: Date | string | number): LocalDate {
  return zonedInputValue(instant).date;
}

/** Calendar arithmetic on wall dates (no clock involved, so no zone can shift it). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** 0 for Monday … 6 for Sunday: Vietnamese calendars start the week on Monday (Thứ Hai). */
export function mondayIndex(date: LocalDate): number {
  const [year, month, day] = parts(date);
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

/** The Monday of the week a wall date falls in. */
export function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, -mondayIndex(date));
}

/** The Monday of the Vietnamese week an instant falls in. */
export function weekStartAt(instant: Date | string | number): LocalDate {
  return mondayOf(vietnamDate(instant));
}

/** Monday to Sunday. */
export function weekDays(monday: LocalDate): LocalDate[] {
  return Array.from({ length: DAYS_IN_WEEK }, (_, index) => addDays(monday, index));
}

/** The instant a wall date begins in Vietnam. */
export function dayStart(date: LocalDate): Date {
  return instantFromZoned(date, '00:00');
}

/** The week as the window the calendar route takes: [Monday 00:00, next Monday 00:00). */
export function weekWindow(monday: LocalDate): { from: Date; to: Date } {
  return { from: dayStart(monday), to: dayStart(addDays(monday, DAYS_IN_WEEK)) };
}

/** The week a `?week=` value names (any day of it), or the week of `now` when it names none. */
export function weekFromParam(param: string | null, now: Date): LocalDate {
  return param && isLocalDate(param) ? mondayOf(param) : weekStartAt(now);
}

/** Minutes from the start of `date` (Vietnam) to `instant`; negative before, over 1440 after. */
export function minutesInto(date: LocalDate, instant: Date | string): number {
  return (new Date(instant).getTime() - dayStart(date).getTime()) / 60_000;
}
