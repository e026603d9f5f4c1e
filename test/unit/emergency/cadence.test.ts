import { describe, expect, it } from 'vitest';
import { cadenceProblem, nextAiring, parseEvery } from '../../../server/emergency/cadence.js';

const HANOI = 'Asia/Ho_Chi_Minh';
const at = (local: string) => new Date(`${local}+07:00`);

describe('parseEvery', () => {
  it.each([
    ['2h', 120],
    ['15m', 15],
    ['15min', 15],
    ['1h30m', 90],
    [' 30 m ', 30],
  ])('reads %s as %i minutes', (text, minutes) => {
    expect(parseEvery(text)).toBe(minutes);
  });

  it.each(['', 'h', '2 hours', '0m', '-5m', '2d'])('refuses %j', (text) => {
    expect(parseEvery(text)).toBeNull();
  });
});

describe('cadenceProblem', () => {
  it('accepts periods that divide the day when aligned, and any period otherwise', () => {
    expect(cadenceProblem({ everyMinutes: 120, alignTo: 'hour' })).toBeNull();
    expect(cadenceProblem({ everyMinutes: 15, alignTo: 'hour' })).toBeNull();
    expect(cadenceProblem({ everyMinutes: 90, alignTo: 'none' })).toBeNull();
  });

  it('refuses an aligned period that does not divide 24 hours, and periods too short or too long', () => {
    expect(cadenceProblem({ everyMinutes: 100, alignTo: 'hour' })).toMatch(/divide 24 hours/);
    expect(cadenceProblem({ everyMinutes: 4, alignTo: 'none' })).toMatch(/at least 5/);
    expect(cadenceProblem({ everyMinutes: 25 * 60, alignTo: 'none' })).toMatch(/at most 24/);
  });
});

describe('nextAiring', () => {
  it('airs storm bulletins every 2 hours on the hour, counted from local midnight', () => {
    const cadence = { everyMinutes: 120, alignTo: 'hour' } as const;
    const anchor = at('2026-11-25T09:17:00');
    expect(nextAiring(cadence, anchor, anchor, HANOI)).toEqual(at('2026-11-25T10:00:00'));
    expect(nextAiring(cadence, at('2026-11-25T10:00:00'), anchor, HANOI)).toEqual(at('2026-11-25T12:00:00'));
    expect(nextAiring(cadence, at('2026-11-25T23:59:59.500'), anchor, HANOI)).toEqual(at('2026-11-26T00:00:00'));
  });

  it('airs tsunami warnings every quarter hour', () => {
    const cadence = { everyMinutes: 15, alignTo: 'hour' } as const;
    const anchor = at('2026-11-25T09:44:59.999');
    expect(nextAiring(cadence, anchor, anchor, HANOI)).toEqual(at('2026-11-25T09:45:00'));
    expect(nextAiring(cadence, at('2026-11-25T09:45:00'), anchor, HANOI)).toEqual(at('2026-11-25T10:00:00'));
  });

  it('follows the first airing at fixed intervals when not aligned', () => {
    const cadence = { everyMinutes: 90, alignTo: 'none' } as const;
    const anchor = at('2026-11-25T09:17:00');
    expect(nextAiring(cadence, anchor, anchor, HANOI)).toEqual(at('2026-11-25T10:47:00'));
    expect(nextAiring(cadence, at('2026-11-25T10:47:00'), anchor, HANOI)).toEqual(at('2026-11-25T12:17:00'));
  });

  it('keeps to the wall clock across a daylight-saving change in a zone that has one', () => {
    const cadence = { everyMinutes: 60, alignTo: 'hour' } as const;
    // Europe/Berlin falls back at 03:00 CEST on 2026-10-25.
    const before = new Date('2026-10-25T00:30:00Z');
    const next = nextAiring(cadence, before, before, 'Europe/Berlin');
    expect(next.getUTCMinutes()).toBe(0);
    expect(next.getTime()).toBe(new Date('2026-10-25T01:00:00Z').getTime());
  });
});
