/**
 * When each play of a broadcast happens. A definition is a one-off `startAt` or a recurrence
 * (recurrence-spec.ts), plus an optional repeat; the expander turns it into concrete plays inside
 * a window. Pure: time comes in as arguments.
 *
 * Rules:
 * - A slot is one nominal time of the schedule; play k of a slot starts at
 *   slotAt + k × (durationMs + gapSeconds × 1000). A play belongs to the window when its startAt is
 *   in [from, to), so a slot before `from` can still contribute later repeats.
 * - Recurring slots are local wall-clock times in the recurrence's zone (default
 *   Asia/Ho_Chi_Minh); DST gaps and overlaps resolve as zoned-time.ts says (a skipped time plays at
 *   the end of the gap, a repeated time plays once, at its first instant). Two slots that resolve to
 *   the same instant (several skipped times, or overlapping cron expressions) play once.
 * - validFrom/validUntil and exceptions look at the slot's nominal local date. Validity is
 *   inclusive. An exception `skip` drops the slot with all its repeats; `replace` keeps it and sets
 *   `bulletinOverride`. Repeats follow their slot even past midnight or validUntil.
 * - Cron day-of-month/day-of-week semantics are vixie cron's (see cron-rules.ts).
 * - Runaway guards: at most `maxOccurrences` plays per call (default 100 000: a month of a
 *   per-minute schedule, with one repeat) and `maxWindowDays` local days scanned (default 3 660,
 *   about ten years, after clipping to the validity window); beyond either, the call throws
 *   AppError EXPANSION_LIMIT (422) rather than silently returning part of the answer.
 *   nextOccurrences looks at most ten years ahead.
 */
import { AppError } from '../errors.js';
import { compileRules, type CronRule } from './cron-rules.js';
import { matchingException } from './holiday-calendar.js';
import { epochDay, formatLocalDate, fromEpochDay, parseLocalDate } from './local-date.js';
import { DEFAULT_TIMEZONE, type RecurrenceInput } from './recurrence-spec.js';
import { isValidTimeZone, localDayResolver, localFields } from './zoned-time.js';

export interface OccurrenceDefinition {
  /** A one-off play; give exactly one of startAt and recurrence. */
  readonly startAt?: Date | undefined;
  /** Parsed by recurrenceSchema (defaults filled in) or as stored; missing defaults are applied here. */
  readonly recurrence?: RecurrenceInput | undefined;
  readonly repeat?: { readonly count: number; readonly gapSeconds?: number | undefined } | undefined;
  /** Length of one play (the audio). */
  readonly durationMs: number;
}

export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

export interface PlannedOccurrence {
  /** The nominal time of the slot (play 0 starts then). */
  readonly slotAt: Date;
  readonly startAt: Date;
  readonly endAt: Date;
  /** 0 for the first play of a slot. */
  readonly repeatIndex: number;
  /** The bulletin a `replace` exception plays instead of the broadcast's own. */
  readonly bulletinOverride?: string;
}

export interface ExpansionLimits {
  readonly maxOccurrences?: number;
  readonly maxWindowDays?: number;
}

export const DEFAULT_MAX_OCCURRENCES = 100_000;
export const DEFAULT_MAX_WINDOW_DAYS = 3_660;
export const NEXT_OCCURRENCES_HORIZON_DAYS = 3_660;

const DAY_MS = 86_400_000;

interface Slot {
  readonly at: number;
  readonly bulletinOverride: string | undefined;
}

interface Plan {
  readonly count: number;
  /** Distance between the starts of consecutive plays of a slot. */
  readonly stepMs: number;
  readonly durationMs: number;
  /** Slots with an instant in [fromMs, toMs), ascending; scans at most maxDays local days. */
  readonly slots: (fromMs: number, toMs: number, maxDays: number) => Iterable<Slot>;
  /** Last epoch day of the validity window (recurrences), for nextOccurrences. */
  readonly lastDay: number;
}

const invalid = (message: string, field: string) => new AppError('VALIDATION_FAILED', 400, message, [{ field, message }]);
const tooMany = (message: string) => new AppError('EXPANSION_LIMIT', 422, message);

