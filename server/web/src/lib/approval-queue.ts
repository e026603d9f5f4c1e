/**
 * Who has to act on what: the approver's queue (pending broadcasts another user wrote), the
 * author's own submissions with their outcome, and the offers a commune has not answered yet.
 */
import { findArea, type TreeArea } from './area-tree.js';
import type { BroadcastListItem, BroadcastTarget, InboxOffer } from './approval-types.js';

/** The queue: pending and not withdrawn, the soonest to play first (what waits longest for nothing). */
export function pendingQueue(items: readonly BroadcastListItem[]): BroadcastListItem[] {
  return items
    .filter((item) => item.approvalState === 'pending' && item.status !== 'cancelled')
    .sort((a, b) => (a.startAt ?? '\uffff').localeCompare(b.startAt ?? '\uffff') || a.createdAt.localeCompare(b.createdAt));
}

/** Nobody reviews their own work (the server answers SELF_APPROVAL): such items wait for another approver. */
export function isOwn(item: { readonly createdBy: string | null }, userId: string): boolean {
  return item.createdBy === userId;
}

export function reviewableCount(queue: readonly BroadcastListItem[], userId: string): number {
  return queue.filter((item) => !isOwn(item, userId)).length;
}

/** What the user wrote, newest first. */
export function mySubmissions(items: readonly BroadcastListItem[], userId: string): BroadcastListItem[] {
  return items.filter((item) => isOwn(item, userId)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export type Outcome = 'waiting' | 'approved' | 'rejected' | 'cancelled' | 'no-review';

/**
 * Where a submission stands for its author. A cancelled one is over whatever its review said; an
 * approved one without a decision was approved when written (an approver's or admin's own).
 */
export function outcomeOf(item: BroadcastListItem): Outcome {
  if (item.status === 'cancelled') return 'cancelled';
  if (item.approvalState === 'pending') return 'waiting';
  if (item.approvalState === 'rejected') return 'rejected';
  return item.decision ? 'approved' : 'no-review';
}

export const OPEN_OFFER_STATES: ReadonlySet<string> = new Set(['offered', 'clash']);

export function isOpenOffer(offer: InboxOffer): boolean {
  return OPEN_OFFER_STATES.has(offer.state);
}

/** Open offers first (oldest first: they have waited longest), then decided ones, newest first. */
export function sortOffers(offers: readonly InboxOffer[]): InboxOffer[] {
  return [...offers].sort((a, b) => {
    const open = Number(isOpenOffer(b)) - Number(isOpenOffer(a));
    if (open !== 0) return open;
    return isOpenOffer(a) ? a.createdAt.localeCompare(b.createdAt) : (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt);
  });
}

export interface TargetSummary {
  /** Names of the target areas the user's tree holds. */
  readonly areaNames: string[];
  /** Target areas outside the user's tree (a level above sent them). */
  readonly otherAreas: number;
  /** Receivers named one by one. */
  readonly deviceCount: number;
}

export function summariseTarget(target: BroadcastTarget, areas: readonly TreeArea[]): TargetSummary {
  const areaNames: string[] = [];
  let otherAreas = 0;
  for (const id of target.areaIds ?? []) {
    const area = findArea(areas, id);
    if (area) areaNames.push(area.name);
    else otherAreas++;
  }
  return { areaNames, otherAreas, deviceCount: target.deviceIds?.length ?? 0 };
}

export type HistoryStep = 'submitted' | 'created' | 'changed' | 'approved' | 'rejected';

/** One stored transition as the author and reviewer think of it. */
export function historyStep(transition: { readonly from: string | null; readonly to: string }): HistoryStep {
  if (transition.from === null) return transition.to === 'pending' ? 'submitted' : 'created';
  if (transition.from === 'pending' && transition.to === 'approved') return 'approved';
  if (transition.from === 'pending' && transition.to === 'rejected') return 'rejected';
  return 'changed';
}

/** Who wrote the broadcast: the user behind its first transition. */
export function authorOf(transitions: readonly { readonly from: string | null; readonly username: string | null }[]): string | null {
  return transitions.find((transition) => transition.from === null)?.username ?? null;
}
