/**
 * The period a report covers, as Vietnam calendar days (`2026-11-27`, the last day included, as
 * the report routes read them): today, this week (Monday to Sunday, as Vietnamese calendars run),
 * this month, or days the official picks. Kept in the page's hash so a report can be bookmarked.
 */
import { zonedInputValue } from './format.js';

export const PERIOD_PRESETS = ['today', 'week', 'month', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export interface ReportPeriod {
  readonly preset: PeriodPreset;
  readonly from: string;
  readonly to: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A calendar day that exists (not 2026-02-30). */
export function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** Calendar arithmetic on day strings: no clock or zone involved. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The day in Vietnam at `now`. */
export function vietnamToday(now: Date): string {
  return zonedInputValue(now).date;
}

export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, now: Date): ReportPeriod {
  const today = vietnamToday(now);
  switch (preset) {
    case 'today':
      return { preset, from: today, to: today };
    case 'week': {
      // getUTCDay of the day string: 0 is Sunday, which ends the week.
      const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
      const monday = addDays(today, weekday === 0 ? -6 : 1 - weekday);
      return { preset, from: monday, to: addDays(monday, 6) };
    }
    case 'month': {
      const first = `${today.slice(0, 8)}01`;
      const nextFirst = addDays(first, 32).slice(0, 8) + '01';
      return { preset, from: first, to: addDays(nextFirst, -1) };
    }
  }
}

/** The period in a report's hash query: `p=week`, or `from` and `to` for days picked; today otherwise. */
export function periodFromQuery(query: URLSearchParams, now: Date): ReportPeriod {
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  if (isDay(from) && isDay(to)) return { preset: 'custom', from, to };
  const preset = query.get('p');
  return presetPeriod(preset === 'week' || preset === 'month' ? preset : 'today', now);
}

/** The query entries that bring `period` back (a preset moves with the calendar; picked days do not). */
export function periodParams(period: ReportPeriod): Record<string, string> {
  return period.preset === 'custom' ? { from: period.from, to: period.to } : { p: period.preset };
}

/** As the report routes allow (server/reports/report-period.ts MAX_PERIOD_DAYS). */
export const MAX_PERIOD_DAYS = 366;

export type PeriodProblem = { readonly field: 'from' | 'to'; readonly problem: 'invalid' | 'order' | 'tooLong' };

/** What is wrong with days an official picked, named by field, before asking the server. */
export function checkPickedPeriod(from: string, to: string): PeriodProblem | null {
  if (!isDay(from)) return { field: 'from', problem: 'invalid' };
  if (!isDay(to)) return { field: 'to', problem: 'invalid' };
  if (to < from) return { field: 'to', problem: 'order' };
  // `to` is included: the period runs to the start of the day after it.
  if ((Date.parse(addDays(to, 1)) - Date.parse(from)) / DAY_MS > MAX_PERIOD_DAYS) return { field: 'to', problem: 'tooLong' };
  return null;
}
