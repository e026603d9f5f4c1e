/**
 * Cron as the scheduler understands it. Every recurrence form compiles to five-field cron
 * (minute hour day-of-month month day-of-week); node-cron parses and validates each expression and
 * this file turns its field lists into a day matcher plus the times of day, because node-cron can
 * only walk forward from "now" and the expander needs any window.
 *
 * Semantics, where node-cron and classic cron differ:
 * - Day of month and day of week combine as in vixie cron (cron.c, `DOM_STAR`/`DOW_STAR`): when
 *   both fields are restricted a day matches if EITHER matches (`0 6 1,15 * 1` = the 1st, the 15th
 *   and every Monday); when either field starts with `*` (or is `?`), both must match — so `*\/2`
 *   counts as unrestricted here, exactly as in vixie cron. node-cron itself always ANDs.
 * - Exactly five fields: node-cron's optional leading seconds field is refused (a loudspeaker
 *   schedule has minute resolution). The nicknames @yearly, @monthly, @weekly, @daily, @midnight
 *   and @hourly are accepted.
 * - node-cron's extensions work as it defines them: `L` (last day of month), `L-n`, `nW`, `LW` in
 *   day of month; `nL` (last such weekday) and `n#k` (k-th such weekday) in day of week; names
 *   (`mon`, `jan`); 7 = Sunday; reversed ranges wrap (`fri-mon`).
 * - A day that a month lacks never fires (`0 6 31 * *` skips 30-day months and February).
 */
import cron, { type ParsedFields } from 'node-cron';
import { AppError, type ErrorDetail } from '../errors.js';
import { daysInMonth, parseLocalDate, weekdayOf } from './local-date.js';
import { DEFAULT_TIMEZONE, WEEKDAYS, type Recurrence } from './recurrence-spec.js';
import { isValidTimeZone } from './zoned-time.js';

/** What the expander needs from one expression. */
export interface CronRule {
  /** The expression as compiled (single spaces, nickname resolved). */
  readonly expression: string;
  /** Ascending, distinct. */
  readonly hours: readonly number[];
  /** Ascending, distinct. */
  readonly minutes: readonly number[];
  /** Whether the rule fires on this local date (month, day-of-month and day-of-week fields). */
  matchesDate(year: number, month: number, day: number, weekday?: number): boolean;
}

export type RecurrenceForm = Pick<Recurrence, 'cron' | 'daily' | 'weekly' | 'monthly'>;

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const FIELD_LABELS: Readonly<Record<string, string>> = {
  minute: 'minute',
  hour: 'hour',
  dayOfMonth: 'day of month',
  month: 'month',
  dayOfWeek: 'day of week',
};

function normalise(expression: string): string {
  const trimmed = expression.trim().split(/\s+/).join(' ');
  return NICKNAMES[trimmed.toLowerCase()] ?? trimmed;
}

interface Checked {
  readonly expression: string;
  readonly fields?: ParsedFields;
  readonly messages: string[];
}

function check(input: string): Checked {
  const expression = normalise(input);
  const count = expression === '' ? 0 : expression.split(' ').length;
  if (count !== 5) {
    const seconds = count === 6 ? '; a seconds field is not supported' : '';
    return { expression, messages: [`cron: expected 5 fields (minute hour day-of-month month day-of-week) but got ${count}${seconds}`] };
  }
  const result = cron.validateDetailed(expression);
  if (result.valid && result.fields) return { expression, fields: result.fields, messages: [] };
  const messages = result.errors.map((error) => {
    if (error.field === 'expression') {
      return error.message.includes('illegal characters')
        ? `cron: "${expression}" contains characters cron does not use (allowed: digits, names, * / , - # ? L W)`
        : `cron: ${error.message}`;
    }
    if (/impossible day of month/.test(error.message)) {
      const [, , dayOfMonth = '', month = ''] = expression.split(' ');
      return `cron: day of month ${dayOfMonth} never occurs in month ${month}`;
    }
    return `cron: ${error.value ?? '?'} is not a valid ${FIELD_LABELS[error.field] ?? error.field}`;
  });
  return { expression, messages: messages.length > 0 ? messages : [`cron: "${expression}" is not valid`] };
}

