/**
 * The schedule form as data: what the official has entered (strings, as inputs hold them) →
 * the body of POST /api/broadcasts and /api/broadcasts/check, or the problems that stop it, each
 * keyed to the form field it belongs to. The server checks everything again; these checks are
 * here so a mistake is named next to its field before anything is sent.
 *
 * The recurrence shape is server/scheduling/recurrence-spec.ts; times are Vietnam wall-clock
 * times (the recurrence's default zone, and lib/format.ts for one-off dates).
 */
import { topmostSelected, type TreeArea } from './area-tree.js';
import { instantFromZoned, zonedInputValue } from './format.js';

/** Monday first, as Vietnamese calendars print the week; the values are the API's. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Emergencies have their own page (#/emergency). */
export const SCHEDULE_PRIORITIES = ['low', 'normal', 'high'] as const;
export type SchedulePriority = (typeof SCHEDULE_PRIORITIES)[number];

export const WHEN_KINDS = ['now', 'at', 'recurring'] as const;
export type WhenKind = (typeof WHEN_KINDS)[number];

export const RULE_KINDS = ['daily', 'weekly', 'monthly', 'cron'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** The API's limits (recurrence-spec.ts repeatSchema, friendlyBase). */
export const MAX_REPEAT_COUNT = 20;
export const MAX_GAP_SECONDS = 24 * 3600;
export const MAX_TIMES = 24;

/**
 * A time typed a moment ago is still accepted: the server plays a start up to its grace period
 * late (SCHEDULE_GRACE_SECONDS, 120 s by default), and it has the last word.
 */
export const PAST_TOLERANCE_MS = 60_000;

export interface ScheduleFormState {
  readonly bulletinId: string;
  /** Ticked areas; an area below a ticked one adds nothing (topmostSelected). */
  readonly areas: ReadonlySet<string>;
  readonly when: WhenKind;
  /** `at`: YYYY-MM-DD and HH:MM or HH:MM:SS, Vietnam time. */
  readonly date: string;
  readonly time: string;
  readonly rule: RuleKind;
  /** daily / weekly / monthly: HH:MM each. */
  readonly times: readonly string[];
  readonly weekdays: readonly Weekday[];
  readonly monthDays: readonly number[];
  readonly cron: string;
  /** Recurring only; local dates, inclusive, each optional. */
  readonly validFrom: string;
  readonly validUntil: string;
  readonly repeatCount: string;
  readonly gapSeconds: string;
  readonly priority: SchedulePriority;
}

export interface RecurrencePayload {
  readonly cron?: string;
  readonly daily?: { readonly times: readonly string[] };
  readonly weekly?: { readonly days: readonly Weekday[]; readonly times: readonly string[] };
  readonly monthly?: { readonly days: readonly number[]; readonly times: readonly string[] };
  readonly validFrom?: string;
  readonly validUntil?: string;
}

/** The body of POST /api/broadcasts (and of /api/broadcasts/check). */
export interface BroadcastPayload {
  readonly bulletinId: string;
  readonly target: { readonly areaIds: readonly string[] };
  readonly startAt?: string;
  readonly recurrence?: RecurrencePayload;
  readonly repeat?: { readonly count: number; readonly gapSeconds: number };
  readonly priority: SchedulePriority;
}

export const SCHEDULE_FIELDS = [
  'bulletinId',
  'target',
  'date',
  'time',
  'times',
  'weekdays',
  'monthDays',
  'cron',
  'validFrom',
  'validUntil',
  'repeatCount',
  'gapSeconds',
  'priority',
] as const;
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number];

export type ProblemCode = 'required' | 'invalidDate' | 'invalidTime' | 'past' | 'range' | 'cronFields' | 'beforeStart';

export interface ScheduleProblem {
  readonly field: ScheduleField;
  readonly code: ProblemCode;
  /** For `range`. */
  readonly min?: number;
  readonly max?: number;
}

