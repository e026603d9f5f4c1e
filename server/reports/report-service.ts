/**
 * Reports for officials: per area and period what went on air and how reliably receivers were
 * reachable; per broadcast what each receiver did. Everything is limited to the caller's scope:
 * an area report counts only receivers inside it, so a commune sees its own speakers and nothing
 * of its neighbours, whoever sent what they played.
 *
 * Definitions (also in docs/reports.md):
 * - A play is one delivery (one receiver, one airing); it belongs to the period its airing
 *   (occurrence) was due to start in.
 * - Its length is what the receiver reported: finish minus start; a play reported `played`
 *   without both times counts its audio's duration; one cut short counts the part it played.
 * - `receiverMinutes`: the plays' lengths added up over every receiver in the area.
 * - `minutesOnAir`: per airing heard in the area, the longest of its plays there, added up over
 *   airings: how long the area's loudspeakers were on air, counted once however many played it.
 * - `broadcasts` / `airings`: broadcasts and airings at least one receiver in the area started.
 * - Availability: time online within [max(from, registration, start of history), min(to, now)),
 *   from the recorded online/offline changes, over the same time observed; per area, the
 *   receivers' online time added up over their observed time added up.
 */
import type { AreaRecord, AreaService } from '../areas/area-service.js';
import type { AccessScope } from '../auth/access-scope.js';
import { visibleWhere, type BroadcastService } from '../broadcasts/broadcast-service.js';
import type { PrismaClient } from '../db/database.js';
import type { Prisma } from '../db/generated/client.js';
import type { AreaKind, DeliveryState, Priority } from '../db/generated/enums.js';
import { notFound } from '../errors.js';
import { availabilityHistories } from './availability-history.js';
import { availabilityPercent, observedWindow, onlineMs } from './availability.js';
import type { Period } from './report-period.js';
import { recurringUntilOf, reportStateOf, type BroadcastReportState } from './report-state.js';

export interface PlayCounts {
  /** Played to the end. */
  readonly completed: number;
  readonly failed: number;
  /** Never played in time: missed (never reached) or expired (reached too late). */
  readonly missed: number;
  /** Cut off by something more urgent (preempted) and not resumed. */
  readonly interrupted: number;
}

export interface AreaReportRow {
  readonly areaId: string;
  readonly name: string;
  readonly kind: AreaKind;
  readonly parentId: string | null;
  /** 0: an area the report is about (the chosen one, or a top area); 1: one of its children. */
  readonly depth: 0 | 1;
  readonly broadcasts: number;
  readonly airings: number;
  readonly minutesOnAir: number;
  readonly receiverMinutes: number;
  readonly plays: PlayCounts;
  readonly receivers: number;
  /** Null when no receiver here was observed during the period. */
  readonly availabilityPercent: number | null;
}

export interface ReceiverAvailability {
  readonly deviceId: string;
  readonly name: string;
  readonly areaId: string;
  readonly onlineMinutes: number;
  readonly observedMinutes: number;
  readonly availabilityPercent: number | null;
}

export interface AreaReport {
  readonly from: Date;
  readonly to: Date;
  /** Availability is measured up to here (the end of the period, or now if that is earlier). */
  readonly observedUntil: Date;
  readonly areas: AreaReportRow[];
  /** Every receiver under the report's areas, least available first. */
  readonly receivers: ReceiverAvailability[];
}

export { BROADCAST_REPORT_STATES, type BroadcastReportState } from './report-state.js';

export interface BroadcastReportRow {
  readonly id: string;
  readonly title: string;
  readonly priority: Priority;
  readonly state: BroadcastReportState;
  /** The latest airing start within the period (its own start when nothing was planned). */
  readonly startAt: Date | null;
  readonly airings: number;
  /** Deliveries of the airings in the period, by state. */
  readonly summary: Partial<Record<DeliveryState, number>>;
}

export interface BroadcastReport {
  readonly from: Date;
  readonly to: Date;
  readonly broadcasts: BroadcastReportRow[];
  /** More broadcasts matched than the list holds: narrow the period. */
  readonly truncated: boolean;
}

