/**
 * When a broadcast plays, in a shape the page can put into words: once at a time, or daily, weekly
 * or monthly at times (weekdays from Monday, as Vietnamese calendars read), or by a cron rule,
 * with the dates it is valid between and how many times each play repeats.
 */
import { WEEKDAYS, type Recurrence, type Repeat, type Weekday } from './approval-types.js';

export type ScheduleRule =
  | { readonly kind: 'once'; readonly at: string }
  /** No time given: it plays as soon as it is approved. */
  | { readonly kind: 'asap' }
  | { readonly kind: 'daily'; readonly times: readonly string[] }
  | { readonly kind: 'weekly'; readonly days: readonly Weekday[]; readonly times: readonly string[] }
  | { readonly kind: 'monthly'; readonly days: readonly number[]; readonly times: readonly string[] }
  | { readonly kind: 'cron'; readonly expression: string };

export interface ScheduleDescription {
  readonly rule: ScheduleRule;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  /** How many times each play is heard (1: once). */
  readonly repeatCount: number;
}

const sortedTimes = (times: readonly string[]) => [...new Set(times)].sort();

export function describeSchedule(schedule: { readonly startAt: string | null; readonly recurrence: Recurrence | null; readonly repeat?: Repeat | null }): ScheduleDescription {
  const { startAt, recurrence } = schedule;
  return {
    rule: recurrence ? ruleOf(recurrence) : startAt ? { kind: 'once', at: startAt } : { kind: 'asap' },
    validFrom: recurrence?.validFrom ?? null,
    validUntil: recurrence?.validUntil ?? null,
    repeatCount: schedule.repeat?.count ?? 1,
  };
}

function ruleOf(recurrence: Recurrence): ScheduleRule {
  if (recurrence.daily) return { kind: 'daily', times: sortedTimes(recurrence.daily.times) };
  if (recurrence.weekly) {
    const days = new Set(recurrence.weekly.days);
    return { kind: 'weekly', days: WEEKDAYS.filter((day) => days.has(day)), times: sortedTimes(recurrence.weekly.times) };
  }
  if (recurrence.monthly) return { kind: 'monthly', days: [...new Set(recurrence.monthly.days)].sort((a, b) => a - b), times: sortedTimes(recurrence.monthly.times) };
  return { kind: 'cron', expression: recurrence.cron ?? '' };
}
