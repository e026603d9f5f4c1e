import { describe, expect, it } from 'vitest';
import { holidayDates, matchingException } from '../../../server/scheduling/holiday-calendar.js';
import type { CalendarException } from '../../../server/scheduling/recurrence-spec.js';

describe('holiday calendar', () => {
  it('Tết is the eve plus lunar 1/1–1/3', () => {
    expect(holidayDates('tet', 2026)).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19']);
    // 2024: month 12 had 30 days, so the eve is the 30th.
    expect(holidayDates('tet', 2024)).toEqual(['2024-02-09', '2024-02-10', '2024-02-11', '2024-02-12']);
    expect(holidayDates('tet', 2025)).toEqual(['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31']);
  });

  it('lunar holidays move, solar ones do not', () => {
    expect(holidayDates('hung-kings', 2026)).toEqual(['2026-04-26']);
    expect(holidayDates('mid-autumn', 2026)).toEqual(['2026-09-25']);
    expect(holidayDates('new-year', 2026)).toEqual(['2026-01-01']);
    expect(holidayDates('reunification', 2026)).toEqual(['2026-04-30']);
    expect(holidayDates('labour-day', 2026)).toEqual(['2026-05-01']);
    expect(holidayDates('national-day', 2026)).toEqual(['2026-09-01', '2026-09-02']);
  });

  it('returns a copy the caller may change', () => {
    holidayDates('tet', 2027).push('nonsense');
    expect(holidayDates('tet', 2027)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
  });

  describe('matchingException', () => {
    const skipTet: CalendarException = { holiday: 'tet', action: 'skip' };
    const greeting: CalendarException = { date: '2026-02-17', action: 'replace', bulletinId: 'b-tet-greeting' };
    const skipDay: CalendarException = { date: '2026-03-08', action: 'skip' };

    it('matches by holiday and by date, and nothing else', () => {
      expect(matchingException('2026-02-18', [skipTet, skipDay])).toBe(skipTet);
      expect(matchingException('2026-02-16', [skipTet])).toBe(skipTet);
      expect(matchingException('2026-03-08', [skipTet, skipDay])).toBe(skipDay);
      expect(matchingException('2026-02-20', [skipTet, skipDay])).toBeUndefined();
      expect(matchingException('2026-02-17', [])).toBeUndefined();
    });

    it('a date exception wins over a holiday one, whatever the order', () => {
      expect(matchingException('2026-02-17', [skipTet, greeting])).toBe(greeting);
      expect(matchingException('2026-02-18', [skipTet, greeting])).toBe(skipTet);
    });

    it('among the same kind, the first listed wins', () => {
      const other: CalendarException = { date: '2026-03-08', action: 'replace', bulletinId: 'b-women' };
      expect(matchingException('2026-03-08', [other, skipDay])).toBe(other);
    });
  });
});