export interface DeliveryExportRow {
  readonly occurrenceStartAt: Date | null;
  readonly deviceName: string;
  /** From the commune down (`Xã Văn Sơn › Xóm Bưa`): hamlet names repeat across communes. */
  readonly place: string;
  readonly state: DeliveryState;
  readonly sentAt: Date | null;
  readonly receivedAt: Date | null;
  readonly downloadedAt: Date | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly error: string | null;
}

const MAX_BROADCAST_ROWS = 500;
const MINUTE_MS = 60_000;

interface AiringRow {
  occurrence_id: string;
  broadcast_id: string;
  area_id: string;
  completed: number;
  failed: number;
  missed: number;
  interrupted: number;
  started: number;
  receiver_ms: number;
  longest_ms: number;
}

interface Accumulator {
  broadcasts: Set<string>;
  /** Per airing heard here, its longest play here. */
  airings: Map<string, number>;
  receiverMs: number;
  plays: { completed: number; failed: number; missed: number; interrupted: number };
  receivers: number;
  onlineMs: number;
  observedMs: number;
}

export class ReportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly areas: AreaService,
    private readonly broadcasts: BroadcastService,
  ) {}

  async areaReport(scope: AccessScope, period: Period, areaId?: string, now = new Date()): Promise<AreaReport> {
    const all = await this.areas.all();
    const byId = new Map(all.map((area) => [area.id, area]));
    if (areaId !== undefined && (!byId.has(areaId) || !scope.includesArea(areaId))) throw notFound('area', areaId, 'areaId');
    const childrenOf = groupChildren(all);
    const tops = areaId !== undefined ? [areaId] : scope.rootAreaId !== null ? [scope.rootAreaId] : sortByName(all.filter((a) => a.parentId === null)).map((a) => a.id);
    const rows: { area: AreaRecord; depth: 0 | 1 }[] = tops.flatMap((id) => [
      { area: byId.get(id)!, depth: 0 as const },
      ...sortByName(childrenOf.get(id) ?? []).map((child) => ({ area: child, depth: 1 as const })),
    ]);
    const rowIds = new Set(rows.map((row) => row.area.id));
    // For each area under the report, the report rows it counts towards (itself and its ancestors among the rows).
    const rowsOf = new Map<string, string[]>();
    const covered = new Set<string>();
    for (const top of tops) {
      for (const id of subtree(top, childrenOf)) {
        covered.add(id);
        rowsOf.set(id, ancestorsIn(id, byId, rowIds));
      }
    }

    const devices = await this.prisma.device.findMany({
      where: { areaId: { in: [...covered] } },
      select: { id: true, name: true, areaId: true, createdAt: true },
      orderBy: { name: 'asc' },
    });
    const observedUntil = new Date(Math.min(period.to.getTime(), now.getTime()));
    const [airings, histories] = await Promise.all([
      this.airingsByArea([...covered], period),
      availabilityHistories(
        this.prisma,
        devices.map((d) => d.id),
        { from: period.from, to: observedUntil },
      ),
    ]);

    const totals = new Map<string, Accumulator>(rows.map((row) => [row.area.id, emptyAccumulator()]));
    for (const airing of airings) {
      for (const rowId of rowsOf.get(airing.area_id) ?? []) {
        const total = totals.get(rowId)!;
        total.plays.completed += airing.completed;
        total.plays.failed += airing.failed;
        total.plays.missed += airing.missed;
        total.plays.interrupted += airing.interrupted;
        total.receiverMs += airing.receiver_ms;
        if (airing.started > 0 || airing.completed > 0) {
          total.broadcasts.add(airing.broadcast_id);
          total.airings.set(airing.occurrence_id, Math.max(total.airings.get(airing.occurrence_id) ?? 0, airing.longest_ms));
        }
      }
    }

    const receivers: ReceiverAvailability[] = [];
    for (const device of devices) {
      const window = observedWindow({ from: period.from, until: observedUntil }, device.createdAt, histories.historyStart.get(device.id));
      const observed = window.end - window.start;
      const online = onlineMs(histories.changes.get(device.id) ?? [], window);
      receivers.push({
        deviceId: device.id,
        name: device.name,
        areaId: device.areaId,
        onlineMinutes: minutes(online),
        observedMinutes: minutes(observed),
        availabilityPercent: availabilityPercent(online, observed),
      });
      for (const rowId of rowsOf.get(device.areaId) ?? []) {
        const total = totals.get(rowId)!;
        total.receivers += 1;
        total.onlineMs += online;
        total.observedMs += observed;
      }
    }
    receivers.sort((a, b) => (a.availabilityPercent ?? 101) - (b.availabilityPercent ?? 101) || a.name.localeCompare(b.name, 'vi'));

    return {
      from: period.from,
      to: period.to,
      observedUntil,
      areas: rows.map(({ area, depth }) => toRow(area, depth, totals.get(area.id)!)),
      receivers,
    };
  }

  /** Broadcasts the caller can see that were due to air in the period (or to start, if never planned), latest first. */
  async broadcastReport(scope: AccessScope, period: Period, state?: BroadcastReportState, now = new Date()): Promise<BroadcastReport> {
    const where: Prisma.BroadcastWhereInput = { AND: [visibleWhere(scope), stateWhere(state)] };
    const inPeriod = { gte: period.from, lt: period.to };
    const [aired, unplanned] = await Promise.all([
      this.prisma.occurrence.groupBy({
        by: ['broadcastId'],
        where: { startAt: inPeriod, broadcast: where },
        _max: { startAt: true },
        _count: { _all: true },
      }),
      this.prisma.broadcast.findMany({
        where: { AND: [where, { startAt: inPeriod, occurrences: { none: {} } }] },
        select: { id: true, startAt: true },
      }),
    ]);
    const candidates = [
      ...aired.map((row) => ({ id: row.broadcastId, startAt: row._max.startAt, airings: row._count._all })),
      ...unplanned.map((row) => ({ id: row.id, startAt: row.startAt, airings: 0 })),
    ];
    const states = await this.statesOf(
      candidates.map((c) => c.id),
      now,
    );
    const matching = candidates
      .filter((candidate) => states.has(candidate.id) && (state === undefined || states.get(candidate.id)!.state === state))
      .sort((a, b) => (b.startAt?.getTime() ?? 0) - (a.startAt?.getTime() ?? 0));
    const chosen = matching.slice(0, MAX_BROADCAST_ROWS);
    const ids = chosen.map((c) => c.id);
    const counts = await this.prisma.delivery.groupBy({
      by: ['broadcastId', 'state'],
      where: { broadcastId: { in: ids }, occurrence: { startAt: inPeriod } },
      _count: { _all: true },
    });
    const summaries = new Map<string, Partial<Record<DeliveryState, number>>>(ids.map((id) => [id, {}]));
    for (const c of counts) summaries.get(c.broadcastId)![c.state] = c._count._all;
    const broadcasts = chosen.map((candidate): BroadcastReportRow => {
      const detail = states.get(candidate.id)!;
      return {
        id: candidate.id,
        title: detail.title,
        priority: detail.priority,
        state: detail.state,
        startAt: candidate.startAt,
        airings: candidate.airings,
        summary: summaries.get(candidate.id)!,
      };
    });
    return { from: period.from, to: period.to, broadcasts, truncated: matching.length > chosen.length };
  }

  /** Title, priority and report state of each broadcast, read in three queries whatever their number. */
  private async statesOf(ids: readonly string[], now: Date): Promise<Map<string, { title: string; priority: Priority; state: BroadcastReportState }>> {
    if (ids.length === 0) return new Map();
    const list = [...ids];
    const [details, upcoming, playing] = await Promise.all([
      this.prisma.broadcast.findMany({
        where: { id: { in: list } },
        select: {
          id: true,
          priority: true,
          status: true,
          approvalState: true,
          recurrence: true,
          startAt: true,
          bulletin: { select: { title: true } },
          _count: { select: { occurrences: true } },
        },
      }),
      this.prisma.occurrence.groupBy({
        by: ['broadcastId'],
        where: { broadcastId: { in: list }, state: { in: ['planned', 'dispatched'] }, startAt: { gt: now } },
        _count: { _all: true },
      }),
      this.prisma.delivery.groupBy({
        by: ['broadcastId'],
        where: { broadcastId: { in: list }, state: 'playing', occurrence: { expiresAt: { gt: now } } },
        _count: { _all: true },
      }),
    ]);
    const upcomingIds = new Set(upcoming.map((row) => row.broadcastId));
    const playingIds = new Set(playing.map((row) => row.broadcastId));
    return new Map(
      details.map((row) => [
        row.id,
        {
          title: row.bulletin.title,
          priority: row.priority,
          state: reportStateOf(
            {
              status: row.status,
              approvalState: row.approvalState,
              recurringUntil: recurringUntilOf(row.recurrence),
              startAt: row.startAt,
              planned: row._count.occurrences > 0,
              upcoming: upcomingIds.has(row.id),
              playing: playingIds.has(row.id),
            },
            now,
          ),
        },
      ]),
    );
  }

  /**
   * One row per receiver and airing of a broadcast the caller can see (404 otherwise). Only the
   * caller's own receivers: a commune reading what its district sent sees its speakers, not its
   * neighbours'.
   */
  async deliveryRows(broadcastId: string, scope: AccessScope): Promise<{ title: string; rows: DeliveryExportRow[] }> {
    const view = await this.broadcasts.get(broadcastId, scope);
    const [bulletin, all] = await Promise.all([
      this.prisma.bulletin.findUnique({ where: { id: view.bulletinId }, select: { title: true } }),
      this.areas.all(),
    ]);
    const byId = new Map(all.map((area) => [area.id, area]));
    const startOf = new Map(view.occurrences.map((o) => [o.id, o.startAt]));
    const rows = view.deliveries
      .map((d) => ({
        occurrenceStartAt: startOf.get(d.occurrenceId) ?? null,
        deviceName: d.deviceName,
        place: placeName(d.deviceAreaId, byId),
        state: d.state,
        sentAt: d.sentAt,
        receivedAt: d.receivedAt,
        downloadedAt: d.downloadedAt,
        startedAt: d.startedAt,
        finishedAt: d.finishedAt,
        error: d.error,
      }))
      .sort(
        (a, b) =>
          (a.occurrenceStartAt?.getTime() ?? 0) - (b.occurrenceStartAt?.getTime() ?? 0) ||
          a.place.localeCompare(b.place, 'vi') ||
          a.deviceName.localeCompare(b.deviceName, 'vi'),
      );
    return { title: bulletin?.title ?? '', rows };
  }

  /** Plays of the period's airings, added up per airing and receiver area, in the database. */
  private airingsByArea(areaIds: string[], period: Period): Promise<AiringRow[]> {
    if (areaIds.length === 0) return Promise.resolve([]);
    return this.prisma.$queryRaw<AiringRow[]>`
      SELECT o.id AS occurrence_id, o.broadcast_id, dv.area_id,
        count(*) FILTER (WHERE d.state = 'played')::int AS completed,
        count(*) FILTER (WHERE d.state = 'failed')::int AS failed,
        count(*) FILTER (WHERE d.state IN ('missed', 'expired'))::int AS missed,
        count(*) FILTER (WHERE d.state = 'preempted')::int AS interrupted,
        count(*) FILTER (WHERE d.started_at IS NOT NULL)::int AS started,
        coalesce(sum(p.ms), 0)::float8 AS receiver_ms,
        coalesce(max(p.ms), 0)::float8 AS longest_ms
      FROM occurrence o
      JOIN broadcast b ON b.id = o.broadcast_id
      JOIN delivery d ON d.occurrence_id = o.id
      JOIN device dv ON dv.id = d.device_id
      LEFT JOIN bulletin bu ON bu.id = coalesce(o.bulletin_id, b.bulletin_id)
      LEFT JOIN audio au ON au.sha256 = bu.audio_sha256
      CROSS JOIN LATERAL (
        SELECT CASE
          WHEN d.started_at IS NOT NULL AND d.finished_at IS NOT NULL AND d.finished_at >= d.started_at
            THEN extract(epoch FROM d.finished_at - d.started_at) * 1000
          WHEN d.state = 'played' THEN coalesce(au.duration_ms, 0)
          ELSE 0
        END AS ms
      ) p
      WHERE o.start_at >= ${period.from} AND o.start_at < ${period.to} AND dv.area_id = ANY(${areaIds}::text[])
      GROUP BY o.id, o.broadcast_id, dv.area_id`;
  }
}

