/**
 * What the report pages read from the API (dates as ISO strings) and the rules they show: a
 * broadcast's state as an official reads it (the same rules as server/reports/report-state.ts),
 * whether receivers started together, and the delivery table's filter and counts.
 */

/** A delivery's states in the order a receiver passes through them, then the ends that are not `played`. */
export const DELIVERY_STATES = ['pending', 'sent', 'received', 'downloaded', 'playing', 'played', 'failed', 'preempted', 'missed', 'expired', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const REPORT_STATES = ['pending', 'rejected', 'scheduled', 'dispatched', 'completed', 'cancelled'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'emergency'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type ApprovalState = 'pending' | 'approved' | 'rejected';

export interface StartSync {
  readonly receivers: number;
  readonly spreadMs: number;
  readonly maxErrorMs: number;
}

export interface OccurrenceView {
  readonly id: string;
  readonly startAt: string;
  readonly expiresAt: string;
  readonly repeatIndex: number;
  readonly state: 'planned' | 'dispatched' | 'cancelled' | 'missed';
  readonly note: string | null;
  readonly startSync: StartSync | null;
}

export interface DeliveryView {
  readonly occurrenceId: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly deviceAreaId: string;
  readonly state: DeliveryState;
  readonly sentAt: string | null;
  readonly receivedAt: string | null;
  readonly downloadedAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

export interface ApprovalTransition {
  readonly from: ApprovalState | null;
  readonly to: ApprovalState;
  readonly username: string | null;
  readonly reason: string | null;
  readonly at: string;
}

/** GET /api/broadcasts/:id, the parts the report reads. */
export interface BroadcastView {
  readonly id: string;
  readonly bulletinId: string;
  readonly priority: Priority;
  readonly status: 'scheduled' | 'dispatched' | 'completed' | 'cancelled';
  readonly approvalState: ApprovalState;
  readonly target: { readonly areaIds?: readonly string[]; readonly deviceIds?: readonly string[] };
  readonly startAt: string | null;
  readonly recurrence: { readonly validUntil?: string } | null;
  readonly createdAt: string;
  readonly occurrences: readonly OccurrenceView[];
  readonly deliveries: readonly DeliveryView[];
  readonly approvals: readonly ApprovalTransition[];
}

/** GET /api/bulletins/:id, the parts the report reads. */
export interface BulletinView {
  readonly id: string;
  readonly title: string;
  readonly audio: { readonly url: string; readonly durationMs: number };
}

/** A row of GET /api/reports/broadcasts. */
export interface BroadcastReportRow {
  readonly id: string;
  readonly title: string;
  readonly priority: Priority;
  readonly state: ReportState;
  readonly startAt: string | null;
  readonly airings: number;
  readonly summary: Partial<Record<DeliveryState, number>>;
}

export interface BroadcastReport {
  readonly from: string;
  readonly to: string;
  readonly broadcasts: readonly BroadcastReportRow[];
  readonly truncated: boolean;
}

/** The state a report shows: review first, then on air, still to come, or over. */
export function reportStateOf(view: BroadcastView, now: Date, vietnamToday: string): ReportState {
  if (view.status === 'cancelled') return 'cancelled';
  if (view.approvalState === 'rejected') return 'rejected';
  if (view.approvalState === 'pending') return 'pending';
  const live = new Set(view.occurrences.filter((o) => Date.parse(o.expiresAt) > now.getTime()).map((o) => o.id));
  if (view.status === 'dispatched' || view.deliveries.some((d) => d.state === 'playing' && live.has(d.occurrenceId))) return 'dispatched';
  if (view.status === 'completed') return 'completed';
  if (view.occurrences.some((o) => (o.state === 'planned' || o.state === 'dispatched') && Date.parse(o.startAt) > now.getTime())) return 'scheduled';
  if (view.recurrence) return view.recurrence.validUntil === undefined || view.recurrence.validUntil >= vietnamToday ? 'scheduled' : 'completed';
  if (view.occurrences.length === 0 && (view.startAt === null || Date.parse(view.startAt) > now.getTime())) return 'scheduled';
  return 'completed';
}

/** Still to come or on air: what cancelling can still stop. */
export function canBeCancelled(state: ReportState): boolean {
  return state === 'scheduled' || state === 'dispatched' || state === 'pending';
}

/**
 * Loudspeakers within earshot fuse into one voice when they start within about 40 ms of each
 * other; beyond that listeners hear an echo (DESIGN.md, "Starting together").
 */
export const ECHO_THRESHOLD_MS = 40;

export function startedTogether(sync: StartSync): boolean {
  return sync.spreadMs <= ECHO_THRESHOLD_MS;
}

/** Who created the broadcast: the first transition of its approval history. */
export function authorOf(approvals: readonly ApprovalTransition[]): string | null {
  return approvals.find((transition) => transition.from === null)?.username ?? null;
}

/** How many deliveries are in each state, in the order of DELIVERY_STATES, leaving out the empty ones. */
export function stateCounts(deliveries: readonly { readonly state: DeliveryState }[]): [DeliveryState, number][] {
  const counts = new Map<DeliveryState, number>();
  for (const delivery of deliveries) counts.set(delivery.state, (counts.get(delivery.state) ?? 0) + 1);
  return DELIVERY_STATES.filter((state) => counts.has(state)).map((state) => [state, counts.get(state)!]);
}

/** `summary` of a report row as [state, count] in the order of DELIVERY_STATES. */
export function summaryEntries(summary: Partial<Record<DeliveryState, number>>): [DeliveryState, number][] {
  return DELIVERY_STATES.filter((state) => (summary[state] ?? 0) > 0).map((state) => [state, summary[state]!]);
}

export function isDeliveryState(value: string): value is DeliveryState {
  return (DELIVERY_STATES as readonly string[]).includes(value);
}

export function isReportState(value: string): value is ReportState {
  return (REPORT_STATES as readonly string[]).includes(value);
}

/**
 * The delivery table's rows: one state or all, by airing, then by place and receiver name.
 * `placeOf` names a receiver's area (commune › hamlet).
 */
export function deliveryRows<D extends DeliveryView>(
  deliveries: readonly D[],
  occurrences: readonly OccurrenceView[],
  state: DeliveryState | null,
  placeOf: (deviceId: string) => string,
): (D & { readonly place: string; readonly airingAt: string | null })[] {
  const startOf = new Map(occurrences.map((o) => [o.id, o.startAt]));
  return deliveries
    .filter((d) => state === null || d.state === state)
    .map((d) => ({ ...d, place: placeOf(d.deviceId), airingAt: startOf.get(d.occurrenceId) ?? null }))
    .sort(
      (a, b) =>
        (a.airingAt ?? '').localeCompare(b.airingAt ?? '') ||
        a.place.localeCompare(b.place, 'vi') ||
        a.deviceName.localeCompare(b.deviceName, 'vi'),
    );
}

/** The airings worth showing: those sent to receivers (newest first), then the next one still to come. */
export function airingsToShow(occurrences: readonly OccurrenceView[], deliveries: readonly DeliveryView[], now: Date, limit = 10): OccurrenceView[] {
  const sent = new Set(deliveries.map((d) => d.occurrenceId));
  const past = occurrences.filter((o) => sent.has(o.id) || Date.parse(o.startAt) <= now.getTime()).sort((a, b) => b.startAt.localeCompare(a.startAt));
  const next = occurrences.filter((o) => !sent.has(o.id) && Date.parse(o.startAt) > now.getTime() && o.state !== 'cancelled').sort((a, b) => a.startAt.localeCompare(b.startAt));
  return [...next.slice(0, 1), ...past].slice(0, limit);
}

const LOCAL_KINDS = new Set(['commune', 'hamlet']);

/**
 * A receiver's place as officials say it, from the commune down (`Xã Văn Sơn › Xóm Bưa`): hamlet
 * names repeat across communes, and the district above adds nothing. `path` runs from the top.
 */
export function placeName(path: readonly { readonly name: string; readonly kind: string }[]): string {
  const local = path.filter((area) => LOCAL_KINDS.has(area.kind));
  return (local.length > 0 ? local : path.slice(-1)).map((area) => area.name).join(' › ');
}

/** Delivery states that will not change any more. */
export const FINAL_DELIVERY_STATES: ReadonlySet<DeliveryState> = new Set(['played', 'failed', 'preempted', 'missed', 'expired', 'cancelled']);

/** How soon before an airing the page starts following it: play commands go out ten minutes ahead. */
const FOLLOW_BEFORE_MS = 15 * 60_000;

/** Worth reloading on its own: on air, a receiver still on its way to playing, or an airing about to go out. */
export function stillMoving(state: ReportState, view: Pick<BroadcastView, 'occurrences' | 'deliveries'>, now: Date): boolean {
  if (state === 'dispatched' || view.deliveries.some((d) => !FINAL_DELIVERY_STATES.has(d.state))) return true;
  if (state !== 'scheduled') return false;
  return view.occurrences.some((o) => o.state !== 'cancelled' && Math.abs(Date.parse(o.startAt) - now.getTime()) < FOLLOW_BEFORE_MS);
}