/** Messages naming the offending field (`cron: 61 is not a valid minute`); empty when valid. */
export function validateCron(expression: string): string[] {
  return check(expression).messages;
}

function invalid(messages: readonly string[], field: string): AppError {
  const details: ErrorDetail[] = messages.map((message) => ({ field, message }));
  return new AppError('VALIDATION_FAILED', 400, messages.join('; '), details);
}

function numbers(values: readonly (number | string)[]): number[] {
  return [...new Set(values.filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);
}

function nearestWeekday(year: number, month: number, target: number): number {
  const last = daysInMonth(year, month);
  if (target < 1 || target > last) return -1;
  const weekday = weekdayOf(year, month, target);
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

/** A predicate for one day-of-month token beyond plain numbers, as node-cron defines them. */
function dayOfMonthToken(token: string): (year: number, month: number, day: number) => boolean {
  if (token === 'L') return (y, m, d) => d === daysInMonth(y, m);
  const offset = /^L-(\d{1,2})$/.exec(token);
  if (offset) return (y, m, d) => d === daysInMonth(y, m) - Number(offset[1]);
  const weekday = /^(\d{1,2}|L)W$/.exec(token);
  if (weekday) {
    return (y, m, d) => d === nearestWeekday(y, m, weekday[1] === 'L' ? daysInMonth(y, m) : Number(weekday[1]));
  }
  throw new Error(`unsupported day-of-month token ${token}`);
}

function dayOfWeekToken(token: string): (year: number, month: number, day: number, weekday: number) => boolean {
  const nth = /^([0-7])#([1-5])$/.exec(token);
  if (nth) {
    const target = Number(nth[1]) % 7;
    const k = Number(nth[2]);
    return (_y, _m, d, w) => w === target && Math.floor((d - 1) / 7) + 1 === k;
  }
  const last = /^([0-7])L$/.exec(token);
  if (last) {
    const target = Number(last[1]) % 7;
    return (y, m, d, w) => w === target && d + 7 > daysInMonth(y, m);
  }
  throw new Error(`unsupported day-of-week token ${token}`);
}

/** Parses one five-field expression; throws AppError VALIDATION_FAILED (field `cron`) when invalid. */
export function parseCronRule(input: string): CronRule {
  const { expression, fields, messages } = check(input);
  if (!fields) throw invalid(messages, 'cron');
  const [, , rawDayOfMonth = '*', , rawDayOfWeek = '*'] = expression.split(' ');

  const monthSet = new Set(numbers(fields.month));
  const domNumbers = new Set(numbers(fields.dayOfMonth));
  const domTokens = fields.dayOfMonth.filter((v): v is string => typeof v === 'string').map(dayOfMonthToken);
  const dowNumbers = new Set(numbers(fields.dayOfWeek).map((d) => d % 7));
  const dowTokens = fields.dayOfWeek.filter((v): v is string => typeof v === 'string').map(dayOfWeekToken);
  // vixie cron: a field whose text starts with '*' is "unrestricted" and switches OR to AND.
  const unrestricted = (raw: string) => raw.startsWith('*') || raw === '?';
  const either = !unrestricted(rawDayOfMonth) && !unrestricted(rawDayOfWeek);

  return {
    expression,
    hours: numbers(fields.hour),
    minutes: numbers(fields.minute),
    matchesDate(year, month, day, weekday = weekdayOf(year, month, day)) {
      if (!monthSet.has(month)) return false;
      const dom = domNumbers.has(day) || domTokens.some((match) => match(year, month, day));
      const dow = dowNumbers.has(weekday) || dowTokens.some((match) => match(year, month, day, weekday));
      return either ? dom || dow : dom && dow;
    },
  };
}

function parseTime(text: string): [hour: number, minute: number] {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) throw invalid([`times: "${text}" must be a 24-hour time such as 06:30`], 'times');
  return [hour, minute];
}

/**
 * `minute hour` pairs covering exactly the given times, merging hours that share the same minutes:
 * 06:30, 11:30, 17:00 → `30 6,11` and `0 17`.
 */
function timeFields(times: readonly string[]): string[] {
  const minutesByHour = new Map<number, Set<number>>();
  for (const text of times) {
    const [hour, minute] = parseTime(text);
    const set = minutesByHour.get(hour) ?? new Set<number>();
    set.add(minute);
    minutesByHour.set(hour, set);
  }
  const hoursByMinutes = new Map<string, number[]>();
  for (const hour of [...minutesByHour.keys()].sort((a, b) => a - b)) {
    const key = [...(minutesByHour.get(hour) ?? [])].sort((a, b) => a - b).join(',');
    hoursByMinutes.set(key, [...(hoursByMinutes.get(key) ?? []), hour]);
  }
  return [...hoursByMinutes].map(([minutes, hours]) => `${minutes} ${hours.join(',')}`);
}

const sortedList = (values: readonly number[]) => [...new Set(values)].sort((a, b) => a - b).join(',');

/**
 * The cron expressions a recurrence stands for (their union is the schedule):
 * daily → `m h * * *`, weekly → `m h * * d,d`, monthly → `m h D,D * *`, cron → itself, normalised.
 * Throws AppError VALIDATION_FAILED when the cron text or a time is invalid.
 */
export function compileRecurrence(recurrence: RecurrenceForm): string[] {
  if (recurrence.cron !== undefined) {
    const { expression, fields, messages } = check(recurrence.cron);
    if (!fields) throw invalid(messages, 'cron');
    return [expression];
  }
  if (recurrence.daily) return timeFields(recurrence.daily.times).map((t) => `${t} * * *`);
  if (recurrence.weekly) {
    const days = sortedList(recurrence.weekly.days.map((d) => WEEKDAYS.indexOf(d)));
    return timeFields(recurrence.weekly.times).map((t) => `${t} * * ${days}`);
  }
  if (recurrence.monthly) {
    const days = sortedList(recurrence.monthly.days);
    return timeFields(recurrence.monthly.times).map((t) => `${t} ${days} * *`);
  }
  throw invalid(['give exactly one of cron, daily, weekly or monthly'], 'recurrence');
}

/** compileRecurrence, parsed. */
export function compileRules(recurrence: RecurrenceForm): CronRule[] {
  return compileRecurrence(recurrence).map(parseCronRule);
}

/**
 * What the zod schema cannot see in a recurrence: cron text node-cron refuses, a time zone Intl
 * does not know, a date that does not exist (2026-02-30). Fields are dotted paths under
 * `recurrence`; messages do not repeat the field (`{field: 'recurrence.cron', message: '61 is not a
 * valid minute'}`). Empty when the recurrence can be expanded.
 */
export function cronErrors(recurrence: Partial<Recurrence>): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  if (recurrence.cron !== undefined) {
    for (const message of check(recurrence.cron).messages) {
      errors.push({ field: 'recurrence.cron', message: message.replace(/^cron: /, '') });
    }
  }
  const timezone = recurrence.timezone ?? DEFAULT_TIMEZONE;
  if (!isValidTimeZone(timezone)) errors.push({ field: 'recurrence.timezone', message: `unknown time zone "${timezone}"` });
  const realDate = (field: string, value: string | undefined) => {
    if (value === undefined) return;
    try {
      parseLocalDate(value);
    } catch {
      errors.push({ field, message: `${value} is not a date that exists` });
    }
  };
  realDate('recurrence.validFrom', recurrence.validFrom);
  realDate('recurrence.validUntil', recurrence.validUntil);
  (recurrence.exceptions ?? []).forEach((e, i) => realDate(`recurrence.exceptions.${i}.date`, e.date));
  return errors;
}