function plan(definition: OccurrenceDefinition): Plan {
  const { startAt, recurrence, repeat, durationMs } = definition;
  if ((startAt === undefined) === (recurrence === undefined)) throw invalid('give exactly one of startAt or recurrence', 'recurrence');
  if (!Number.isFinite(durationMs) || durationMs < 0) throw invalid(`durationMs must be a non-negative number, got ${durationMs}`, 'durationMs');
  const count = repeat?.count ?? 1;
  const gapSeconds = repeat?.gapSeconds ?? 0;
  if (!Number.isInteger(count) || count < 1) throw invalid(`repeat.count must be a whole number ≥ 1, got ${count}`, 'repeat.count');
  if (!Number.isFinite(gapSeconds) || gapSeconds < 0) throw invalid(`repeat.gapSeconds must be ≥ 0, got ${gapSeconds}`, 'repeat.gapSeconds');
  const stepMs = durationMs + gapSeconds * 1000;

  if (startAt !== undefined) {
    const at = startAt.getTime();
    if (Number.isNaN(at)) throw invalid('startAt is not a valid date', 'startAt');
    return {
      count,
      stepMs,
      durationMs,
      lastDay: Infinity,
      slots: (fromMs, toMs) => (at >= fromMs && at < toMs ? [{ at, bulletinOverride: undefined }] : []),
    };
  }
  const rec = recurrence as RecurrenceInput;
  const timezone = rec.timezone ?? DEFAULT_TIMEZONE;
  if (!isValidTimeZone(timezone)) throw invalid(`unknown time zone "${timezone}"`, 'recurrence.timezone');
  const rules = compileRules(rec);
  const validDay = (value: string | undefined, field: string, fallback: number) => {
    if (value === undefined) return fallback;
    try {
      const d = parseLocalDate(value);
      return epochDay(d.year, d.month, d.day);
    } catch {
      throw invalid(`${value} is not a date that exists`, field);
    }
  };
  const firstDay = validDay(rec.validFrom, 'recurrence.validFrom', -Infinity);
  const lastDay = validDay(rec.validUntil, 'recurrence.validUntil', Infinity);
  const exceptions = rec.exceptions ?? [];
  return {
    count,
    stepMs,
    durationMs,
    lastDay,
    slots: (fromMs, toMs, maxDays) => {
      const scanFrom = Math.max(firstDay, dayOf(fromMs, timezone) - 1);
      const scanTo = Math.min(lastDay, dayOf(toMs, timezone) + 1);
      return recurringSlots(rules, timezone, exceptions, fromMs, toMs, scanFrom, scanTo, maxDays);
    },
  };
}

function dayOf(ms: number, timezone: string): number {
  const f = localFields(ms, timezone);
  return epochDay(f.year, f.month, f.day);
}

/**
 * Slots in [fromMs, toMs), ascending, scanning local days firstDay..lastDay (already padded by a
 * day each side, so that a slot whose instant and local date straddle midnight UTC is not lost).
 */
function* recurringSlots(
  rules: readonly CronRule[],
  timezone: string,
  exceptions: NonNullable<RecurrenceInput['exceptions']>,
  fromMs: number,
  toMs: number,
  firstDay: number,
  lastDay: number,
  maxDays: number,
): Generator<Slot> {
  if (lastDay < firstDay) return;
  if (lastDay - firstDay + 1 > maxDays) {
    throw tooMany(`the window spans ${lastDay - firstDay + 1} days of schedule; at most ${maxDays} can be expanded at once`);
  }
  let previous = -Infinity;
  const minutes: number[] = [];
  for (let dayNumber = firstDay; dayNumber <= lastDay; dayNumber++) {
    const date = fromEpochDay(dayNumber);
    const weekday = (((dayNumber + 4) % 7) + 7) % 7;
    minutes.length = 0;
    for (const rule of rules) {
      if (!rule.matchesDate(date.year, date.month, date.day, weekday)) continue;
      for (const hour of rule.hours) for (const minute of rule.minutes) minutes.push(hour * 60 + minute);
    }
    if (minutes.length === 0) continue;
    let bulletinOverride: string | undefined;
    if (exceptions.length > 0) {
      const exception = matchingException(formatLocalDate(date), exceptions);
      if (exception && (exception.action ?? 'skip') === 'skip') continue;
      bulletinOverride = exception?.bulletinId;
    }
    if (rules.length > 1) minutes.sort((a, b) => a - b);
    const resolve = localDayResolver(date, timezone);
    for (const minuteOfDay of minutes) {
      const at = resolve(Math.floor(minuteOfDay / 60), minuteOfDay % 60);
      // Wall-clock order maps to instant order (zoned-time.ts rules), so equal instants are adjacent.
      if (at === previous || at < fromMs || at >= toMs) continue;
      previous = at;
      yield { at, bulletinOverride };
    }
  }
}

