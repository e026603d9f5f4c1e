/**
 * What an official reads as a broadcast's state in a report. The stored status cannot say it on
 * its own: an ordinary broadcast stays `scheduled` after it has played (only emergencies move to
 * `dispatched` and `completed`), so whether it is still to come, on air or over is read from its
 * airings and from what receivers report. Pure, so the rules are tested without a database.
 */
import type { ApprovalState, BroadcastStatus } from '../db/generated/enums.js';
import { vietnamDay } from './report-period.js';

/** pending/rejected: waiting for or refused by an approver; scheduled: still to come; dispatched: on air now; completed: nothing more to come. */
export const BROADCAST_REPORT_STATES = ['pending', 'rejected', 'scheduled', 'dispatched', 'completed', 'cancelled'] as const;
export type BroadcastReportState = (typeof BROADCAST_REPORT_STATES)[number];

export interface BroadcastStateFacts {
  readonly status: BroadcastStatus;
  readonly approvalState: ApprovalState;
  /** The recurrence's last day (`validUntil`, a Vietnam date, inclusive); undefined for a one-off, null for a rule without an end. */
  readonly recurringUntil: string | null | undefined;
  readonly startAt: Date | null;
  /** Whether any airing was ever planned for it. */
  readonly planned: boolean;
  /** An airing planned or sent that starts after now. */
  readonly upcoming: boolean;
  /** A receiver reports playing one of its airings that has not expired. */
  readonly playing: boolean;
}

export function reportStateOf(facts: BroadcastStateFacts, now: Date): BroadcastReportState {
  if (facts.status === 'cancelled') return 'cancelled';
  if (facts.approvalState === 'rejected') return 'rejected';
  if (facts.approvalState === 'pending') return 'pending';
  // An active emergency is `dispatched` between its airings too.
  if (facts.playing || facts.status === 'dispatched') return 'dispatched';
  if (facts.status === 'completed') return 'completed';
  if (facts.upcoming) return 'scheduled';
  // The scheduler plans a rule a couple of days ahead: without an end it always has more to come.
  if (facts.recurringUntil === null) return 'scheduled';
  if (facts.recurringUntil !== undefined && facts.recurringUntil >= vietnamDay(now)) return 'scheduled';
  if (!facts.planned && (facts.startAt === null || facts.startAt > now)) return 'scheduled';
  return 'completed';
}

/** `validUntil` of a stored recurrence, as `recurringUntil` wants it. */
export function recurringUntilOf(recurrence: unknown): string | null | undefined {
  if (recurrence === null || typeof recurrence !== 'object') return undefined;
  const until = (recurrence as { validUntil?: unknown }).validUntil;
  return typeof until === 'string' ? until : null;
}