export interface BuiltBroadcast {
  /** Null while any problem stands. */
  readonly payload: BroadcastPayload | null;
  readonly problems: readonly ScheduleProblem[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?$/;
const CRON_NICKNAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** A sensible empty form: at a time a quarter of an hour ahead (on the minute), once, normal priority. */
export function initialScheduleState(now: number = Date.now(), bulletinId = ''): ScheduleFormState {
  const at = zonedInputValue(Math.ceil((now + 15 * 60_000) / 60_000) * 60_000);
  return {
    bulletinId,
    areas: new Set(),
    when: 'at',
    date: at.date,
    time: at.time,
    rule: 'daily',
    times: ['06:30'],
    weekdays: [],
    monthDays: [],
    cron: '',
    validFrom: '',
    validUntil: '',
    repeatCount: '1',
    gapSeconds: '0',
    priority: 'normal',
  };
}

/** The payload for the state, or the problems that stop it. `now` decides what is in the past. */
export function buildBroadcast(state: ScheduleFormState, roots: readonly TreeArea[], now: number = Date.now()): BuiltBroadcast {
  const problems: ScheduleProblem[] = [];
  const problem = (field: ScheduleField, code: ProblemCode, range?: { min: number; max: number }) => problems.push({ field, code, ...range });

  const bulletinId = state.bulletinId.trim();
  if (!bulletinId) problem('bulletinId', 'required');
  const areaIds = topmostSelected(roots, state.areas);
  if (areaIds.length === 0) problem('target', 'required');

  let startAt: string | undefined;
  let recurrence: RecurrencePayload | undefined;
  if (state.when === 'at') startAt = startAtOf(state, now, problem);
  else if (state.when === 'recurring') recurrence = recurrenceOf(state, now, problem);

  const count = wholeNumber(state.repeatCount);
  let repeat: BroadcastPayload['repeat'];
  if (count === null || count < 1 || count > MAX_REPEAT_COUNT) problem('repeatCount', 'range', { min: 1, max: MAX_REPEAT_COUNT });
  else if (count > 1) {
    // The gap only means something between plays.
    const gapSeconds = state.gapSeconds.trim() === '' ? 0 : wholeNumber(state.gapSeconds);
    if (gapSeconds === null || gapSeconds < 0 || gapSeconds > MAX_GAP_SECONDS) problem('gapSeconds', 'range', { min: 0, max: MAX_GAP_SECONDS });
    else repeat = { count, gapSeconds };
  }
  if (!(SCHEDULE_PRIORITIES as readonly string[]).includes(state.priority)) problem('priority', 'required');

  if (problems.length > 0) return { payload: null, problems };
  return {
    payload: {
      bulletinId,
      target: { areaIds },
      ...(startAt ? { startAt } : {}),
      ...(recurrence ? { recurrence } : {}),
      ...(repeat ? { repeat } : {}),
      priority: state.priority,
    },
    problems,
  };
}

type Report = (field: ScheduleField, code: ProblemCode, range?: { min: number; max: number }) => void;

function startAtOf(state: ScheduleFormState, now: number, problem: Report): string | undefined {
  const dateOk = isRealDate(state.date.trim());
  const timeOk = CLOCK_TIME.test(state.time.trim());
  if (!dateOk) problem('date', state.date.trim() ? 'invalidDate' : 'required');
  if (!timeOk) problem('time', state.time.trim() ? 'invalidTime' : 'required');
  if (!dateOk || !timeOk) return undefined;
  const instant = instantFromZoned(state.date.trim(), state.time.trim());
  if (Number.isNaN(instant.getTime())) {
    problem('time', 'invalidTime');
    return undefined;
  }
  if (instant.getTime() < now - PAST_TOLERANCE_MS) {
    problem('time', 'past');
    return undefined;
  }
  return instant.toISOString();
}

function recurrenceOf(state: ScheduleFormState, now: number, problem: Report): RecurrencePayload | undefined {
  let rule: Omit<RecurrencePayload, 'validFrom' | 'validUntil'> | undefined;
  if (state.rule === 'cron') {
    const expression = state.cron.trim().split(/\s+/).join(' ');
    if (!expression) problem('cron', 'required');
    else if (!CRON_NICKNAMES.has(expression.toLowerCase()) && expression.split(' ').length !== 5) problem('cron', 'cronFields');
    else rule = { cron: expression };
  } else {
    const times = timesOf(state.times, problem);
    if (state.rule === 'daily') rule = times && { daily: { times } };
    else if (state.rule === 'weekly') {
      const days = WEEKDAYS.filter((day) => state.weekdays.includes(day));
      if (days.length === 0) problem('weekdays', 'required');
      else rule = times && { weekly: { days, times } };
    } else {
      const days = [...new Set(state.monthDays)].filter((day) => Number.isInteger(day)).sort((a, b) => a - b);
      if (days.length === 0) problem('monthDays', 'required');
      else if (days.some((day) => day < 1 || day > 31)) problem('monthDays', 'range', { min: 1, max: 31 });
      else rule = times && { monthly: { days, times } };
    }
  }

  const today = zonedInputValue(now).date;
  const validFrom = state.validFrom.trim();
  const validUntil = state.validUntil.trim();
  const fromOk = validFrom === '' || isRealDate(validFrom);
  const untilOk = validUntil === '' || isRealDate(validUntil);
  if (!fromOk) problem('validFrom', 'invalidDate');
  if (!untilOk) problem('validUntil', 'invalidDate');
  else if (validUntil && validUntil < today) problem('validUntil', 'past');
  else if (fromOk && validFrom && validUntil && validUntil < validFrom) problem('validUntil', 'beforeStart');

  if (!rule || !fromOk || !untilOk) return undefined;
  return { ...rule, ...(validFrom ? { validFrom } : {}), ...(validUntil ? { validUntil } : {}) };
}

/** HH:MM each, sorted and without repeats; undefined (with a problem reported) when any is wrong. */
function timesOf(entries: readonly string[], problem: Report): string[] | undefined {
  const trimmed = entries.map((entry) => entry.trim());
  if (trimmed.length === 0 || trimmed.every((entry) => entry === '')) {
    problem('times', 'required');
    return undefined;
  }
  if (trimmed.some((entry) => !CLOCK_TIME.test(entry))) {
    problem('times', 'invalidTime');
    return undefined;
  }
  // The API takes minutes; a browser may hand a time input's value with seconds.
  const times = [...new Set(trimmed.map((entry) => entry.slice(0, 5)))].sort();
  if (times.length > MAX_TIMES) {
    problem('times', 'range', { min: 1, max: MAX_TIMES });
    return undefined;
  }
  return times;
}

function isRealDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** Where the server names a form field in its error details (`recurrence.weekly.days`, `repeat.count`). */
export function serverFieldsOf(field: ScheduleField, rule: RuleKind): readonly string[] {
  switch (field) {
    case 'date':
      // Shown once, next to the time.
      return [];
    case 'time':
      return ['startAt'];
    case 'times':
      return rule === 'cron' ? [] : [`recurrence.${rule}.times`];
    case 'weekdays':
      return ['recurrence.weekly.days'];
    case 'monthDays':
      return ['recurrence.monthly.days'];
    case 'cron':
      return ['recurrence.cron'];
    case 'validFrom':
      return ['recurrence.validFrom'];
    case 'validUntil':
      return ['recurrence.validUntil'];
    case 'repeatCount':
      return ['repeat.count', 'repeat'];
    case 'gapSeconds':
      return ['repeat.gapSeconds'];
    default:
      return [field];
  }
}

const covers = (named: string, field: string) => field === named || field.startsWith(`${named}.`);

/**
 * The server's field messages that no field of the form shows (a rule as a whole, say), so the
 * form can list them rather than lose them.
 */
export function unplacedDetails<D extends { readonly field: string }>(details: readonly D[], rule: RuleKind): D[] {
  const shown = SCHEDULE_FIELDS.flatMap((field) => serverFieldsOf(field, rule));
  return details.filter((detail) => !shown.some((named) => covers(named, detail.field)));
}
