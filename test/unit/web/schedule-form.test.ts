/**
 * The schedule form as data: what an official enters → the body of POST /api/broadcasts (and
 * /check), or problems keyed to the fields, in Vietnam time whatever the machine's zone.
 */
import { describe, expect, it } from 'vitest';
import type { TreeArea } from '../../../server/web/src/lib/area-tree.js';
import {
  buildBroadcast,
  initialScheduleState,
  PAST_TOLERANCE_MS,
  serverFieldsOf,
  unplacedDetails,
  type ScheduleFormState,
} from '../../../server/web/src/lib/schedule-form.js';

const area = (id: string, children: TreeArea[] = []): TreeArea => ({ id, name: id, children });
const TREE = [area('tinh', [area('huyen', [area('xa-van-son', [area('xom-bua'), area('xom-ke')]), area('xa-man-duc', [area('xom-mo')])])])];

// 10:00:00 on 25 November 2026 in Vietnam.
const NOW = Date.parse('2026-11-25T03:00:00Z');

function form(patch: Partial<ScheduleFormState> = {}): ScheduleFormState {
  return { ...initialScheduleState(NOW, 'bulletin-1'), areas: new Set(['xa-van-son']), ...patch };
}

const build = (patch: Partial<ScheduleFormState> = {}, now = NOW) => buildBroadcast(form(patch), TREE, now);
const problems = (patch: Partial<ScheduleFormState>, now = NOW) => build(patch, now).problems.map(({ field, code }) => `${field}:${code}`);

describe('a new schedule form', () => {
  it('starts at a time a quarter of an hour ahead, on the minute, in Vietnam time', () => {
    const state = initialScheduleState(Date.parse('2026-11-25T03:00:20Z'));
    expect(state).toMatchObject({ when: 'at', date: '2026-11-25', time: '10:16:00', repeatCount: '1', priority: 'normal', bulletinId: '' });
    expect(state.areas.size).toBe(0);
  });

  it('rolls over to the next Vietnamese day late in the evening', () => {
    expect(initialScheduleState(Date.parse('2026-11-25T16:50:00Z'))).toMatchObject({ date: '2026-11-26', time: '00:05:00' });
  });
});

describe('now', () => {
  it('sends no start time: the server starts it two seconds ahead', () => {
    expect(build({ when: 'now' })).toEqual({
      payload: { bulletinId: 'bulletin-1', target: { areaIds: ['xa-van-son'] }, priority: 'normal' },
      problems: [],
    });
  });
});

describe('at a time', () => {
  it('is the Vietnam wall-clock time as an instant, to the second', () => {
    expect(build({ date: '2026-11-25', time: '14:05:30' }).payload).toEqual({
      bulletinId: 'bulletin-1',
      target: { areaIds: ['xa-van-son'] },
      startAt: '2026-11-25T07:05:30.000Z',
      priority: 'normal',
    });
    expect(build({ date: '2026-11-26', time: '06:30' }).payload?.startAt).toBe('2026-11-25T23:30:00.000Z');
  });

  it('names a missing or impossible date or time', () => {
    expect(problems({ date: '', time: '' })).toEqual(['date:required', 'time:required']);
    expect(problems({ date: '2026-02-30' })).toEqual(['date:invalidDate']);
    expect(problems({ date: '25/11/2026' })).toEqual(['date:invalidDate']);
    expect(problems({ time: '24:00' })).toEqual(['time:invalidTime']);
    expect(problems({ time: '7h30' })).toEqual(['time:invalidTime']);
  });

  it('refuses a time already past, but not one typed a moment ago', () => {
    expect(problems({ date: '2026-11-25', time: '09:58:00' })).toEqual(['time:past']);
    expect(problems({ date: '2026-11-24', time: '23:00' })).toEqual(['time:past']);
    expect(build({ date: '2026-11-25', time: '09:59:30' }).payload?.startAt).toBe('2026-11-25T02:59:30.000Z');
    expect(PAST_TOLERANCE_MS).toBeLessThanOrEqual(120_000);
  });

  it('leaves out what belongs to a rule', () => {
    const payload = build({ times: ['06:30'], weekdays: ['mon'], validFrom: '2026-12-01', validUntil: '2026-12-31', cron: '0 6 * * *' }).payload;
    expect(payload).not.toHaveProperty('recurrence');
    expect(payload?.startAt).toBeDefined();
  });
});

