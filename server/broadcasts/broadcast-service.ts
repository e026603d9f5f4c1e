/**
 * Broadcasts: a bulletin aimed at areas and/or receivers, once (`startAt`) or on a recurrence,
 * optionally repeated. The scheduler turns them into occurrences; each occurrence has one delivery
 * per receiver.
 */
import type { Priority } from '../../protocol/index.js';
import { conflict, notFound, validationError } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import { Prisma } from '../db/generated/client.js';
import type { DeliveryState, OccurrenceState } from '../db/generated/enums.js';
import { newId } from '../ids.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import { ACTIVE_DELIVERY_STATES, type Dispatcher } from '../dispatch/dispatcher.js';
import { cronErrors } from '../scheduling/cron-rules.js';
import type { Recurrence, Repeat } from '../scheduling/recurrence-spec.js';
import type { BulletinService } from './bulletin-service.js';

/**
 * "Now" means shortly from now: receivers need a moment to download the audio, and a common start
 * time in the future is what lets speakers within earshot start together.
 */
export const IMMEDIATE_START_LEAD_MS = 2_000;

export interface BroadcastTarget {
  readonly areaIds?: readonly string[] | undefined;
  readonly deviceIds?: readonly string[] | undefined;
}

export interface BroadcastSchedule {
  readonly startAt?: Date | undefined;
  readonly recurrence?: Recurrence | undefined;
  readonly repeat?: Repeat | undefined;
}

export interface NewBroadcast extends BroadcastSchedule {
  readonly bulletinId: string;
  readonly target: BroadcastTarget;
  readonly priority?: Priority | undefined;
}

export interface BroadcastChanges extends BroadcastSchedule {
  readonly bulletinId?: string | undefined;
  readonly target?: BroadcastTarget | undefined;
  readonly priority?: Priority | undefined;
}

export interface DeliveryView {
  readonly occurrenceId: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly state: DeliveryState;
  readonly sentAt: Date | null;
  readonly receivedAt: Date | null;
  readonly downloadedAt: Date | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly error: string | null;
}

export interface OccurrenceView {
  readonly id: string;
  readonly startAt: Date;
  readonly expiresAt: Date;
  readonly repeatIndex: number;
  readonly state: OccurrenceState;
  readonly note: string | null;
  /** How closely receivers started together, from their reported start times (server clock). */
  readonly startSync: StartSync | null;
}

export interface StartSync {
  readonly receivers: number;
  /** Latest minus earliest start. */
  readonly spreadMs: number;
  /** Largest distance of a start from startAt. */
  readonly maxErrorMs: number;
}

export interface BroadcastSummary {
  readonly id: string;
  readonly bulletinId: string;
  readonly priority: Priority;
  readonly status: string;
  readonly target: BroadcastTarget;
  readonly startAt: Date | null;
  readonly recurrence: Recurrence | null;
  readonly repeat: Repeat | null;
  readonly programmeKey: string | null;
  readonly createdAt: Date;
  readonly summary: Partial<Record<DeliveryState, number>>;
}

export interface BroadcastView extends BroadcastSummary {
  readonly occurrences: OccurrenceView[];
  readonly deliveries: DeliveryView[];
  readonly warnings?: readonly BroadcastWarning[];
}

export interface BroadcastWarning {
  readonly code: 'OVERLAP' | 'PREEMPTS' | 'PREEMPTED' | 'QUIET_HOURS';
  readonly message: string;
  readonly withBroadcastId?: string;
}

/** What the broadcast service needs from scheduling, without depending on who leads. */
export interface SchedulingHooks {
  /** Plans and sends at once when this instance runs the scheduler; otherwise the leader does within a tick. */
  afterChange(): Promise<void>;
  /** Warnings for a would-be broadcast: overlaps, preemptions, quiet hours, over the next days. */
  warningsFor(broadcastId: string): Promise<BroadcastWarning[]>;
}

export interface BroadcastServiceOptions {
  readonly ttlSeconds: number;
  readonly graceMs: number;
}

