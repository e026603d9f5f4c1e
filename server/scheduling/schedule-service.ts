/**
 * The calendar an official sees: the concrete occurrences of every active broadcast in a window
 * (planned in the database or expanded on the fly beyond the planning horizon), with conflicts
 * marked: equal priorities overlapping (they will be queued), preemptions, and quiet hours.
 */
import type { Priority } from '../../protocol/index.js';
import type { AreaRecord, AreaService } from '../areas/area-service.js';
import type { BroadcastWarning, DraftBroadcast, SchedulingHooks } from '../broadcasts/broadcast-service.js';
import type { PrismaClient } from '../db/database.js';
import type { ApprovalState } from '../db/generated/enums.js';
import type { Prisma } from '../db/generated/client.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import { findConflicts, type PlannedPlay } from './conflict-detector.js';
import { expandOccurrences } from './occurrence-expander.js';
import { effectiveQuietHours, overlapsQuietHours } from './quiet-hours.js';
import type { Recurrence, Repeat } from './recurrence-spec.js';

export interface CalendarConflict {
  readonly kind: 'overlap' | 'preempts' | 'preempted-by' | 'quiet-hours';
  readonly withBroadcastId?: string;
  readonly deviceCount: number;
}

export interface CalendarEntry {
  readonly broadcastId: string;
  readonly occurrenceId: string | null;
  readonly title: string;
  readonly priority: Priority;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly repeatIndex: number;
  /** planned | dispatched | cancelled | missed, or `upcoming` for one beyond the planning horizon */
  readonly state: string;
  /** A pending broadcast is shown (its conflicts matter to the approver) but will not play until approved. */
  readonly approvalState: ApprovalState;
  readonly deviceCount: number;
  readonly conflicts: CalendarConflict[];
}

export interface SchedulerControl {
  isRunning(): boolean;
  kick(): Promise<void>;
}

const WARNING_WINDOW_MS = 7 * 24 * 3_600_000;
const WARNING_CODE = { overlap: 'OVERLAP', preempts: 'PREEMPTS', 'preempted-by': 'PREEMPTED', 'quiet-hours': 'QUIET_HOURS' } as const;

