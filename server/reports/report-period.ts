/**
 * A report's period from its query: each bound a Vietnam calendar day (`2026-11-01`; `to` takes in
 * the whole day) or an instant with its offset (`2026-11-01T00:00:00+07:00`). Reports always read
 * in Asia/Ho_Chi_Minh, which has kept UTC+7 without daylight saving since 1975, so a day's start
 * is exact with a fixed offset.
 */
import { validationError } from '../errors.js';

export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const VIETNAM_OFFSET = '+07:00';
const DAY_MS = 86_400_000;
/** A year and a bit: a yearly report fits, a runaway query does not. */
export const MAX_PERIOD_DAYS = 366;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const PERIOD_BOUND_HINT = 'must be a date such as 2026-11-01 or a date-time with offset such as 2026-11-01T08:00:00+07:00';

export interface Period {
  readonly from: Date;
  readonly to: Date;
}

/** The instant a bound names; for a day, its start (`from`) or the start of the next day (`to`). */
export function parseBound(value: string, bound: 'from' | 'to'): Date | null {
  if (DAY.test(value)) {
    const start = new Date(`${value}T00:00:00${VIETNAM_OFFSET}`);
    // Also refuses 2026-02-30, which Date would roll over into March.
    if (Number.isNaN(start.getTime()) || vietnamDay(start) !== value) return null;
    return bound === 'to' ? new Date(start.getTime() + DAY_MS) : start;
  }
  if (!INSTANT.test(value)) return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

export function isPeriodBound(value: string): boolean {
  return parseBound(value, 'from') !== null;
}

/** Both bounds, checked: a 400 names the field at fault. */
export function parsePeriod(query: { from: string; to: string }): Period {
  const from = parseBound(query.from, 'from');
  if (!from) throw validationError(`from: ${PERIOD_BOUND_HINT}`, [{ field: 'from', message: PERIOD_BOUND_HINT }]);
  const to = parseBound(query.to, 'to');
  if (!to) throw validationError(`to: ${PERIOD_BOUND_HINT}`, [{ field: 'to', message: PERIOD_BOUND_HINT }]);
  if (to <= from) throw validationError('to: must be after from', [{ field: 'to', message: 'must be after from' }]);
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw validationError(`to: the period is longer than ${MAX_PERIOD_DAYS} days`, [{ field: 'to', message: `at most ${MAX_PERIOD_DAYS} days after from` }]);
  }
  return { from, to };
}

/** `2026-11-27` of an instant, in Vietnam. */
export function vietnamDay(instant: Date): string {
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** `2026-11-27 14:05:03`, Vietnam time: what Excel reads as a date-time in any locale. */
export function vietnamDateTime(instant: Date | null): string {
  if (!instant) return '';
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