describe('recurring', () => {
  const recurring = (patch: Partial<ScheduleFormState>) => build({ when: 'recurring', ...patch });

  it('daily: the times sorted, without repeats, to the minute', () => {
    expect(recurring({ rule: 'daily', times: ['17:00', '06:30', '17:00', '11:15:00'] }).payload).toEqual({
      bulletinId: 'bulletin-1',
      target: { areaIds: ['xa-van-son'] },
      recurrence: { daily: { times: ['06:30', '11:15', '17:00'] } },
      priority: 'normal',
    });
  });

  it('daily: names a missing, wrong or excessive time', () => {
    expect(problems({ when: 'recurring', rule: 'daily', times: [] })).toEqual(['times:required']);
    expect(problems({ when: 'recurring', rule: 'daily', times: [''] })).toEqual(['times:required']);
    expect(problems({ when: 'recurring', rule: 'daily', times: ['06:30', ''] })).toEqual(['times:invalidTime']);
    expect(problems({ when: 'recurring', rule: 'daily', times: ['6:30'] })).toEqual(['times:invalidTime']);
    const everyHour = Array.from({ length: 25 }, (_, i) => `${String(i % 24).padStart(2, '0')}:${i < 24 ? '00' : '30'}`);
    expect(build({ when: 'recurring', rule: 'daily', times: everyHour }).problems).toEqual([{ field: 'times', code: 'range', min: 1, max: 24 }]);
  });

  it('weekly: the chosen days, Monday first, at the times', () => {
    expect(recurring({ rule: 'weekly', weekdays: ['sun', 'wed', 'mon'], times: ['06:30'] }).payload?.recurrence).toEqual({
      weekly: { days: ['mon', 'wed', 'sun'], times: ['06:30'] },
    });
    expect(problems({ when: 'recurring', rule: 'weekly', weekdays: [] })).toEqual(['weekdays:required']);
  });

  it('monthly: the chosen dates in order', () => {
    expect(recurring({ rule: 'monthly', monthDays: [15, 1, 15], times: ['07:00'] }).payload?.recurrence).toEqual({
      monthly: { days: [1, 15], times: ['07:00'] },
    });
    expect(problems({ when: 'recurring', rule: 'monthly', monthDays: [] })).toEqual(['monthDays:required']);
    expect(problems({ when: 'recurring', rule: 'monthly', monthDays: [32] })).toEqual(['monthDays:range']);
  });

  it('cron: five fields or a nickname, spaces tidied; the times list does not apply', () => {
    expect(recurring({ rule: 'cron', cron: '  30 6  * * 1-5 ', times: [] }).payload?.recurrence).toEqual({ cron: '30 6 * * 1-5' });
    expect(recurring({ rule: 'cron', cron: '@daily' }).payload?.recurrence).toEqual({ cron: '@daily' });
    expect(problems({ when: 'recurring', rule: 'cron', cron: '' })).toEqual(['cron:required']);
    expect(problems({ when: 'recurring', rule: 'cron', cron: '0 30 6 * * 1' })).toEqual(['cron:cronFields']);
    expect(problems({ when: 'recurring', rule: 'cron', cron: '30 6 *' })).toEqual(['cron:cronFields']);
  });

  it('carries the validity window, each end optional', () => {
    expect(recurring({ rule: 'daily', validFrom: '2026-12-01', validUntil: '2026-12-31' }).payload?.recurrence).toEqual({
      daily: { times: ['06:30'] },
      validFrom: '2026-12-01',
      validUntil: '2026-12-31',
    });
    expect(recurring({ rule: 'daily', validUntil: '2026-11-25' }).payload?.recurrence).toEqual({ daily: { times: ['06:30'] }, validUntil: '2026-11-25' });
    expect(recurring({ rule: 'daily', validFrom: '2026-11-01' }).payload?.recurrence).toEqual({ daily: { times: ['06:30'] }, validFrom: '2026-11-01' });
  });

  it('names a validity window that ends before it starts, has ended, or is not a date', () => {
    expect(problems({ when: 'recurring', validFrom: '2026-12-31', validUntil: '2026-12-01' })).toEqual(['validUntil:beforeStart']);
    expect(problems({ when: 'recurring', validUntil: '2026-11-24' })).toEqual(['validUntil:past']);
    expect(problems({ when: 'recurring', validFrom: '2026-13-01' })).toEqual(['validFrom:invalidDate']);
    expect(problems({ when: 'recurring', validUntil: 'tomorrow' })).toEqual(['validUntil:invalidDate']);
  });
});

