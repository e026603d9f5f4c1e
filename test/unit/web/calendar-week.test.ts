/**
 * Weeks on Vietnam's clock: Monday to Sunday in Asia/Ho_Chi_Minh whatever the machine's zone,
 * across month, year and leap-day boundaries, and the window the calendar asks the server for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  addDays,
  dayStart,
  isLocalDate,
  minutesInto,
  mondayIndex,
  mondayOf,
  vietnamDate,
  weekDays,
  weekFromParam,
  weekStartAt,
  weekWindow,
} from '../../../server/web/src/lib/calendar-week.js';

const originalZone = process.env.TZ;
afterEach(() => {
  if (originalZone === undefined) delete process.env.TZ;
  else process.env.TZ = originalZone;
});

describe('calendar weeks in Vietnam time', () => {
  it('puts an instant on its Vietnam date, not the machine’s', () => {
    // 18:30 UTC on Sunday 22 November is already 01:30 on Monday 23 November in Vietnam.
    expect(vietnamDate(new Date('2026-11-22T18:30:00Z'))).toBe('2026-11-23');
    expect(vietnamDate(new Date('2026-11-22T16:59:59Z'))).toBe('2026-11-22');
    expect(vietnamDate('2026-11-22T17:00:00Z')).toBe('2026-11-23');
  });

  it('starts the week on Monday 00:00 in Vietnam', () => {
    expect(weekStartAt(new Date('2026-11-22T18:30:00Z'))).toBe('2026-11-23'); // Monday 01:30 VN
    expect(weekStartAt(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-16'); // Sunday 23:00 VN
    expect(weekStartAt(new Date('2026-11-25T05:00:00Z'))).toBe('2026-11-23'); // Wednesday
    expect(weekStartAt(new Date('2026-11-29T16:59:59Z'))).toBe('2026-11-23'); // Sunday 23:59:59 VN
  });

  it('gives the same weeks whatever zone the browser is in', () => {
    const instants = ['2026-11-22T16:30:00Z', '2026-11-22T17:30:00Z', '2026-03-29T00:30:00Z', '2026-10-25T01:30:00Z'];
    const results = ['Asia/Ho_Chi_Minh', 'Europe/Paris', 'America/Los_Angeles', 'Pacific/Kiritimati'].map((zone) => {
      process.env.TZ = zone;
      return instants.map((instant) => [weekStartAt(instant), vietnamDate(instant), dayStart(vietnamDate(instant)).toISOString()]);
    });
    for (const result of results) expect(result).toEqual(results[0]);
  });

  it('counts days across months, years and a leap day', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -7)).toBe('2026-12-25');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28'); // a Friday
    expect(mondayIndex('2026-11-23')).toBe(0);
    expect(mondayIndex('2026-11-29')).toBe(6);
    expect(weekDays('2026-12-28')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('asks for [Monday 00:00, next Monday 00:00) in Vietnam, as instants', () => {
    const { from, to } = weekWindow('2026-11-23');
    expect(from.toISOString()).toBe('2026-11-22T17:00:00.000Z');
    expect(to.toISOString()).toBe('2026-11-29T17:00:00.000Z');
  });

  it('reads ?week= as the week of any valid date and falls back to this week', () => {
    const now = new Date('2026-11-25T05:00:00Z');
    expect(weekFromParam('2026-12-03', now)).toBe('2026-11-30');
    expect(weekFromParam(null, now)).toBe('2026-11-23');
    expect(weekFromParam('2026-02-30', now)).toBe('2026-11-23');
    expect(weekFromParam('next week', now)).toBe('2026-11-23');
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2027-02-29')).toBe(false);
  });

  it('measures minutes from the start of a Vietnam day', () => {
    expect(minutesInto('2026-11-25', '2026-11-24T21:30:00Z')).toBe(4 * 60 + 30);
    expect(minutesInto('2026-11-25', '2026-11-24T16:00:00Z')).toBe(-60);
  });
});
