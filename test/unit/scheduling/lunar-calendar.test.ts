import { describe, expect, it } from 'vitest';
import { leapMonthOf, lunarToSolar, solarToLunar } from '../../../server/scheduling/lunar-calendar.js';

describe('Vietnamese lunar calendar', () => {
  it.each([
    [2020, '2020-01-25'],
    [2023, '2023-01-22'],
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
  ])('Tết %i falls on %s', (year, date) => {
    expect(lunarToSolar({ day: 1, month: 1, year })).toBe(date);
    expect(solarToLunar(date)).toEqual({ day: 1, month: 1, year, leap: false });
  });

  it('Giỗ Tổ Hùng Vương (10/3) and Trung thu (15/8)', () => {
    expect(lunarToSolar({ day: 10, month: 3, year: 2026 })).toBe('2026-04-26');
    expect(lunarToSolar({ day: 15, month: 8, year: 2026 })).toBe('2026-09-25');
    expect(lunarToSolar({ day: 10, month: 3, year: 2025 })).toBe('2025-04-07');
    expect(lunarToSolar({ day: 15, month: 8, year: 2024 })).toBe('2024-09-17');
  });

  it('the eve of Tết is the last day of the previous lunar year (29 or 30 of month 12)', () => {
    expect(solarToLunar('2026-02-16')).toEqual({ day: 29, month: 12, year: 2025, leap: false });
    expect(solarToLunar('2024-02-09')).toEqual({ day: 30, month: 12, year: 2023, leap: false });
  });

  it('leap months: 2023 has a leap 2nd month, 2025 a leap 6th, 2024 none', () => {
    expect(leapMonthOf(2023)).toBe(2);
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2024)).toBeNull();
    expect(lunarToSolar({ day: 1, month: 2, year: 2023 })).toBe('2023-02-20');
    expect(lunarToSolar({ day: 1, month: 2, year: 2023, leap: true })).toBe('2023-03-22');
    expect(solarToLunar('2023-03-22')).toEqual({ day: 1, month: 2, year: 2023, leap: true });
    expect(lunarToSolar({ day: 1, month: 6, year: 2025, leap: true })).toBe('2025-07-25');
    expect(solarToLunar('2025-07-24')).toEqual({ day: 30, month: 6, year: 2025, leap: false });
    // After the leap month, numbering continues with 7: Trung thu 2025 is 6 October.
    expect(lunarToSolar({ day: 15, month: 8, year: 2025 })).toBe('2025-10-06');
  });

  it('round-trips every day from 2020 to 2030', () => {
    for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2031, 0, 1); t += 86_400_000) {
      const solar = new Date(t).toISOString().slice(0, 10);
      const lunar = solarToLunar(solar);
      expect(lunarToSolar(lunar)).toBe(solar);
    }
  });

  it('refuses dates the calendar does not have', () => {
    expect(() => lunarToSolar({ day: 1, month: 5, year: 2025, leap: true })).toThrow(/no leap month 5/);
    expect(() => lunarToSolar({ day: 1, month: 3, year: 2024, leap: true })).toThrow(RangeError);
    // Month 12 of lunar year 2025 has 29 days (Tết 2026 is the day after the 29th).
    expect(() => lunarToSolar({ day: 30, month: 12, year: 2025 })).toThrow(/29 days/);
    expect(() => lunarToSolar({ day: 0, month: 1, year: 2026 })).toThrow(RangeError);
  });
});