describe('repeats', () => {
  it('are left out when each play is once', () => {
    expect(build({ repeatCount: '1', gapSeconds: 'anything' }).payload).not.toHaveProperty('repeat');
  });

  it('give the count and the silence between plays', () => {
    expect(build({ repeatCount: '3', gapSeconds: '10' }).payload?.repeat).toEqual({ count: 3, gapSeconds: 10 });
    expect(build({ repeatCount: ' 2 ', gapSeconds: '' }).payload?.repeat).toEqual({ count: 2, gapSeconds: 0 });
  });

  it('name a count or gap outside what the server takes', () => {
    for (const repeatCount of ['0', '21', '', '2.5', '-1', 'hai']) {
      expect(build({ repeatCount }).problems, repeatCount).toEqual([{ field: 'repeatCount', code: 'range', min: 1, max: 20 }]);
    }
    for (const gapSeconds of ['-5', '86401', '1.5']) {
      expect(build({ repeatCount: '2', gapSeconds }).problems, gapSeconds).toEqual([{ field: 'gapSeconds', code: 'range', min: 0, max: 86_400 }]);
    }
  });
});

describe('targets and the rest', () => {
  it('collapse to the topmost chosen areas: a commune covers its hamlets', () => {
    expect(build({ areas: new Set(['xa-van-son', 'xom-bua', 'xom-ke']) }).payload?.target).toEqual({ areaIds: ['xa-van-son'] });
    expect(build({ areas: new Set(['xom-bua', 'xom-mo']) }).payload?.target).toEqual({ areaIds: ['xom-bua', 'xom-mo'] });
    expect(build({ areas: new Set(['tinh', 'xa-man-duc']) }).payload?.target).toEqual({ areaIds: ['tinh'] });
  });

  it('need at least one area and a bulletin', () => {
    expect(problems({ areas: new Set() })).toEqual(['target:required']);
    expect(problems({ areas: new Set(['not-in-my-tree']) })).toEqual(['target:required']);
    expect(problems({ bulletinId: '  ' })).toEqual(['bulletinId:required']);
  });

  it('reports every problem at once, and no payload while any stands', () => {
    const built = build({ bulletinId: '', areas: new Set(), time: '', repeatCount: '0' });
    expect(built.payload).toBeNull();
    expect(built.problems.map((p) => p.field)).toEqual(['bulletinId', 'target', 'time', 'repeatCount']);
  });

  it('carries the priority', () => {
    expect(build({ priority: 'high' }).payload?.priority).toBe('high');
    expect(build({ priority: 'low' }).payload?.priority).toBe('low');
    expect(problems({ priority: 'emergency' as ScheduleFormState['priority'] })).toEqual(['priority:required']);
  });
});

describe("the server's field names", () => {
  it('map each form field to where the server reports it', () => {
    expect(serverFieldsOf('time', 'daily')).toEqual(['startAt']);
    expect(serverFieldsOf('date', 'daily')).toEqual([]);
    expect(serverFieldsOf('times', 'weekly')).toEqual(['recurrence.weekly.times']);
    expect(serverFieldsOf('times', 'cron')).toEqual([]);
    expect(serverFieldsOf('weekdays', 'weekly')).toEqual(['recurrence.weekly.days']);
    expect(serverFieldsOf('cron', 'cron')).toEqual(['recurrence.cron']);
    expect(serverFieldsOf('validUntil', 'daily')).toEqual(['recurrence.validUntil']);
    expect(serverFieldsOf('gapSeconds', 'daily')).toEqual(['repeat.gapSeconds']);
    expect(serverFieldsOf('target', 'daily')).toEqual(['target']);
  });

  it('leave over only the messages no field shows', () => {
    const details = [
      { field: 'startAt', message: 'is in the past' },
      { field: 'target.areaIds.0', message: 'outside your area' },
      { field: 'recurrence.daily.times.1', message: 'must be a 24-hour time such as 06:30' },
      { field: 'recurrence', message: 'give exactly one of cron, daily, weekly or monthly' },
      { field: 'recurrence.timezone', message: 'unknown time zone' },
      { field: 'body', message: 'malformed' },
    ];
    expect(unplacedDetails(details, 'daily').map((d) => d.field)).toEqual(['recurrence', 'recurrence.timezone', 'body']);
    // With cron chosen, a times message has no field to stand by.
    expect(unplacedDetails(details, 'cron').map((d) => d.field)).toContain('recurrence.daily.times.1');
  });
});