export class BroadcastService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bulletins: BulletinService,
    private readonly devices: DeviceRegistry,
    private readonly dispatcher: Dispatcher,
    private readonly scheduling: SchedulingHooks,
    private readonly options: BroadcastServiceOptions,
  ) {}

  async create(input: NewBroadcast, createdBy: string | null, programmeKey?: { key: string; hash: string; slotOffsetMs: number }): Promise<BroadcastView> {
    await this.bulletins.get(input.bulletinId, 'bulletinId');
    await this.requireReceivers(input.target);
    const schedule = this.validateSchedule(input);
    const id = newId();
    await this.prisma.broadcast.create({
      data: {
        id,
        bulletinId: input.bulletinId,
        priority: input.priority ?? 'normal',
        target: normaliseTarget(input.target),
        startAt: schedule.startAt,
        recurrence: schedule.recurrence ?? undefined,
        repeat: schedule.repeat ?? undefined,
        ttlSeconds: this.options.ttlSeconds,
        createdBy,
        programmeKey: programmeKey?.key ?? null,
        programmeHash: programmeKey?.hash ?? null,
        slotOffsetMs: programmeKey?.slotOffsetMs ?? 0,
      },
    });
    await this.scheduling.afterChange();
    return { ...(await this.get(id)), warnings: await this.scheduling.warningsFor(id) };
  }

  /** Changes a broadcast: what has not started yet is cancelled and planned again from the new definition. */
  async update(id: string, changes: BroadcastChanges): Promise<BroadcastView> {
    const current = await this.prisma.broadcast.findUnique({ where: { id } });
    if (!current) throw notFound('broadcast', id);
    if (current.status === 'cancelled') throw conflict('a cancelled broadcast cannot be changed', 'id');
    if (changes.bulletinId) await this.bulletins.get(changes.bulletinId, 'bulletinId');
    if (changes.target) await this.requireReceivers(changes.target);
    const scheduleChanged = changes.startAt !== undefined || changes.recurrence !== undefined || changes.repeat !== undefined;
    const schedule = scheduleChanged
      ? this.validateSchedule({
          startAt: changes.startAt ?? (changes.recurrence ? undefined : (current.startAt ?? undefined)),
          recurrence: changes.recurrence ?? (changes.startAt ? undefined : ((current.recurrence as Recurrence | null) ?? undefined)),
          repeat: changes.repeat ?? ((current.repeat as Repeat | null) ?? undefined),
        })
      : undefined;
    await this.withdrawUpcoming(id, 'the broadcast was changed');
    await this.prisma.broadcast.update({
      where: { id },
      data: {
        ...(changes.bulletinId ? { bulletinId: changes.bulletinId } : {}),
        ...(changes.priority ? { priority: changes.priority } : {}),
        ...(changes.target ? { target: normaliseTarget(changes.target) } : {}),
        ...(schedule
          ? { startAt: schedule.startAt, recurrence: schedule.recurrence ?? Prisma.DbNull, repeat: schedule.repeat ?? Prisma.DbNull }
          : {}),
        revision: { increment: 1 },
        // Plan again from now: what already started stays as it was.
        plannedUntil: new Date(),
      },
    });
    await this.scheduling.afterChange();
    return { ...(await this.get(id)), warnings: await this.scheduling.warningsFor(id) };
  }

  async cancel(id: string): Promise<BroadcastView> {
    const current = await this.prisma.broadcast.findUnique({ where: { id }, select: { status: true } });
    if (!current) throw notFound('broadcast', id);
    if (current.status !== 'cancelled') {
      await this.prisma.broadcast.update({ where: { id }, data: { status: 'cancelled', cancelledAt: new Date() } });
      await this.withdrawUpcoming(id, 'the broadcast was cancelled', { stopOnAir: true });
    }
    return this.get(id);
  }

  async get(id: string): Promise<BroadcastView> {
    const broadcast = await this.prisma.broadcast.findUnique({
      where: { id },
      include: {
        occurrences: { orderBy: { startAt: 'asc' }, take: 500 },
        deliveries: { include: { device: { select: { name: true } } }, orderBy: [{ occurrenceId: 'asc' }, { deviceId: 'asc' }] },
      },
    });
    if (!broadcast) throw notFound('broadcast', id);
    const summary: Partial<Record<DeliveryState, number>> = {};
    for (const d of broadcast.deliveries) summary[d.state] = (summary[d.state] ?? 0) + 1;
    return {
      ...toSummary(broadcast, summary),
      occurrences: broadcast.occurrences.map((o) => ({
        id: o.id,
        startAt: o.startAt,
        expiresAt: o.expiresAt,
        repeatIndex: o.repeatIndex,
        state: o.state,
        note: o.note,
        startSync: startSync(
          o.startAt,
          broadcast.deliveries.filter((d) => d.occurrenceId === o.id && d.startedAt).map((d) => d.startedAt!.getTime()),
        ),
      })),
      deliveries: broadcast.deliveries.map((d) => ({
        occurrenceId: d.occurrenceId,
        deviceId: d.deviceId,
        deviceName: d.device.name,
        state: d.state,
        sentAt: d.sentAt,
        receivedAt: d.receivedAt,
        downloadedAt: d.downloadedAt,
        startedAt: d.startedAt,
        finishedAt: d.finishedAt,
        error: d.error,
      })),
    };
  }

  async list(limit = 100): Promise<BroadcastSummary[]> {
    const rows = await this.prisma.broadcast.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
    const counts = await this.prisma.delivery.groupBy({
      by: ['broadcastId', 'state'],
      where: { broadcastId: { in: rows.map((r) => r.id) } },
      _count: { _all: true },
    });
    return rows.map((row) => {
      const summary: Partial<Record<DeliveryState, number>> = {};
      for (const c of counts) if (c.broadcastId === row.id) summary[c.state] = c._count._all;
      return toSummary(row, summary);
    });
  }

  private async requireReceivers(target: BroadcastTarget): Promise<void> {
    const deviceIds = await this.devices.resolveTargets(target);
    if (deviceIds.length === 0) {
      throw validationError('the target contains no receivers', [{ field: 'target', message: 'matches no receivers' }]);
    }
  }

  private validateSchedule(input: BroadcastSchedule): { startAt: Date | null; recurrence: Recurrence | null; repeat: Repeat | null } {
    if (input.startAt && input.recurrence) {
      throw validationError('give startAt or recurrence, not both', [{ field: 'recurrence', message: 'not allowed together with startAt' }]);
    }
    if (input.recurrence) {
      const errors = cronErrors(input.recurrence);
      if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
      return { startAt: null, recurrence: input.recurrence, repeat: input.repeat ?? null };
    }
    const startAt = input.startAt ?? new Date(Date.now() + IMMEDIATE_START_LEAD_MS);
    if (startAt.getTime() < Date.now() - this.options.graceMs) {
      throw validationError('startAt is in the past', [{ field: 'startAt', message: 'is in the past' }]);
    }
    return { startAt, recurrence: null, repeat: input.repeat ?? null };
  }

  /** Planned occurrences are dropped; sent ones that have not started are cancelled on the receivers. */
  private async withdrawUpcoming(broadcastId: string, reason: string, options: { stopOnAir?: boolean } = {}): Promise<void> {
    const now = new Date();
    await this.prisma.occurrence.updateMany({
      where: { broadcastId, state: 'planned' },
      data: { state: 'cancelled', note: reason },
    });
    // A cancellation also cuts what is on air; an edit leaves a play that has started to finish.
    const sent = await this.prisma.occurrence.findMany({
      where: {
        broadcastId,
        state: 'dispatched',
        ...(options.stopOnAir
          ? { deliveries: { some: { state: { in: [...ACTIVE_DELIVERY_STATES] } } } }
          : { startAt: { gt: now } }),
      },
      select: { id: true },
    });
    await this.dispatcher.cancelOccurrences(
      sent.map((o) => o.id),
      reason,
      options,
    );
  }
}

