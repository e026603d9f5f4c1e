import { describe, expect, it } from 'vitest';
import { effectiveQuietHours, isInQuietHours, overlapsQuietHours } from '../../../server/scheduling/quiet-hours.js';
import type { QuietHours } from '../../../server/scheduling/recurrence-spec.js';

const at = (text: string) => new Date(text);
const HCM = 'Asia/Ho_Chi_Minh';
const night: QuietHours = { start: '22:00', end: '05:00' };
const noon: QuietHours = { start: '11:30', end: '13:30' };

describe('isInQuietHours', () => {
  it('wraps midnight: 22:00 is quiet, 05:00 is not (local time, UTC+7)', () => {
    expect(isInQuietHours(at('2026-11-25T14:59:59Z'), night, HCM)).toBe(false); // 21:59:59
    expect(isInQuietHours(at('2026-11-25T15:00:00Z'), night, HCM)).toBe(true); // 22:00
    expect(isInQuietHours(at('2026-11-25T17:00:00Z'), night, HCM)).toBe(true); // 00:00
    expect(isInQuietHours(at('2026-11-25T21:59:59Z'), night, HCM)).toBe(true); // 04:59:59
    expect(isInQuietHours(at('2026-11-25T22:00:00Z'), night, HCM)).toBe(false); // 05:00
    expect(isInQuietHours(at('2026-11-26T05:00:00Z'), night, HCM)).toBe(false); // 12:00
  });

  it('a span within one day, and an empty span', () => {
    expect(isInQuietHours(at('2026-11-25T05:00:00Z'), noon, HCM)).toBe(true); // 12:00
    expect(isInQuietHours(at('2026-11-25T03:00:00Z'), noon, HCM)).toBe(false); // 10:00
    expect(isInQuietHours(at('2026-11-25T05:00:00Z'), { start: '12:00', end: '12:00' }, HCM)).toBe(false);
    expect(isInQuietHours(at('2026-11-25T05:00:00Z'), null, HCM)).toBe(false);
  });

  it('reads the wall clock of the given zone', () => {
    // 21:30 UTC is 22:30 in Berlin in winter, 23:30 in summer; 04:30 in Ho Chi Minh City.
    expect(isInQuietHours(at('2026-01-15T21:30:00Z'), { start: '23:00', end: '06:00' }, 'Europe/Berlin')).toBe(false);
    expect(isInQuietHours(at('2026-07-15T21:30:00Z'), { start: '23:00', end: '06:00' }, 'Europe/Berlin')).toBe(true);
    expect(isInQuietHours(at('2026-07-15T21:30:00Z'), night, HCM)).toBe(true);
  });
});

describe('effectiveQuietHours', () => {
  const path = ['province', 'district', 'commune', 'hamlet'];

  it('takes the nearest area that sets them, walking up from the leaf', () => {
    expect(effectiveQuietHours(path, new Map([['province', night]]))).toEqual(night);
    expect(
      effectiveQuietHours(
        path,
        new Map<string, QuietHours | null>([
          ['province', night],
          ['commune', noon],
          ['hamlet', null],
        ]),
      ),
    ).toEqual(noon);
    expect(effectiveQuietHours(['province', 'district'], new Map([['commune', noon]]))).toBeNull();
    expect(effectiveQuietHours([], new Map([['province', night]]))).toBeNull();
  });

  it('an empty span set lower down switches inherited quiet hours off', () => {
    const off: QuietHours = { start: '00:00', end: '00:00' };
    const quiet = effectiveQuietHours(path, new Map([['province', night], ['hamlet', off]]));
    expect(quiet).toEqual(off);
    expect(isInQuietHours(at('2026-11-25T17:00:00Z'), quiet, HCM)).toBe(false);
  });
});

describe('overlapsQuietHours', () => {
  it('a play that starts before the quiet hours and runs into them overlaps', () => {
    // 21:58–22:03 local
    expect(overlapsQuietHours(at('2026-11-25T14:58:00Z'), at('2026-11-25T15:03:00Z'), night, HCM)).toBe(true);
  });

  it('a play that ends exactly when quiet hours start does not; one that starts when they end does not', () => {
    expect(overlapsQuietHours(at('2026-11-25T14:55:00Z'), at('2026-11-25T15:00:00Z'), night, HCM)).toBe(false);
    expect(overlapsQuietHours(at('2026-11-25T22:00:00Z'), at('2026-11-25T22:10:00Z'), night, HCM)).toBe(false);
  });

  it('a play inside, across midnight, or covering a whole span overlaps', () => {
    expect(overlapsQuietHours(at('2026-11-25T16:55:00Z'), at('2026-11-25T17:05:00Z'), night, HCM)).toBe(true); // 23:55–00:05
    expect(overlapsQuietHours(at('2026-11-25T04:00:00Z'), at('2026-11-25T07:00:00Z'), noon, HCM)).toBe(true); // 11:00–14:00
    expect(overlapsQuietHours(at('2026-11-25T07:00:00Z'), at('2026-11-25T14:00:00Z'), night, HCM)).toBe(false); // 14:00–21:00
  });

  it('follows DST: quiet hours starting in the skipped hour begin at the jump', () => {
    const berlin = 'Europe/Berlin';
    const q: QuietHours = { start: '02:30', end: '06:00' };
    // 2026-03-29 00:50–00:59:59 UTC is 01:50–01:59:59 CET: before the jump, not quiet.
    expect(overlapsQuietHours(at('2026-03-29T00:50:00Z'), at('2026-03-29T01:00:00Z'), q, berlin)).toBe(false);
    // Running across the jump (01:00 UTC = 03:00 CEST) enters them.
    expect(overlapsQuietHours(at('2026-03-29T00:50:00Z'), at('2026-03-29T01:05:00Z'), q, berlin)).toBe(true);
  });

  it('no quiet hours, no overlap', () => {
    expect(overlapsQuietHours(at('2026-11-25T16:55:00Z'), at('2026-11-25T17:05:00Z'), null, HCM)).toBe(false);
  });
});
