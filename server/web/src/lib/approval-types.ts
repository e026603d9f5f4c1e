/**
 * What the approval and offer routes return, as the console reads them (dates as ISO strings):
 * server/broadcasts/broadcast-service.ts, offer-service.ts, bulletin-service.ts.
 */

export interface Recurrence {
  readonly cron?: string;
  readonly daily?: { readonly times: readonly string[] };
  readonly weekly?: { readonly times: readonly string[]; readonly days: readonly Weekday[] };
  readonly monthly?: { readonly times: readonly string[]; readonly days: readonly number[] };
  readonly timezone?: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Repeat {
  readonly count: number;
  readonly gapSeconds?: number;
}

export interface BroadcastTarget {
  readonly areaIds?: readonly string[];
  readonly deviceIds?: readonly string[];
}

export interface ApprovalTransition {
  readonly from: string | null;
  readonly to: string;
  readonly userId: string | null;
  readonly username: string | null;
  readonly reason: string | null;
  readonly at: string;
}

export interface BroadcastSummary {
  readonly id: string;
  readonly bulletinId: string;
  readonly priority: string;
  /** scheduled | dispatched | completed | cancelled */
  readonly status: string;
  /** pending | approved | rejected */
  readonly approvalState: string;
  readonly distribution: string;
  readonly originAreaId: string | null;
  readonly offerId: string | null;
  readonly createdBy: string | null;
  readonly target: BroadcastTarget;
  readonly startAt: string | null;
  readonly recurrence: Recurrence | null;
  readonly repeat: Repeat | null;
  readonly programmeKey: string | null;
  readonly createdAt: string;
}

/** A row of GET /api/broadcasts. */
export interface BroadcastListItem extends BroadcastSummary {
  readonly title: string;
  readonly author: string | null;
  /** The review that stands: who approved or rejected, when, with the note or reason. */
  readonly decision: ApprovalTransition | null;
}

/** GET /api/broadcasts/:id, the parts the approval page reads. */
export interface BroadcastDetail extends BroadcastSummary {
  readonly approvals: readonly ApprovalTransition[];
}

export type BulletinPart =
  | { readonly kind: 'chime'; readonly name: string; readonly durationMs: number }
  | { readonly kind: 'tts'; readonly text: string; readonly durationMs: number }
  | { readonly kind: 'audio'; readonly bulletinId: string; readonly durationMs: number };

/** GET /api/bulletins/:id */
export interface Bulletin {
  readonly id: string;
  readonly title: string;
  readonly text: string | null;
  readonly language: string;
  /** tts | upload | parts … */
  readonly source: string;
  readonly transcript: string | null;
  readonly parts: readonly BulletinPart[] | null;
  readonly approvalState: string;
  readonly createdAt: string;
  readonly audio: { readonly url: string; readonly durationMs: number; readonly mime: string };
}

export type OfferState = 'offered' | 'clash' | 'accepted' | 'declined' | 'scheduled';

/** A row of GET /api/offers: content a district or province sent to one of the user's communes. */
export interface InboxOffer {
  readonly id: string;
  readonly broadcastId: string;
  readonly areaId: string;
  readonly areaName: string;
  readonly state: OfferState;
  readonly scheduledBroadcastId: string | null;
  readonly clashBroadcastId: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly reason: string | null;
  readonly createdAt: string;
  readonly title: string;
  readonly priority: string;
  readonly fromAreaId: string | null;
  readonly proposed: { readonly startAt: string | null; readonly recurrence: Recurrence | null };
}