export function startSync(startAt: Date, starts: readonly number[]): StartSync | null {
  if (starts.length === 0) return null;
  return {
    receivers: starts.length,
    spreadMs: Math.max(...starts) - Math.min(...starts),
    maxErrorMs: Math.max(...starts.map((start) => Math.abs(start - startAt.getTime()))),
  };
}

function normaliseTarget(target: BroadcastTarget): { areaIds: string[]; deviceIds: string[] } {
  return { areaIds: [...new Set(target.areaIds ?? [])], deviceIds: [...new Set(target.deviceIds ?? [])] };
}

function toSummary(
  row: {
    id: string;
    bulletinId: string;
    priority: Priority;
    status: string;
    target: unknown;
    startAt: Date | null;
    recurrence: unknown;
    repeat: unknown;
    programmeKey: string | null;
    createdAt: Date;
  },
  summary: Partial<Record<DeliveryState, number>>,
): BroadcastSummary {
  return {
    id: row.id,
    bulletinId: row.bulletinId,
    priority: row.priority,
    status: row.status,
    target: row.target as BroadcastTarget,
    startAt: row.startAt,
    recurrence: (row.recurrence as Recurrence | null) ?? null,
    repeat: (row.repeat as Repeat | null) ?? null,
    programmeKey: row.programmeKey,
    createdAt: row.createdAt,
    summary,
  };
}
