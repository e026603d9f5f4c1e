import { describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors.js';
import { compileRecurrence, cronErrors, parseCronRule, validateCron } from '../../../server/scheduling/cron-rules.js';

/** Every date of 2026 (y, m, d) the rule matches, as MM-DD. */
function matchingDays(expression: string, year = 2026): string[] {
  const rule = parseCronRule(expression);
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const d = new Date(t);
    if (rule.matchesDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())) {
      out.push(`${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`);
    }
  }
  return out;
}

describe('compileRecurrence', () => {
  it('daily: one expression per group of hours that share the same minutes', () => {
    expect(compileRecurrence({ daily: { times: ['06:30'] } })).toEqual(['30 6 * * *']);
    expect(compileRecurrence({ daily: { times: ['17:30', '06:30', '11:30', '17:00', '06:30'] } })).toEqual(['30 6,11 * * *', '0,30 17 * * *']);
  });

  it('weekly: days as cron numbers (sun = 0), sorted', () => {
    expect(compileRecurrence({ weekly: { days: ['thu', 'mon'], times: ['06:30'] } })).toEqual(['30 6 * * 1,4']);
    expect(compileRecurrence({ weekly: { days: ['sun', 'sat'], times: ['05:00', '17:15'] } })).toEqual(['0 5 * * 0,6', '15 17 * * 0,6']);
  });

  it('monthly: days of month', () => {
    expect(compileRecurrence({ monthly: { days: [15, 1], times: ['07:00'] } })).toEqual(['0 7 1,15 * *']);
  });

  it('cron: normalised and validated', () => {
    expect(compileRecurrence({ cron: '  0   6 * *  1-5 ' })).toEqual(['0 6 * * 1-5']);
    expect(compileRecurrence({ cron: '@midnight' })).toEqual(['0 0 * * *']);
    expect(() => compileRecurrence({ cron: '61 6 * * *' })).toThrow(AppError);
  });
});

describe('validateCron', () => {
  it.each([
    ['61 * * * *', 'cron: 61 is not a valid minute'],
    ['0 24 * * *', 'cron: 24 is not a valid hour'],
    ['0 6 32 * *', 'cron: 32 is not a valid day of month'],
    ['0 6 * 13 *', 'cron: 13 is not a valid month'],
    ['0 6 * * 8', 'cron: 8 is not a valid day of week'],
    ['0-70 * * * *', 'cron: 0-70 is not a valid minute'],
    ['0 6 31 2 *', 'cron: day of month 31 never occurs in month 2'],
    ['* * * *', 'cron: expected 5 fields (minute hour day-of-month month day-of-week) but got 4'],
  ])('%s → %s', (expression, message) => {
    expect(validateCron(expression)).toEqual([message]);
  });

  it('refuses a seconds field', () => {
    expect(validateCron('0 0 6 * * *')[0]).toMatch(/expected 5 fields.*got 6.*seconds/);
  });

  it('accepts valid expressions', () => {
    for (const e of ['*/15 6-8 * * 1-5', '0 6 1,15 * *', '30 17 L * *', '0 7 * * mon#1', '0 6 * jan-mar sat,sun', '0 6 * * 7']) {
      expect(validateCron(e), e).toEqual([]);
    }
  });

  it('cronErrors reports fields under recurrence for the API', () => {
    expect(cronErrors({ cron: '0 25 * * *', timezone: 'Asia/Bangkok', validFrom: '2026-02-30' })).toEqual([
      { field: 'recurrence.cron', message: '25 is not a valid hour' },
      { field: 'recurrence.validFrom', message: '2026-02-30 is not a date that exists' },
    ]);
    expect(cronErrors({ daily: { times: ['06:00'] }, timezone: 'Nowhere/City' })).toEqual([
      { field: 'recurrence.timezone', message: 'unknown time zone "Nowhere/City"' },
    ]);
    expect(cronErrors({ cron: '0 6 * * *', exceptions: [{ date: '2026-13-01', action: 'skip' }] })).toEqual([
      { field: 'recurrence.exceptions.0.date', message: '2026-13-01 is not a date that exists' },
    ]);
    expect(cronErrors({ weekly: { days: ['mon'], times: ['06:00'] }, timezone: 'Europe/Berlin' })).toEqual([]);
  });
});

describe('parseCronRule', () => {
  it('expands ranges, lists and steps in the time fields', () => {
    const rule = parseCronRule('*/20 6-8,17 * * *');
    expect(rule.minutes).toEqual([0, 20, 40]);
    expect(rule.hours).toEqual([6, 7, 8, 17]);
    expect(parseCronRule('5-59/15 */6 * * *').minutes).toEqual([5, 20, 35, 50]);
    expect(parseCronRule('5-59/15 */6 * * *').hours).toEqual([0, 6, 12, 18]);
  });

  it('matches months and days, including names and 7 = Sunday', () => {
    expect(matchingDays('0 6 * feb sun')).toEqual(['02-01', '02-08', '02-15', '02-22']);
    expect(matchingDays('0 6 * 2 7')).toEqual(['02-01', '02-08', '02-15', '02-22']);
    expect(matchingDays('0 6 */10 3 *')).toEqual(['03-01', '03-11', '03-21', '03-31']);
  });

  it('vixie OR semantics: both day fields restricted → either matches', () => {
    // The 1st and the 15th of February 2026, and every Monday.
    expect(matchingDays('0 6 1,15 2 1')).toEqual(['02-01', '02-02', '02-09', '02-15', '02-16', '02-23']);
  });

  it('AND semantics when either day field starts with * (as vixie cron, even */2)', () => {
    expect(matchingDays('0 6 * 2 1')).toEqual(['02-02', '02-09', '02-16', '02-23']);
    // */2 counts as unrestricted: odd days of February that are Mondays.
    expect(matchingDays('0 6 */2 2 1')).toEqual(['02-09', '02-23']);
  });

  it('the 31st only fires in months that have one', () => {
    expect(matchingDays('0 6 31 * *')).toEqual(['01-31', '03-31', '05-31', '07-31', '08-31', '10-31', '12-31']);
    expect(matchingDays('0 6 29 2 *', 2026)).toEqual([]);
    expect(matchingDays('0 6 29 2 *', 2028)).toEqual(['02-29']);
  });

  it("supports node-cron's L, W and # extensions", () => {
    expect(matchingDays('0 6 L 1-4 *')).toEqual(['01-31', '02-28', '03-31', '04-30']);
    expect(matchingDays('0 6 * 1-3 1#1')).toEqual(['01-05', '02-02', '03-02']);
    expect(matchingDays('0 6 * 1-3 5L')).toEqual(['01-30', '02-27', '03-27']);
    // 2026-02-01 is a Sunday: the nearest weekday of the 1st is Monday the 2nd.
    expect(matchingDays('0 6 1W 2 *')).toEqual(['02-02']);
  });

  it('throws a validation AppError whose details name the cron field', () => {
    try {
      parseCronRule('0 6 * * 9');
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('VALIDATION_FAILED');
      expect((error as AppError).details).toEqual([{ field: 'cron', message: 'cron: 9 is not a valid day of week' }]);
    }
  });
});