/** What the database can narrow down; the computed states are checked per broadcast (reportStateOf). */
function stateWhere(state: BroadcastReportState | undefined): Prisma.BroadcastWhereInput {
  switch (state) {
    case undefined:
      return {};
    case 'cancelled':
      return { status: 'cancelled' };
    case 'pending':
    case 'rejected':
      return { approvalState: state, status: { not: 'cancelled' } };
    default:
      return { approvalState: 'approved', status: { not: 'cancelled' } };
  }
}

function emptyAccumulator(): Accumulator {
  return {
    broadcasts: new Set(),
    airings: new Map(),
    receiverMs: 0,
    plays: { completed: 0, failed: 0, missed: 0, interrupted: 0 },
    receivers: 0,
    onlineMs: 0,
    observedMs: 0,
  };
}

function toRow(area: AreaRecord, depth: 0 | 1, total: Accumulator): AreaReportRow {
  let onAirMs = 0;
  for (const longest of total.airings.values()) onAirMs += longest;
  return {
    areaId: area.id,
    name: area.name,
    kind: area.kind,
    parentId: area.parentId,
    depth,
    broadcasts: total.broadcasts.size,
    airings: total.airings.size,
    minutesOnAir: minutes(onAirMs),
    receiverMinutes: minutes(total.receiverMs),
    plays: total.plays,
    receivers: total.receivers,
    availabilityPercent: availabilityPercent(total.onlineMs, total.observedMs),
  };
}

