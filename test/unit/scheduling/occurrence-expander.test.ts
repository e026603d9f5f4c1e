import { describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors.js';
import { expandOccurrences, nextOccurrences, type OccurrenceDefinition, type PlannedOccurrence } from '../../../server/scheduling/occurrence-expander.js';
import { recurrenceSchema, type RecurrenceInput } from '../../../server/scheduling/recurrence-spec.js';

const at = (text: string) => new Date(text);
const window = (from: string, to: string) => ({ from: at(from), to: at(to) });
const starts = (plays: readonly PlannedOccurrence[]) => plays.map((p) => p.startAt.toISOString());
/** A recurrence as the API hands it over: parsed by the zod schema, defaults filled in. */
const rec = (input: RecurrenceInput) => recurrenceSchema.parse(input);
const recurring = (input: RecurrenceInput, extra: Partial<OccurrenceDefinition> = {}): OccurrenceDefinition => ({ recurrence: rec(input), durationMs: 60_000, ...extra });

describe('expandOccurrences in Asia/Ho_Chi_Minh (UTC+7, no DST)', () => {
  it('daily 06:30 local is 23:30 UTC the day before', () => {
    const plays = expandOccurrences(recurring({ daily: { times: ['06:30'] } }), window('2026-11-24T17:00:00Z', '2026-11-27T17:00:00Z'));
    expect(starts(plays)).toEqual(['2026-11-24T23:30:00.000Z', '2026-11-25T23:30:00.000Z', '2026-11-26T23:30:00.000Z']);
    expect(plays[0]).toEqual({ slotAt: at('2026-11-24T23:30:00Z'), startAt: at('2026-11-24T23:30:00Z'), endAt: at('2026-11-24T23:31:00Z'), repeatIndex: 0 });
  });

  it('the window is [from, to): a play exactly at `to` is left out, one exactly at `from` is in', () => {
    const def = recurring({ daily: { times: ['06:30'] } });
    expect(starts(expandOccurrences(def, window('2026-11-24T23:30:00Z', '2026-11-25T23:30:00Z')))).toEqual(['2026-11-24T23:30:00.000Z']);
    expect(expandOccurrences(def, window('2026-11-25T00:00:00Z', '2026-11-25T00:00:00Z'))).toEqual([]);
  });

  it('repeat: 3 plays of 60 s audio with a 120 s gap start at +0, +180 s, +360 s', () => {
    const def = recurring({ daily: { times: ['06:00'] } }, { repeat: { count: 3, gapSeconds: 120 }, durationMs: 60_000 });
    const plays = expandOccurrences(def, window('2026-11-24T17:00:00Z', '2026-11-25T17:00:00Z'));
    expect(plays.map((p) => [p.startAt.toISOString(), p.endAt.toISOString(), p.repeatIndex, p.slotAt.toISOString()])).toEqual([
      ['2026-11-24T23:00:00.000Z', '2026-11-24T23:01:00.000Z', 0, '2026-11-24T23:00:00.000Z'],
      ['2026-11-24T23:03:00.000Z', '2026-11-24T23:04:00.000Z', 1, '2026-11-24T23:00:00.000Z'],
      ['2026-11-24T23:06:00.000Z', '2026-11-24T23:07:00.000Z', 2, '2026-11-24T23:00:00.000Z'],
    ]);
  });

  it('a slot before `from` still contributes the repeats that start inside the window', () => {
    const def = recurring({ daily: { times: ['06:00'] } }, { repeat: { count: 3, gapSeconds: 120 } });
    const plays = expandOccurrences(def, window('2026-11-24T23:01:00Z', '2026-11-24T23:06:00Z'));
    expect(plays.map((p) => [p.startAt.toISOString(), p.repeatIndex])).toEqual([['2026-11-24T23:03:00.000Z', 1]]);
  });

  it('repeats of close slots interleave, sorted by start', () => {
    const def = recurring({ daily: { times: ['06:00', '06:02'] } }, { repeat: { count: 3, gapSeconds: 0 } });
    const plays = expandOccurrences(def, window('2026-11-24T17:00:00Z', '2026-11-25T17:00:00Z'));
    expect(plays.map((p) => `${p.startAt.toISOString().slice(11, 16)}#${p.repeatIndex}`)).toEqual(['23:00#0', '23:01#1', '23:02#2', '23:02#0', '23:03#1', '23:04#2']);
  });

  it('cron with ranges, lists and steps', () => {
    // Every 20 minutes from 06:00 to 07:40 on weekdays; 2026-11-23 is a Monday.
    const plays = expandOccurrences(recurring({ cron: '*/20 6-7 * * 1-5' }), window('2026-11-22T17:00:00Z', '2026-11-29T17:00:00Z'));
    expect(plays).toHaveLength(5 * 6);
    expect(starts(plays).slice(0, 7)).toEqual([
      '2026-11-22T23:00:00.000Z',
      '2026-11-22T23:20:00.000Z',
      '2026-11-22T23:40:00.000Z',
      '2026-11-23T00:00:00.000Z',
      '2026-11-23T00:20:00.000Z',
      '2026-11-23T00:40:00.000Z',
      '2026-11-23T23:00:00.000Z',
    ]);
  });

  it('weekly: Mondays and Thursdays', () => {
    const plays = expandOccurrences(recurring({ weekly: { days: ['mon', 'thu'], times: ['06:30'] } }), window('2026-11-22T17:00:00Z', '2026-12-06T17:00:00Z'));
    expect(starts(plays)).toEqual(['2026-11-22T23:30:00.000Z', '2026-11-25T23:30:00.000Z', '2026-11-29T23:30:00.000Z', '2026-12-02T23:30:00.000Z']);
  });

  it('monthly on the 31st plays only in months that have one; 1st and 15th every month', () => {
    const year = window('2025-12-31T17:00:00Z', '2026-12-31T17:00:00Z');
    const the31st = expandOccurrences(recurring({ monthly: { days: [31], times: ['07:00'] } }), year);
    expect(starts(the31st)).toEqual([
      '2026-01-31T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
      '2026-05-31T00:00:00.000Z',
      '2026-07-31T00:00:00.000Z',
      '2026-08-31T00:00:00.000Z',
      '2026-10-31T00:00:00.000Z',
      '2026-12-31T00:00:00.000Z',
    ]);
    expect(expandOccurrences(recurring({ monthly: { days: [1, 15], times: ['07:00'] } }), year)).toHaveLength(24);
  });

  it('validity window: inclusive local dates, even when the local date differs from the UTC date', () => {
    const def = recurring({ daily: { times: ['00:30', '23:30'] }, validFrom: '2026-03-10', validUntil: '2026-03-12' });
    const plays = expandOccurrences(def, window('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'));
    expect(starts(plays)).toEqual([
      '2026-03-09T17:30:00.000Z', // 10 March 00:30 local
      '2026-03-10T16:30:00.000Z',
      '2026-03-10T17:30:00.000Z',
      '2026-03-11T16:30:00.000Z',
      '2026-03-11T17:30:00.000Z',
      '2026-03-12T16:30:00.000Z', // 12 March 23:30 local
    ]);
  });

  it('repeats follow their slot past validUntil and midnight', () => {
    const def = recurring({ daily: { times: ['23:58'] }, validUntil: '2026-03-12' }, { repeat: { count: 3, gapSeconds: 0 } });
    const plays = expandOccurrences(def, window('2026-03-12T16:00:00Z', '2026-03-14T00:00:00Z'));
    expect(starts(plays)).toEqual(['2026-03-12T16:58:00.000Z', '2026-03-12T16:59:00.000Z', '2026-03-12T17:00:00.000Z']);
  });

  it('exceptions: Tết 2026 skipped, a date replaced', () => {
    const def = recurring({
      daily: { times: ['06:00'] },
      exceptions: [
        { holiday: 'tet', action: 'skip' },
        { date: '2026-02-20', action: 'replace', bulletinId: 'b-spring' },
      ],
    });
    const plays = expandOccurrences(def, window('2026-01-31T17:00:00Z', '2026-02-28T17:00:00Z'));
    const localDates = plays.map((p) => new Date(p.slotAt.getTime() + 7 * 3_600_000).toISOString().slice(0, 10));
    expect(plays).toHaveLength(28 - 4);
    for (const tet of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19']) expect(localDates).not.toContain(tet);
    expect(localDates).toContain('2026-02-15');
    expect(localDates).toContain('2026-02-21');
    const replaced = plays.filter((p) => p.bulletinOverride !== undefined);
    expect(replaced.map((p) => [p.startAt.toISOString(), p.bulletinOverride])).toEqual([['2026-02-19T23:00:00.000Z', 'b-spring']]);
  });

  it('skip drops every repeat of the slot; a date replace on Tết beats the holiday skip', () => {
    const def = recurring(
      {
        daily: { times: ['06:00'] },
        exceptions: [
          { holiday: 'tet', action: 'skip' },
          { date: '2026-02-17', action: 'replace', bulletinId: 'b-greeting' },
        ],
      },
      { repeat: { count: 2, gapSeconds: 60 } },
    );
    const plays = expandOccurrences(def, window('2026-02-15T17:00:00Z', '2026-02-19T17:00:00Z'));
    expect(plays.map((p) => [p.startAt.toISOString(), p.repeatIndex, p.bulletinOverride])).toEqual([
      ['2026-02-16T23:00:00.000Z', 0, 'b-greeting'],
      ['2026-02-16T23:02:00.000Z', 1, 'b-greeting'],
    ]);
  });

  it('accepts a recurrence as stored, without the schema defaults (zone defaults to Asia/Ho_Chi_Minh)', () => {
    const plays = expandOccurrences({ recurrence: { daily: { times: ['06:30'] } }, durationMs: 1000 }, window('2026-11-24T17:00:00Z', '2026-11-25T17:00:00Z'));
    expect(starts(plays)).toEqual(['2026-11-24T23:30:00.000Z']);
  });
});

describe('expandOccurrences in Europe/Berlin (DST)', () => {
  const berlin = (input: RecurrenceInput, extra: Partial<OccurrenceDefinition> = {}) => recurring({ timezone: 'Europe/Berlin', ...input }, extra);

  it('March: 02:30 does not exist on the 29th and plays at 03:00 CEST, when the clocks jump', () => {
    const plays = expandOccurrences(berlin({ daily: { times: ['02:30'] } }), window('2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z'));
    expect(starts(plays)).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('March: every skipped time plays once at the jump, also when 03:00 is itself a slot', () => {
    const plays = expandOccurrences(berlin({ cron: '*/15 2-3 * * *' }), window('2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'));
    expect(starts(plays)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T01:15:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-29T01:45:00.000Z']);
  });

  it('October: 02:30 happens twice on the 25th and plays once, at its first instant (CEST)', () => {
    const plays = expandOccurrences(berlin({ daily: { times: ['02:30'] } }), window('2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z'));
    expect(starts(plays)).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    const quarterHours = expandOccurrences(berlin({ cron: '*/15 2 * * *' }), window('2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z'));
    expect(starts(quarterHours)).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T00:15:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T00:45:00.000Z']);
  });

  it('a month of a per-minute cron across the March change: one play per existing minute, fast', () => {
    const started = performance.now();
    const plays = expandOccurrences(berlin({ cron: '* * * * *' }, { durationMs: 30_000 }), window('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'));
    const elapsed = performance.now() - started;
    // Every UTC minute of March is exactly one local minute (the gap's minutes all land on 01:00 UTC).
    expect(plays).toHaveLength(31 * 24 * 60);
    expect(new Set(plays.map((p) => p.startAt.getTime())).size).toBe(plays.length);
    expect(elapsed).toBeLessThan(3_000);
  });
});

describe('one-off and validation', () => {
  it('a one-off startAt with repeats', () => {
    const def: OccurrenceDefinition = { startAt: at('2026-11-25T01:00:00Z'), repeat: { count: 2, gapSeconds: 30 }, durationMs: 90_000 };
    expect(starts(expandOccurrences(def, window('2026-11-25T00:00:00Z', '2026-11-26T00:00:00Z')))).toEqual(['2026-11-25T01:00:00.000Z', '2026-11-25T01:02:00.000Z']);
    expect(starts(expandOccurrences(def, window('2026-11-25T01:00:01Z', '2026-11-26T00:00:00Z')))).toEqual(['2026-11-25T01:02:00.000Z']);
    expect(expandOccurrences(def, window('2026-11-25T01:02:01Z', '2026-11-26T00:00:00Z'))).toEqual([]);
  });

  it('needs exactly one of startAt and recurrence', () => {
    expect(() => expandOccurrences({ durationMs: 1 }, window('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'))).toThrow(AppError);
    expect(() =>
      expandOccurrences({ startAt: at('2026-01-01T00:00:00Z'), recurrence: rec({ daily: { times: ['06:00'] } }), durationMs: 1 }, window('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')),
    ).toThrow(/exactly one/);
  });

  it('an invalid cron or time zone is a validation error naming the field', () => {
    const w = window('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z');
    expect(() => expandOccurrences(recurring({ cron: '61 6 * * *' }), w)).toThrow(/61 is not a valid minute/);
    expect(() => expandOccurrences({ recurrence: { daily: { times: ['06:00'] }, timezone: 'Nowhere/City' }, durationMs: 1 }, w)).toThrow(/unknown time zone/);
  });

  it('guards against runaway expansion instead of returning part of the answer', () => {
    const perMinute = recurring({ cron: '* * * * *' });
    const month = window('2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z');
    expect(() => expandOccurrences(perMinute, month, { maxOccurrences: 1000 })).toThrow(expect.objectContaining({ code: 'EXPANSION_LIMIT', statusCode: 422 }));
    expect(() => expandOccurrences(recurring({ daily: { times: ['06:00'] } }), window('2000-01-01T00:00:00Z', '2030-01-01T00:00:00Z'))).toThrow(
      expect.objectContaining({ code: 'EXPANSION_LIMIT' }),
    );
    // A validity window bounds the days scanned, so a wide query of a short programme is fine.
    const short = recurring({ daily: { times: ['06:00'] }, validFrom: '2026-03-01', validUntil: '2026-03-03' });
    expect(expandOccurrences(short, window('2000-01-01T00:00:00Z', '2030-01-01T00:00:00Z'))).toHaveLength(3);
  });
});

describe('nextOccurrences', () => {
  it('lists the next plays strictly after an instant, repeats included', () => {
    const def = recurring({ daily: { times: ['06:00'] } }, { repeat: { count: 3, gapSeconds: 120 } });
    const plays = nextOccurrences(def, at('2026-01-01T23:03:00Z'), 4);
    expect(plays.map((p) => [p.startAt.toISOString(), p.repeatIndex])).toEqual([
      ['2026-01-01T23:06:00.000Z', 2],
      ['2026-01-02T23:00:00.000Z', 0],
      ['2026-01-02T23:03:00.000Z', 1],
      ['2026-01-02T23:06:00.000Z', 2],
    ]);
  });

  it('finds sparse schedules years ahead and stops at the end of validity', () => {
    const leapDay = nextOccurrences(recurring({ cron: '0 6 29 2 *' }), at('2026-01-01T00:00:00Z'), 2);
    expect(starts(leapDay)).toEqual(['2028-02-28T23:00:00.000Z', '2032-02-28T23:00:00.000Z']);
    const short = nextOccurrences(recurring({ daily: { times: ['06:00'] }, validUntil: '2026-01-03' }), at('2026-01-01T00:00:00Z'), 10);
    expect(starts(short)).toEqual(['2026-01-01T23:00:00.000Z', '2026-01-02T23:00:00.000Z']);
  });

  it('works for a one-off and for a dense schedule', () => {
    const once = nextOccurrences({ startAt: at('2030-05-01T00:00:00Z'), durationMs: 1000 }, at('2026-01-01T00:00:00Z'), 3);
    expect(starts(once)).toEqual(['2030-05-01T00:00:00.000Z']);
    const dense = nextOccurrences(recurring({ cron: '* * * * *' }), at('2026-01-01T00:00:30Z'), 3);
    expect(starts(dense)).toEqual(['2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z', '2026-01-01T00:03:00.000Z']);
  });
});