export class ScheduleService implements SchedulingHooks {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly devices: DeviceRegistry,
    private readonly areas: AreaService,
    private readonly scheduler: SchedulerControl,
    private readonly timezone: string,
  ) {}

  async afterChange(): Promise<void> {
    if (this.scheduler.isRunning()) await this.scheduler.kick();
  }

  async warningsFor(broadcastId: string, draft?: DraftBroadcast): Promise<BroadcastWarning[]> {
    const now = new Date();
    const entries = await this.calendar({ from: now, to: new Date(now.getTime() + WARNING_WINDOW_MS), draft });
    const warnings = new Map<string, BroadcastWarning>();
    const titles = new Map(entries.map((e) => [e.broadcastId, e.title]));
    for (const entry of entries) {
      if (entry.broadcastId !== broadcastId) continue;
      for (const c of entry.conflicts) {
        const key = `${c.kind}:${c.withBroadcastId ?? ''}`;
        if (warnings.has(key)) continue;
        warnings.set(key, {
          code: WARNING_CODE[c.kind],
          message: describe(c, entry.startAt),
          at: entry.startAt,
          deviceCount: c.deviceCount,
          ...(c.withBroadcastId ? { withBroadcastId: c.withBroadcastId, withTitle: titles.get(c.withBroadcastId) ?? '' } : {}),
        });
      }
    }
    return [...warnings.values()];
  }

  /** Warnings a broadcast would get, before it exists (a check before saving): the calendar with the draft in it. */
  async warningsForDraft(draft: DraftBroadcast): Promise<BroadcastWarning[]> {
    return this.warningsFor(DRAFT_BROADCAST_ID, draft);
  }

  /**
   * `visibleAreas`: only broadcasts reaching these areas (a user's view); null or absent: all.
   * `draft`: a broadcast not saved yet, placed in the calendar as if it were.
   */
  async calendar(query: {
    from: Date;
    to: Date;
    areaId?: string | undefined;
    visibleAreas?: ReadonlySet<string> | null;
    draft?: DraftBroadcast | undefined;
  }): Promise<CalendarEntry[]> {
    const areas = await this.areas.all();
    const areaDevices = query.areaId ? new Set(await this.devices.resolveTargets({ areaIds: [query.areaId] }, { areas })) : undefined;
    const broadcasts = await this.prisma.broadcast.findMany({
      where: {
        OR: [{ status: 'scheduled' }, { occurrences: { some: { startAt: { gte: query.from, lt: query.to } } } }],
        // Content offered to communes plays through each commune's own copy, never itself.
        distribution: 'direct',
        approvalState: { not: 'rejected' },
        ...(query.visibleAreas ? { areaIds: { hasSome: [...query.visibleAreas] } } : {}),
      },
      select: {
        id: true,
        status: true,
        approvalState: true,
        priority: true,
        target: true,
        startAt: true,
        recurrence: true,
        repeat: true,
        slotOffsetMs: true,
        revision: true,
        bulletin: { select: { title: true, audio: { select: { durationMs: true } } } },
        occurrences: { where: { startAt: { gte: query.from, lt: query.to } }, orderBy: { startAt: 'asc' } },
      },
    });
    if (query.draft) broadcasts.push(draftRow(query.draft));
    const entries: (CalendarEntry & { deviceIds: string[] })[] = [];
    for (const broadcast of broadcasts) {
      const deviceIds = await this.devices.resolveTargets(broadcast.target as { areaIds?: string[]; deviceIds?: string[] }, { ignoreUnknown: true, areas });
      if (areaDevices && !deviceIds.some((id) => areaDevices.has(id))) continue;
      const durationMs = broadcast.bulletin.audio.durationMs;
      const base = {
        broadcastId: broadcast.id,
        title: broadcast.bulletin.title,
        priority: broadcast.priority,
        approvalState: broadcast.approvalState,
        deviceCount: deviceIds.length,
        deviceIds,
      };
      const stored = new Set<number>();
      for (const o of broadcast.occurrences) {
        // Occurrences of an older revision that were withdrawn are history, shown only where they still say something.
        if (o.revision !== broadcast.revision && o.state === 'cancelled') continue;
        stored.add(o.startAt.getTime());
        entries.push({ ...base, occurrenceId: o.id, startAt: o.startAt, endAt: new Date(o.startAt.getTime() + durationMs), repeatIndex: o.repeatIndex, state: o.state, conflicts: [] });
      }
      if (broadcast.status !== 'scheduled') continue;
      const virtual = expandOccurrences(
        {
          ...(broadcast.recurrence ? { recurrence: broadcast.recurrence as Recurrence } : { startAt: broadcast.startAt ?? query.from }),
          ...(broadcast.repeat ? { repeat: broadcast.repeat as Repeat } : {}),
          durationMs,
        },
        { from: new Date(query.from.getTime() - broadcast.slotOffsetMs), to: new Date(query.to.getTime() - broadcast.slotOffsetMs) },
      );
      for (const play of virtual) {
        const startAt = new Date(play.startAt.getTime() + broadcast.slotOffsetMs);
        if (stored.has(startAt.getTime())) continue;
        entries.push({ ...base, occurrenceId: null, startAt, endAt: new Date(startAt.getTime() + durationMs), repeatIndex: play.repeatIndex, state: 'upcoming', conflicts: [] });
      }
    }
    this.markConflicts(entries, areas);
    entries.sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
    return entries.map(({ deviceIds: _deviceIds, ...entry }) => entry);
  }

  private markConflicts(entries: (CalendarEntry & { deviceIds: string[] })[], areas: readonly AreaRecord[]): void {
    const live = entries.filter((e) => e.state !== 'cancelled' && e.state !== 'missed');
    const plays: PlannedPlay[] = live.map((e, index) => ({
      key: String(index),
      broadcastId: e.broadcastId,
      priority: e.priority,
      startAt: e.startAt,
      endAt: e.endAt,
      deviceIds: e.deviceIds,
    }));
    const conflicts = findConflicts(plays);
    live.forEach((entry, index) => {
      for (const c of conflicts.get(String(index)) ?? []) {
        entry.conflicts.push({ kind: c.kind, withBroadcastId: c.withBroadcastId, deviceCount: c.deviceCount });
      }
    });
    const quietByArea = new Map(areas.filter((a) => a.quietHours).map((a) => [a.id, a.quietHours]));
    if (quietByArea.size === 0) return;
    for (const entry of live) {
      if (entry.priority === 'emergency') continue;
      const blocked = entry.deviceIds.filter((deviceId) => {
        const quiet = effectiveQuietHours(this.devices.accessOf(deviceId)?.areaPath ?? [], quietByArea);
        return quiet !== null && overlapsQuietHours(entry.startAt, entry.endAt, quiet, this.timezone);
      });
      if (blocked.length > 0) entry.conflicts.push({ kind: 'quiet-hours', deviceCount: blocked.length });
    }
  }
}

const DRAFT_BROADCAST_ID = 'draft';

function draftRow(draft: DraftBroadcast) {
  return {
    id: DRAFT_BROADCAST_ID,
    status: 'scheduled' as const,
    approvalState: 'approved' as const,
    priority: draft.priority,
    target: { areaIds: [...draft.target.areaIds], deviceIds: [...draft.target.deviceIds] },
    startAt: draft.startAt,
    recurrence: draft.recurrence as Prisma.JsonValue,
    repeat: draft.repeat,
    slotOffsetMs: 0,
    revision: 0,
    bulletin: { title: draft.title, audio: { durationMs: draft.durationMs } },
    occurrences: [],
  };
}

function describe(conflict: CalendarConflict, at: Date): string {
  const when = at.toISOString();
  switch (conflict.kind) {
    case 'overlap':
      return `overlaps broadcast ${conflict.withBroadcastId} of the same priority on ${conflict.deviceCount} receivers at ${when}; it will play after it`;
    case 'preempts':
      return `interrupts lower-priority broadcast ${conflict.withBroadcastId} on ${conflict.deviceCount} receivers at ${when}`;
    case 'preempted-by':
      return `is interrupted by higher-priority broadcast ${conflict.withBroadcastId} on ${conflict.deviceCount} receivers at ${when}`;
    case 'quiet-hours':
      return `falls in the quiet hours of ${conflict.deviceCount} receivers at ${when}; they will not play it`;
  }
}
