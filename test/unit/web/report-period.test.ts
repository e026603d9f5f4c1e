/**
 * Report periods as Vietnam calendar days, whatever the zone of the machine running the console:
 * today, this week (Monday to Sunday), this month, days picked, and what is wrong with picked days.
 */
import { describe, expect, it } from 'vitest';
import { addDays, checkPickedPeriod, isDay, periodFromQuery, periodParams, presetPeriod, vietnamToday } from '../../../server/web/src/lib/report-period.js';

// The last half hour of Sunday 29 November 2026 in Vietnam.
const SUNDAY_NIGHT = new Date('2026-11-29T23:30:00+07:00');
// 00:30 on Monday 30 November in Vietnam: still Sunday in UTC and anywhere west of Vietnam.
const MONDAY_EARLY = new Date('2026-11-30T00:30:00+07:00');

describe('report periods', () => {
  it('takes today from Vietnam\'s clock', () => {
    expect(vietnamToday(SUNDAY_NIGHT)).toBe('2026-11-29');
    expect(vietnamToday(MONDAY_EARLY)).toBe('2026-11-30');
    expect(presetPeriod('today', MONDAY_EARLY)).toEqual({ preset: 'today', from: '2026-11-30', to: '2026-11-30' });
  });

  it('runs a week from Monday to Sunday', () => {
    expect(presetPeriod('week', SUNDAY_NIGHT)).toEqual({ preset: 'week', from: '2026-11-23', to: '2026-11-29' });
    expect(presetPeriod('week', MONDAY_EARLY)).toEqual({ preset: 'week', from: '2026-11-30', to: '2026-12-06' });
    // A Wednesday, across a month end.
    expect(presetPeriod('week', new Date('2026-12-02T12:00:00+07:00'))).toEqual({ preset: 'week', from: '2026-11-30', to: '2026-12-06' });
  });

  it('runs a month from its first to its last day, February and leap years included', () => {
    expect(presetPeriod('month', MONDAY_EARLY)).toEqual({ preset: 'month', from: '2026-11-01', to: '2026-11-30' });
    expect(presetPeriod('month', new Date('2026-12-31T23:59:00+07:00'))).toEqual({ preset: 'month', from: '2026-12-01', to: '2026-12-31' });
    expect(presetPeriod('month', new Date('2028-02-10T08:00:00+07:00'))).toEqual({ preset: 'month', from: '2028-02-01', to: '2028-02-29' });
    expect(presetPeriod('month', new Date('2027-02-28T08:00:00+07:00'))).toEqual({ preset: 'month', from: '2027-02-01', to: '2027-02-28' });
  });

  it('reads the period from the hash query and writes it back', () => {
    const read = (search: string) => periodFromQuery(new URLSearchParams(search), MONDAY_EARLY);
    expect(read('')).toEqual(presetPeriod('today', MONDAY_EARLY));
    expect(read('p=month')).toEqual(presetPeriod('month', MONDAY_EARLY));
    expect(read('from=2026-10-01&to=2026-10-15&p=week')).toEqual({ preset: 'custom', from: '2026-10-01', to: '2026-10-15' });
    // A half-written or impossible pair falls back to the preset.
    expect(read('from=2026-02-30&to=2026-03-01&p=week')).toEqual(presetPeriod('week', MONDAY_EARLY));
    expect(periodParams(read('p=week'))).toEqual({ p: 'week' });
    expect(periodParams(read('from=2026-10-01&to=2026-10-15'))).toEqual({ from: '2026-10-01', to: '2026-10-15' });
  });

  it('checks picked days before asking the server, naming the field', () => {
    expect(checkPickedPeriod('2026-11-01', '2026-11-30')).toBeNull();
    expect(checkPickedPeriod('2026-11-01', '2026-11-01')).toBeNull();
    expect(checkPickedPeriod('', '2026-11-30')).toEqual({ field: 'from', problem: 'invalid' });
    expect(checkPickedPeriod('2026-11-01', '2026-11-31')).toEqual({ field: 'to', problem: 'invalid' });
    expect(checkPickedPeriod('2026-11-02', '2026-11-01')).toEqual({ field: 'to', problem: 'order' });
    expect(checkPickedPeriod('2026-01-01', '2027-01-01')).toBeNull();
    expect(checkPickedPeriod('2026-01-01', '2027-01-02')).toEqual({ field: 'to', problem: 'tooLong' });
  });

  it('does calendar arithmetic on days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2027-02-29')).toBe(false);
    expect(isDay('29/02/2028')).toBe(false);
  });
});