function play(p: Plan, slot: Slot, k: number): PlannedOccurrence {
  const startAt = slot.at + k * p.stepMs;
  const occurrence = { slotAt: new Date(slot.at), startAt: new Date(startAt), endAt: new Date(startAt + p.durationMs), repeatIndex: k };
  return slot.bulletinOverride === undefined ? occurrence : { ...occurrence, bulletinOverride: slot.bulletinOverride };
}

const byStart = (a: PlannedOccurrence, b: PlannedOccurrence) => a.startAt.getTime() - b.startAt.getTime() || a.slotAt.getTime() - b.slotAt.getTime();

/** Every play whose startAt is in [window.from, window.to), sorted by startAt (then slotAt). */
export function expandOccurrences(definition: OccurrenceDefinition, window: TimeWindow, limits: ExpansionLimits = {}): PlannedOccurrence[] {
  const p = plan(definition);
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) throw invalid('the window needs valid from and to dates', 'window');
  if (to <= from) return [];
  const maxOccurrences = limits.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES;
  const span = (p.count - 1) * p.stepMs;
  const out: PlannedOccurrence[] = [];
  for (const slot of p.slots(from - span, to, limits.maxWindowDays ?? DEFAULT_MAX_WINDOW_DAYS)) {
    for (let k = 0; k < p.count; k++) {
      const startAt = slot.at + k * p.stepMs;
      if (startAt >= to) break;
      if (startAt < from) continue;
      if (out.length >= maxOccurrences) {
        throw tooMany(`more than ${maxOccurrences} plays between ${window.from.toISOString()} and ${window.to.toISOString()}; ask for a shorter window`);
      }
      out.push(play(p, slot, k));
    }
  }
  return p.count > 1 ? out.sort(byStart) : out;
}

/**
 * The first `count` plays starting strictly after `after`, sorted (for UIs: "next plays").
 * Looks at most NEXT_OCCURRENCES_HORIZON_DAYS ahead; returns fewer when the schedule ends sooner.
 */
export function nextOccurrences(definition: OccurrenceDefinition, after: Date, count: number, limits: ExpansionLimits = {}): PlannedOccurrence[] {
  const p = plan(definition);
  const maxOccurrences = limits.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES;
  if (!Number.isInteger(count) || count < 0) throw invalid(`count must be a whole number ≥ 0, got ${count}`, 'count');
  if (count > maxOccurrences) throw tooMany(`at most ${maxOccurrences} plays can be listed at once`);
  const afterMs = after.getTime();
  if (count === 0 || Number.isNaN(afterMs)) return [];
  const span = (p.count - 1) * p.stepMs;
  if (definition.startAt !== undefined) {
    const at = definition.startAt.getTime();
    return expandOccurrences(definition, { from: new Date(afterMs + 1), to: new Date(Math.max(afterMs + 1, at + span + 1)) }, limits).slice(0, count);
  }
  const horizon = afterMs + NEXT_OCCURRENCES_HORIZON_DAYS * DAY_MS;
  // Scan in chunks so a dense schedule stops early and a sparse one does not scan a decade at once.
  let out: PlannedOccurrence[] = [];
  let threshold = Infinity; // startAt of the count-th best play so far
  let chunkFrom = afterMs - span;
  let chunkDays = 1;
  while (chunkFrom <= horizon && chunkFrom < threshold && chunkFrom < (p.lastDay + 2) * DAY_MS) {
    const chunkTo = Math.min(chunkFrom + chunkDays * DAY_MS, horizon + 1);
    for (const slot of p.slots(chunkFrom, chunkTo, Infinity)) {
      if (slot.at > threshold) break;
      for (let k = 0; k < p.count; k++) {
        const startAt = slot.at + k * p.stepMs;
        if (startAt > threshold) break;
        if (startAt > afterMs) out.push(play(p, slot, k));
      }
      if (out.length >= count) {
        out = out.sort(byStart).slice(0, count);
        threshold = out[count - 1]?.startAt.getTime() ?? Infinity;
      }
    }
    chunkFrom = chunkTo;
    chunkDays = Math.min(chunkDays * 2, 366);
  }
  return out.sort(byStart).slice(0, count);
}