/** Minutes with one decimal. */
function minutes(ms: number): number {
  return Math.round(ms / (MINUTE_MS / 10)) / 10;
}

function groupChildren(areas: readonly AreaRecord[]): Map<string, AreaRecord[]> {
  const children = new Map<string, AreaRecord[]>();
  for (const area of areas) if (area.parentId) children.set(area.parentId, [...(children.get(area.parentId) ?? []), area]);
  return children;
}

function sortByName(areas: readonly AreaRecord[]): AreaRecord[] {
  return [...areas].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

function subtree(rootId: string, childrenOf: ReadonlyMap<string, AreaRecord[]>): string[] {
  const result: string[] = [];
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    result.push(id);
    for (const child of childrenOf.get(id) ?? []) stack.push(child.id);
  }
  return result;
}

function ancestorsIn(areaId: string, byId: ReadonlyMap<string, AreaRecord>, wanted: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  let current = byId.get(areaId);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    if (wanted.has(current.id)) found.push(current.id);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return found;
}

const LOCAL_KINDS: ReadonlySet<AreaKind> = new Set(['commune', 'hamlet']);

function placeName(areaId: string | undefined, byId: ReadonlyMap<string, AreaRecord>): string {
  const path: AreaRecord[] = [];
  let current = areaId ? byId.get(areaId) : undefined;
  while (current && !path.includes(current)) {
    path.unshift(current);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  const local = path.filter((area) => LOCAL_KINDS.has(area.kind));
  return (local.length > 0 ? local : path.slice(-1)).map((area) => area.name).join(' › ');
}
