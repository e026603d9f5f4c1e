/**
 * The approval page's logic: the queue and who may act on it, an author's outcomes, the order of
 * the offer inbox, schedules put into parts for words, targets named, and refused decisions mapped
 * to plain messages (SELF_APPROVAL above all).
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../server/web/src/api.js';
import { decisionProblem } from '../../../server/web/src/lib/approval-errors.js';
import {
  authorOf,
  historyStep,
  isOpenOffer,
  mySubmissions,
  outcomeOf,
  pendingQueue,
  reviewableCount,
  sortOffers,
  summariseTarget,
} from '../../../server/web/src/lib/approval-queue.js';
import { describeSchedule } from '../../../server/web/src/lib/approval-schedule.js';
import type { BroadcastListItem, InboxOffer } from '../../../server/web/src/lib/approval-types.js';

function item(overrides: Partial<BroadcastListItem> & { id: string }): BroadcastListItem {
  return {
    bulletinId: 'b',
    priority: 'normal',
    status: 'scheduled',
    approvalState: 'pending',
    distribution: 'direct',
    originAreaId: 'commune',
    offerId: null,
    createdBy: 'operator',
    target: { areaIds: ['commune'] },
    startAt: '2026-11-25T01:00:00.000Z',
    recurrence: null,
    repeat: null,
    programmeKey: null,
    createdAt: '2026-11-20T01:00:00.000Z',
    title: overrides.id,
    author: 'can-bo',
    decision: null,
    ...overrides,
  };
}

function offer(overrides: Partial<InboxOffer> & { id: string }): InboxOffer {
  return {
    broadcastId: 'district-broadcast',
    areaId: 'commune',
    areaName: 'Xã Văn Sơn',
    state: 'offered',
    scheduledBroadcastId: null,
    clashBroadcastId: null,
    decidedBy: null,
    decidedAt: null,
    reason: null,
    createdAt: '2026-11-20T01:00:00.000Z',
    title: overrides.id,
    priority: 'normal',
    fromAreaId: 'district',
    proposed: { startAt: '2026-11-25T01:00:00.000Z', recurrence: null },
    ...overrides,
  };
}

describe('the approval queue', () => {
  it('holds pending broadcasts not withdrawn, the soonest to play first, recurring ones last', () => {
    const queue = pendingQueue([
      item({ id: 'later', startAt: '2026-11-26T01:00:00.000Z' }),
      item({ id: 'approved', approvalState: 'approved' }),
      item({ id: 'weekly', startAt: null, recurrence: { weekly: { days: ['mon'], times: ['06:00'] } } }),
      item({ id: 'cancelled', status: 'cancelled' }),
      item({ id: 'sooner', startAt: '2026-11-24T01:00:00.000Z' }),
    ]);
    expect(queue.map((entry) => entry.id)).toEqual(['sooner', 'later', 'weekly']);
  });

  it('counts only what the user may decide: never their own', () => {
    const queue = [item({ id: 'theirs' }), item({ id: 'mine', createdBy: 'approver' })];
    expect(reviewableCount(queue, 'approver')).toBe(1);
    expect(reviewableCount(queue, 'someone-else')).toBe(2);
  });
});

describe('an author’s submissions', () => {
  it('are theirs only, newest first', () => {
    const mine = mySubmissions(
      [item({ id: 'old', createdAt: '2026-11-01T00:00:00Z' }), item({ id: 'other', createdBy: 'x' }), item({ id: 'new', createdAt: '2026-11-21T00:00:00Z' })],
      'operator',
    );
    expect(mine.map((entry) => entry.id)).toEqual(['new', 'old']);
  });

  it('read as waiting, approved, rejected, cancelled, or approved without review', () => {
    const decision = { from: 'pending', to: 'approved', userId: 'a', username: 'duyet', reason: null, at: '2026-11-21T00:00:00Z' };
    expect(outcomeOf(item({ id: 'a' }))).toBe('waiting');
    expect(outcomeOf(item({ id: 'b', approvalState: 'approved', decision }))).toBe('approved');
    expect(outcomeOf(item({ id: 'c', approvalState: 'rejected', decision: { ...decision, to: 'rejected', reason: 'sai ngày' } }))).toBe('rejected');
    expect(outcomeOf(item({ id: 'd', approvalState: 'approved', status: 'cancelled', decision }))).toBe('cancelled');
    expect(outcomeOf(item({ id: 'e', approvalState: 'approved' }))).toBe('no-review');
  });

  it('have a history in steps, and an author from the first one', () => {
    const history = [
      { from: null, to: 'pending', username: 'can-bo' },
      { from: 'pending', to: 'pending', username: 'can-bo' },
      { from: 'pending', to: 'rejected', username: 'duyet' },
      { from: 'rejected', to: 'pending', username: 'can-bo' },
      { from: 'pending', to: 'approved', username: 'duyet' },
    ];
    expect(history.map(historyStep)).toEqual(['submitted', 'changed', 'rejected', 'changed', 'approved']);
    expect(historyStep({ from: null, to: 'approved' })).toBe('created');
    expect(authorOf(history)).toBe('can-bo');
    expect(authorOf([])).toBeNull();
  });
});

describe('the offer inbox', () => {
  it('lists open offers first, oldest first, then decided ones, latest decision first', () => {
    const sorted = sortOffers([
      offer({ id: 'declined-early', state: 'declined', decidedAt: '2026-11-20T05:00:00Z' }),
      offer({ id: 'open-new', createdAt: '2026-11-22T00:00:00Z' }),
      offer({ id: 'accepted-late', state: 'accepted', decidedAt: '2026-11-22T05:00:00Z' }),
      offer({ id: 'clash-old', state: 'clash', createdAt: '2026-11-19T00:00:00Z' }),
    ]);
    expect(sorted.map((entry) => entry.id)).toEqual(['clash-old', 'open-new', 'accepted-late', 'declined-early']);
    expect(sorted.map(isOpenOffer)).toEqual([true, true, false, false]);
  });
});

describe('describeSchedule', () => {
  it('tells a one-off, an immediate one, and recurrences with days from Monday and sorted times', () => {
    expect(describeSchedule({ startAt: '2026-11-25T01:00:00Z', recurrence: null }).rule).toEqual({ kind: 'once', at: '2026-11-25T01:00:00Z' });
    expect(describeSchedule({ startAt: null, recurrence: null }).rule).toEqual({ kind: 'asap' });
    expect(describeSchedule({ startAt: null, recurrence: { daily: { times: ['17:00', '06:00', '06:00'] } } }).rule).toEqual({ kind: 'daily', times: ['06:00', '17:00'] });
    expect(describeSchedule({ startAt: null, recurrence: { weekly: { days: ['sun', 'wed', 'mon'], times: ['06:30'] } } }).rule).toEqual({
      kind: 'weekly',
      days: ['mon', 'wed', 'sun'],
      times: ['06:30'],
    });
    expect(describeSchedule({ startAt: null, recurrence: { monthly: { days: [15, 1], times: ['07:00'] } } }).rule).toEqual({ kind: 'monthly', days: [1, 15], times: ['07:00'] });
    expect(describeSchedule({ startAt: null, recurrence: { cron: '0 6 * * 1-5' } }).rule).toEqual({ kind: 'cron', expression: '0 6 * * 1-5' });
  });

  it('carries the validity dates and the repeat count', () => {
    const description = describeSchedule({
      startAt: null,
      recurrence: { daily: { times: ['06:00'] }, validFrom: '2026-12-01', validUntil: '2026-12-31' },
      repeat: { count: 3, gapSeconds: 10 },
    });
    expect([description.validFrom, description.validUntil, description.repeatCount]).toEqual(['2026-12-01', '2026-12-31', 3]);
    expect(describeSchedule({ startAt: '2026-11-25T01:00:00Z', recurrence: null }).repeatCount).toBe(1);
  });
});

describe('summariseTarget', () => {
  const tree = [{ id: 'commune', name: 'Xã Văn Sơn', children: [{ id: 'hamlet', name: 'Xóm Bưa', children: [] }] }];

  it('names the areas the user knows, counts the others and the receivers chosen one by one', () => {
    expect(summariseTarget({ areaIds: ['hamlet', 'elsewhere'], deviceIds: ['d1', 'd2'] }, tree)).toEqual({ areaNames: ['Xóm Bưa'], otherAreas: 1, deviceCount: 2 });
    expect(summariseTarget({}, tree)).toEqual({ areaNames: [], otherAreas: 0, deviceCount: 0 });
  });
});

describe('decisionProblem', () => {
  it('maps the server’s refusals to what the official should understand', () => {
    const cases: [ApiError, string][] = [
      [new ApiError(403, 'SELF_APPROVAL', 'you cannot review your own broadcast or bulletin; another approver must'), 'self'],
      [new ApiError(409, 'CONFLICT', 'the broadcast was decided by someone else meanwhile'), 'decided'],
      [new ApiError(403, 'FORBIDDEN', 'this broadcast was sent by a level above yours'), 'forbidden'],
      [new ApiError(404, 'NOT_FOUND', 'broadcast "x" does not exist'), 'gone'],
      [new ApiError(0, 'NETWORK', 'network'), 'network'],
      [new ApiError(400, 'VALIDATION_FAILED', 'reason: required', [{ field: 'reason', message: 'required' }]), 'invalid'],
      [new ApiError(500, 'INTERNAL', 'boom'), 'other'],
    ];
    for (const [error, problem] of cases) expect(decisionProblem(error), error.code).toBe(problem);
  });
});
