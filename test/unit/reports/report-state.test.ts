/**
 * A broadcast's state as a report shows it: review states first, then still to come, on air or
 * over, read from its airings because an ordinary broadcast keeps the stored status `scheduled`.
 */
import { describe, expect, it } from 'vitest';
import { recurringUntilOf, reportStateOf, type BroadcastStateFacts } from '../../../server/reports/report-state.js';

const NOW = new Date('2026-11-27T09:00:00+07:00');
const played: BroadcastStateFacts = {
  status: 'scheduled',
  approvalState: 'approved',
  recurringUntil: undefined,
  startAt: new Date('2026-11-27T08:00:00+07:00'),
  planned: true,
  upcoming: false,
  playing: false,
};

describe('report state of a broadcast', () => {
  it('reads a one-off that has played as completed, although its stored status is still scheduled', () => {
    expect(reportStateOf(played, NOW)).toBe('completed');
  });

  it('reads one with an airing still to come as scheduled, and one a receiver is playing as on air', () => {
    expect(reportStateOf({ ...played, upcoming: true }, NOW)).toBe('scheduled');
    expect(reportStateOf({ ...played, playing: true, upcoming: true }, NOW)).toBe('dispatched');
  });

  it('reads one not planned yet as scheduled until its time, completed after (an offer sent down)', () => {
    expect(reportStateOf({ ...played, planned: false, startAt: new Date('2026-11-27T10:00:00+07:00') }, NOW)).toBe('scheduled');
    expect(reportStateOf({ ...played, planned: false, startAt: null }, NOW)).toBe('scheduled');
    expect(reportStateOf({ ...played, planned: false }, NOW)).toBe('completed');
  });

  it('reads a recurring broadcast as scheduled while its rule runs, completed after its last day', () => {
    expect(reportStateOf({ ...played, recurringUntil: null }, NOW)).toBe('scheduled');
    expect(reportStateOf({ ...played, recurringUntil: '2026-11-27' }, NOW)).toBe('scheduled');
    expect(reportStateOf({ ...played, recurringUntil: '2026-11-26' }, NOW)).toBe('completed');
  });

  it('puts cancellation and review before progress', () => {
    expect(reportStateOf({ ...played, status: 'cancelled', upcoming: true, approvalState: 'pending' }, NOW)).toBe('cancelled');
    expect(reportStateOf({ ...played, approvalState: 'rejected', planned: false }, NOW)).toBe('rejected');
    expect(reportStateOf({ ...played, approvalState: 'pending', planned: false }, NOW)).toBe('pending');
  });

  it('keeps the stored states of emergencies: active between airings, completed when over', () => {
    expect(reportStateOf({ ...played, status: 'dispatched' }, NOW)).toBe('dispatched');
    expect(reportStateOf({ ...played, status: 'completed' }, NOW)).toBe('completed');
  });

  it('reads the last day of a stored recurrence', () => {
    expect(recurringUntilOf(null)).toBeUndefined();
    expect(recurringUntilOf({ daily: { times: ['06:00'] } })).toBeNull();
    expect(recurringUntilOf({ daily: { times: ['06:00'] }, validUntil: '2026-12-31' })).toBe('2026-12-31');
  });
});
