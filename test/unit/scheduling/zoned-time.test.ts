import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  clearZoneCache,
  exactInstants,
  isValidTimeZone,
  localDateString,
  localDayResolver,
  localFields,
  offsetMinutes,
  transitionsBetween,
  zonedInstant,
} from '../../../server/scheduling/zoned-time.js';

const iso = (ms: number | Date) => new Date(ms).toISOString();
const BERLIN = 'Europe/Berlin';
const HCM = 'Asia/Ho_Chi_Minh';

describe('zoned time', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads the wall clock of an instant in Asia/Ho_Chi_Minh (UTC+7, no DST)', () => {
    const f = localFields(new Date('2025-12-31T17:30:05Z'), HCM);
    expect(f).toMatchObject({ year: 2026, month: 1, day: 1, hour: 0, minute: 30, second: 5, weekday: 4 });
    expect(localDateString(new Date('2025-12-31T16:59:59Z'), HCM)).toBe('2025-12-31');
    expect(localDateString(new Date('2025-12-31T17:00:00Z'), HCM)).toBe('2026-01-01');
    expect(offsetMinutes(new Date('2026-07-01T00:00:00Z'), HCM)).toBe(420);
  });

  it('turns a local time into an instant', () => {
    expect(iso(zonedInstant({ year: 2026, month: 11, day: 25 }, { hour: 6, minute: 30 }, HCM))).toBe('2026-11-24T23:30:00.000Z');
    expect(iso(zonedInstant({ year: 2026, month: 7, day: 1 }, { hour: 12, minute: 0 }, BERLIN))).toBe('2026-07-01T10:00:00.000Z');
    expect(iso(zonedInstant({ year: 2026, month: 1, day: 1 }, { hour: 12, minute: 0 }, BERLIN))).toBe('2026-01-01T11:00:00.000Z');
  });

  it('finds the exact transition instants of Europe/Berlin', () => {
    expect(offsetMinutes(new Date('2026-03-29T00:59:59Z'), BERLIN)).toBe(60);
    expect(offsetMinutes(new Date('2026-03-29T01:00:00Z'), BERLIN)).toBe(120);
    expect(transitionsBetween(new Date('2026-01-01Z'), new Date('2027-01-01Z'), BERLIN).map(iso)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
    ]);
  });

  it('gap: a local time that does not exist fires at the first instant after the gap', () => {
    const day = { year: 2026, month: 3, day: 29 };
    expect(exactInstants(day, { hour: 2, minute: 30 }, BERLIN)).toEqual([]);
    expect(iso(zonedInstant(day, { hour: 1, minute: 59 }, BERLIN))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(zonedInstant(day, { hour: 2, minute: 0 }, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(zonedInstant(day, { hour: 2, minute: 30 }, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(zonedInstant(day, { hour: 3, minute: 0 }, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(zonedInstant(day, { hour: 3, minute: 1 }, BERLIN))).toBe('2026-03-29T01:01:00.000Z');
  });

  it('overlap: an ambiguous local time resolves to its first instant', () => {
    const day = { year: 2026, month: 10, day: 25 };
    expect(exactInstants(day, { hour: 2, minute: 30 }, BERLIN).map(iso)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
    expect(iso(zonedInstant(day, { hour: 2, minute: 30 }, BERLIN))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(zonedInstant(day, { hour: 3, minute: 0 }, BERLIN))).toBe('2026-10-25T02:00:00.000Z');
  });

  it('handles a whole skipped day (Pacific/Apia, 2011-12-30) and a 30-minute DST shift (Australia/Lord_Howe)', () => {
    expect(iso(zonedInstant({ year: 2011, month: 12, day: 30 }, { hour: 12, minute: 0 }, 'Pacific/Apia'))).toBe('2011-12-30T10:00:00.000Z');
    expect(localFields(new Date('2011-12-30T10:00:00Z'), 'Pacific/Apia')).toMatchObject({ day: 31, hour: 0 });
    // Lord Howe falls back from +11 to +10:30 at 02:00 local on 2026-04-05: 01:30–02:00 happens twice.
    expect(exactInstants({ year: 2026, month: 4, day: 5 }, { hour: 1, minute: 45 }, 'Australia/Lord_Howe').map(iso)).toEqual([
      '2026-04-04T14:45:00.000Z',
      '2026-04-04T15:15:00.000Z',
    ]);
  });

  it('localDayResolver agrees with zonedInstant, on ordinary and transition days', () => {
    for (const [zone, date] of [
      [BERLIN, { year: 2026, month: 3, day: 29 }],
      [BERLIN, { year: 2026, month: 10, day: 25 }],
      [BERLIN, { year: 2026, month: 6, day: 1 }],
      [HCM, { year: 2026, month: 2, day: 17 }],
    ] as const) {
      const resolve = localDayResolver(date, zone);
      for (let minute = 0; minute < 24 * 60; minute += 7) {
        const h = Math.floor(minute / 60);
        const m = minute % 60;
        expect(resolve(h, m)).toBe(zonedInstant(date, { hour: h, minute: m }, zone).getTime());
      }
    }
  });

  it('caches offsets: a month of per-minute readings costs about one Intl call per hour, not per minute', () => {
    clearZoneCache();
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const start = Date.parse('2026-03-01T00:00:00Z');
    for (let t = start; t < start + 31 * 86_400_000; t += 60_000) localFields(t, BERLIN);
    expect(spy.mock.calls.length).toBeGreaterThan(0);
    expect(spy.mock.calls.length).toBeLessThan(31 * 24 + 40);
  });

  it('rejects unknown zones with a message naming them', () => {
    expect(isValidTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => localFields(new Date(), 'Mars/Olympus')).toThrow(/Mars\/Olympus/);
  });
});
