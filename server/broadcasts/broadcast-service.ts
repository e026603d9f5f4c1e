/**
 * Broadcasts: a bulletin aimed at areas and/or receivers, once (`startAt`) or on a recurrence,
 * optionally repeated. The scheduler turns approved ones into occurrences; each occurrence has one
 * delivery per receiver. An operator's broadcast waits for an approver (approval-service.ts); a
 * province's or district's goes down to its communes as offers (offer-service.ts).
 */
import type { Priority } from '../../protocol/index.js';
import type { AreaService } from '../areas/area-service.js';
import type { AccessScope } from '../auth/access-scope.js';
import { isReviewer, SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { conflict, forbidden, notFound, validationError } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import { Prisma } from '../db/generated/client.js';
import type { ApprovalState, DeliveryState, Distribution, OccurrenceState, OfferState } from '../db/generated/enums.js';
import { newId } from '../ids.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import { ACTIVE_DELIVERY_STATES, type Dispatcher } from '../dispatch/dispatcher.js';
import { cronErrors } from '../scheduling/cron-rules.js';
import { nextOccurrences } from '../scheduling/occurrence-expander.js';
import type { Recurrence, Repeat } from '../scheduling/recurrence-spec.js';
import { approvalHistory, approveBulletinWith, recordApproval, type ApprovalTransition } from './approval-log.js';
import type { BulletinService } from './bulletin-service.js';
import { SENDING_LEVELS, splitByCommune } from './hierarchy.js';

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
  /** The receiver's area now. */
  readonly deviceAreaId: string;
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
  readonly approvalState: ApprovalState;
  readonly distribution: Distribution;
  readonly originAreaId: string | null;
  /** Set when this is a commune's broadcast of content a higher level offered. */
  readonly offerId: string | null;
  readonly createdBy: string | null;
  readonly target: BroadcastTarget;
  readonly startAt: Date | null;
  readonly recurrence: Recurrence | null;
  readonly repeat: Repeat | null;
  readonly programmeKey: string | null;
  readonly createdAt: Date;
  readonly summary: Partial<Record<DeliveryState, number>>;
}

/** A row of the list: with what the approval queue and the author need to read it. */
export interface BroadcastListItem extends BroadcastSummary {
  readonly title: string;
  /** The author's user name (null for the system or a removed user). */
  readonly author: string | null;
  /** The reviewer's decision, while it stands: who approved or rejected, when, and the note or reason. */
  readonly decision: ApprovalTransition | null;
}

export interface BroadcastView extends BroadcastSummary {
  readonly occurrences: OccurrenceView[];
  readonly deliveries: DeliveryView[];
  readonly approvals: ApprovalTransition[];
  /** For content sent down: what each commune decided. */
  readonly offers: OfferView[];
  readonly warnings?: readonly BroadcastWarning[];
}

export interface OfferView {
  readonly id: string;
  readonly broadcastId: string;
  readonly areaId: string;
  readonly areaName: string;
  readonly state: OfferState;
  readonly scheduledBroadcastId: string | null;
  readonly clashBroadcastId: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
  readonly reason: string | null;
  readonly createdAt: Date;
}

export interface BroadcastWarning {
  readonly code: 'OVERLAP' | 'PREEMPTS' | 'PREEMPTED' | 'QUIET_HOURS';
  readonly message: string;
  /** The first play concerned. */
  readonly at?: Date;
  /** Receivers concerned at that play. */
  readonly deviceCount?: number;
  readonly withBroadcastId?: string;
  /** The other broadcast's bulletin title, so a form can name it. */
  readonly withTitle?: string;
}

/** A broadcast as it would be saved, for the warnings it would get (a check before saving). */
export interface DraftBroadcast {
  readonly priority: Priority;
  readonly target: { readonly areaIds: readonly string[]; readonly deviceIds: readonly string[] };
  readonly startAt: Date | null;
  readonly recurrence: Recurrence | null;
  readonly repeat: Repeat | null;
  readonly title: string;
  readonly durationMs: number;
}

/** What the broadcast service needs from scheduling, without depending on who leads. */
export interface SchedulingHooks {
  /** Plans and sends at once when this instance runs the scheduler; otherwise the leader does within a tick. */
  afterChange(): Promise<void>;
  /** Warnings for a would-be broadcast: overlaps, preemptions, quiet hours, over the next days. */
  warningsFor(broadcastId: string): Promise<BroadcastWarning[]>;
  /** The same for a broadcast that is not saved. */
  warningsForDraft(draft: DraftBroadcast): Promise<BroadcastWarning[]>;
}

/** What saving a broadcast would do, without saving it. */
export interface BroadcastCheck {
  /** Receivers the target reaches now. */
  readonly receiverCount: number;
  /** `pending` when an approver must decide first. */
  readonly approvalState: ApprovalState;
  /** `offered`: each commune below decides whether and when to play it. */
  readonly distribution: Distribution;
  readonly priority: Priority;
  /** The first plays (up to five), for a recurrence the next ones from now. */
  readonly nextStarts: Date[];
  readonly warnings: BroadcastWarning[];
}

/** How many upcoming plays a check lists: enough to see a rule does what was meant. */
const CHECK_NEXT_STARTS = 5;

export interface BroadcastServiceOptions {
  readonly ttlSeconds: number;
  readonly graceMs: number;
}

export interface BroadcastServiceDependencies {
  readonly prisma: PrismaClient;
  readonly areas: AreaService;
  readonly bulletins: BulletinService;
  readonly devices: DeviceRegistry;
  readonly dispatcher: Dispatcher;
  readonly scheduling: SchedulingHooks;
}

/** How a broadcast came to be, beyond what the caller asked: from a schedules/ file, or from an offer. */
export interface BroadcastProvenance {
  readonly programme?: { readonly key: string; readonly hash: string; readonly slotOffsetMs: number };
  readonly offerId?: string;
  /** The commune an offer's copy belongs to (whoever or whatever scheduled it). */
  readonly originAreaId?: string;
  /** Forces the approval state (an offer's broadcast carries the approval its content already has). */
  readonly approvalState?: ApprovalState;
}

export type ApprovedListener = (broadcast: BroadcastView) => Promise<void>;

export class BroadcastService {
  private readonly prisma: PrismaClient;
  private readonly approvedListeners: ApprovedListener[] = [];

  constructor(
    private readonly deps: BroadcastServiceDependencies,
    private readonly options: BroadcastServiceOptions,
  ) {
    this.prisma = deps.prisma;
  }

  /** Called whenever a broadcast becomes approved (at creation or by an approver): offers go out then. */
  onApproved(listener: ApprovedListener): void {
    this.approvedListeners.push(listener);
  }

  async notifyApproved(broadcast: BroadcastView): Promise<void> {
    for (const listener of this.approvedListeners) await listener(broadcast);
  }

  async create(input: NewBroadcast, actor: Actor, provenance: BroadcastProvenance = {}): Promise<BroadcastView> {
    await this.deps.bulletins.get(input.bulletinId, 'bulletinId', actor.scope);
    const areaIds = await this.reach(input.target, actor.scope);
    const priority = input.priority ?? 'normal';
    await this.requireMaySend(priority, actor);
    const schedule = this.validateSchedule(input);
    const approvalState = provenance.approvalState ?? this.approvalAfterWrite(actor, priority);
    const distribution = provenance.offerId ? 'direct' : await this.distributionFor(input.target, priority, actor);
    const id = newId();
    await this.prisma.broadcast.create({
      data: {
        id,
        bulletinId: input.bulletinId,
        priority,
        target: normaliseTarget(input.target),
        areaIds,
        originAreaId: provenance.originAreaId ?? originOf(actor),
        approvalState,
        distribution,
        offerId: provenance.offerId ?? null,
        startAt: schedule.startAt,
        recurrence: schedule.recurrence ?? undefined,
        repeat: schedule.repeat ?? undefined,
        ttlSeconds: this.options.ttlSeconds,
        createdBy: actor.user?.id ?? null,
        programmeKey: provenance.programme?.key ?? null,
        programmeHash: provenance.programme?.hash ?? null,
        slotOffsetMs: provenance.programme?.slotOffsetMs ?? 0,
      },
    });
    await recordApproval(this.prisma, 'broadcast', id, { from: null, to: approvalState, actor });
    if (approvalState === 'approved') {
      await approveBulletinWith(this.prisma, input.bulletinId, actor);
      await this.notifyApproved(await this.get(id));
    }
    await this.deps.scheduling.afterChange();
    return { ...(await this.get(id)), warnings: await this.deps.scheduling.warningsFor(id) };
  }

  /**
   * Everything `create` would check and warn about, with nothing written: the target's receivers,
   * whether it would wait for approval, its next plays and its conflicts with what is scheduled.
   */
  async check(input: NewBroadcast, actor: Actor): Promise<BroadcastCheck> {
    const bulletin = await this.deps.bulletins.get(input.bulletinId, 'bulletinId', actor.scope);
    await this.reach(input.target, actor.scope);
    const priority = input.priority ?? 'normal';
    await this.requireMaySend(priority, actor);
    const schedule = this.validateSchedule(input);
    const distribution = await this.distributionFor(input.target, priority, actor);
    const receiverCount = (await this.deps.devices.resolveTargets(input.target)).length;
    const durationMs = bulletin.audio.durationMs;
    const nextStarts = nextOccurrences(
      { ...(schedule.recurrence ? { recurrence: schedule.recurrence } : { startAt: schedule.startAt ?? undefined }), repeat: schedule.repeat ?? undefined, durationMs },
      new Date(Date.now() - this.options.graceMs),
      CHECK_NEXT_STARTS,
    ).map((play) => play.startAt);
    // Offered content plays through each commune's own copy, so it clashes with nothing until a commune schedules it.
    const warnings =
      distribution === 'offered'
        ? []
        : await this.deps.scheduling.warningsForDraft({
            priority,
            target: normaliseTarget(input.target),
            startAt: schedule.startAt,
            recurrence: schedule.recurrence,
            repeat: schedule.repeat,
            title: bulletin.title,
            durationMs,
          });
    return { receiverCount, approvalState: this.approvalAfterWrite(actor, priority), distribution, priority, nextStarts, warnings };
  }

  /**
   * Changes a broadcast: what has not started yet is cancelled and planned again from the new
   * definition. An operator's change sends approved content back for approval.
   */
  async update(id: string, changes: BroadcastChanges, actor: Actor): Promise<BroadcastView> {
    const current = await this.prisma.broadcast.findUnique({ where: { id } });
    if (!current || !isVisible(current, actor.scope)) throw notFound('broadcast', id);
    requireOwnLevel(current, actor.scope);
    if (current.status === 'cancelled') throw conflict('a cancelled broadcast cannot be changed', 'id');
    if (current.distribution === 'offered' && current.approvalState === 'approved') {
      throw conflict('this broadcast has been offered to communes: cancel it and send a new one', 'id');
    }
    if (changes.bulletinId) await this.deps.bulletins.get(changes.bulletinId, 'bulletinId', actor.scope);
    const areaIds = changes.target ? await this.reach(changes.target, actor.scope) : current.areaIds;
    const priority = changes.priority ?? current.priority;
    await this.requireMaySend(priority, actor);
    const approvalState = this.approvalAfterWrite(actor, priority);
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
        ...(changes.target ? { target: normaliseTarget(changes.target), areaIds } : {}),
        approvalState,
        ...(schedule
          ? { startAt: schedule.startAt, recurrence: schedule.recurrence ?? Prisma.DbNull, repeat: schedule.repeat ?? Prisma.DbNull }
          : {}),
        revision: { increment: 1 },
        // Plan again from now: what already started stays as it was.
        plannedUntil: new Date(),
      },
    });
    await recordApproval(this.prisma, 'broadcast', id, { from: current.approvalState, to: approvalState, actor, reason: 'changed' });
    if (approvalState === 'approved') {
      await approveBulletinWith(this.prisma, changes.bulletinId ?? current.bulletinId, actor);
      if (current.approvalState !== 'approved') await this.notifyApproved(await this.get(id));
    }
    await this.deps.scheduling.afterChange();
    return { ...(await this.get(id)), warnings: await this.deps.scheduling.warningsFor(id) };
  }

  /** Cancels a broadcast and, for content sent down, what the communes scheduled from it. */
  async cancel(id: string, actor: Actor): Promise<BroadcastView> {
    const current = await this.prisma.broadcast.findUnique({ where: { id }, select: { status: true, areaIds: true, originAreaId: true } });
    if (!current || !isVisible(current, actor.scope)) throw notFound('broadcast', id);
    requireOwnLevel(current, actor.scope);
    if (current.status !== 'cancelled') {
      await this.prisma.broadcast.update({ where: { id }, data: { status: 'cancelled', cancelledAt: new Date() } });
      await this.withdrawUpcoming(id, 'the broadcast was cancelled', { stopOnAir: true });
      const scheduledFromOffers = await this.prisma.offer.findMany({
        where: { broadcastId: id, scheduledBroadcastId: { not: null } },
        select: { scheduledBroadcastId: true },
      });
      for (const offer of scheduledFromOffers) await this.cancel(offer.scheduledBroadcastId!, SYSTEM_ACTOR);
    }
    return this.get(id);
  }

  /**
   * Checks that `actor` may send an emergency to `target` (every area and receiver in scope, and
   * emergencies allowed for them) and returns the areas it reaches; nothing is written.
   */
  async emergencyReach(target: BroadcastTarget, actor: Actor): Promise<string[]> {
    const areaIds = await this.reach(target, actor.scope);
    await this.requireMaySend('emergency', actor);
    return areaIds;
  }

  /**
   * The broadcast behind an emergency: approved (whoever may send an emergency needs no approver),
   * sent at once by the emergency service and never planned by the scheduler (status `dispatched`).
   */
  async openEmergency(input: { bulletinId: string; target: BroadcastTarget; ttlSeconds: number }, actor: Actor): Promise<{ id: string; areaIds: string[] }> {
    await this.deps.bulletins.get(input.bulletinId, 'bulletinId', actor.scope);
    const areaIds = await this.emergencyReach(input.target, actor);
    const id = newId();
    await this.prisma.broadcast.create({
      data: {
        id,
        bulletinId: input.bulletinId,
        priority: 'emergency',
        status: 'dispatched',
        approvalState: 'approved',
        distribution: 'direct',
        target: normaliseTarget(input.target),
        areaIds,
        originAreaId: originOf(actor),
        startAt: new Date(),
        ttlSeconds: input.ttlSeconds,
        createdBy: actor.user?.id ?? null,
      },
    });
    await recordApproval(this.prisma, 'broadcast', id, { from: null, to: 'approved', actor, reason: 'emergency' });
    await approveBulletinWith(this.prisma, input.bulletinId, actor);
    return { id, areaIds };
  }

  /** Marks an emergency's broadcast over: `cancelled` when an official stopped it, `completed` when it ran its course. */
  async closeEmergency(id: string, how: 'cancelled' | 'completed'): Promise<void> {
    await this.prisma.broadcast.updateMany({
      where: { id, status: 'dispatched' },
      data: { status: how, ...(how === 'cancelled' ? { cancelledAt: new Date() } : {}) },
    });
  }

  /**
   * One broadcast; outside `scope` it does not exist. Its deliveries, counts and start sync are
   * those of the scope's receivers: a commune reading what its district sent sees its own
   * speakers, not its neighbours'.
   */
  async get(id: string, scope?: AccessScope): Promise<BroadcastView> {
    const broadcast = await this.prisma.broadcast.findUnique({
      where: { id },
      include: {
        occurrences: { orderBy: { startAt: 'asc' }, take: 500 },
        deliveries: { include: { device: { select: { name: true, areaId: true } } }, orderBy: [{ occurrenceId: 'asc' }, { deviceId: 'asc' }] },
      },
    });
    if (!broadcast || (scope && !isVisible(broadcast, scope))) throw notFound('broadcast', id);
    const deliveries = scope ? broadcast.deliveries.filter((d) => scope.includesArea(d.device.areaId)) : broadcast.deliveries;
    const summary: Partial<Record<DeliveryState, number>> = {};
    for (const d of deliveries) summary[d.state] = (summary[d.state] ?? 0) + 1;
    return {
      ...toSummary(broadcast, summary),
      approvals: await approvalHistory(this.prisma, id),
      offers: await this.offersOf(id),
      occurrences: broadcast.occurrences.map((o) => ({
        id: o.id,
        startAt: o.startAt,
        expiresAt: o.expiresAt,
        repeatIndex: o.repeatIndex,
        state: o.state,
        note: o.note,
        startSync: startSync(
          o.startAt,
          deliveries.filter((d) => d.occurrenceId === o.id && d.startedAt).map((d) => d.startedAt!.getTime()),
        ),
      })),
      deliveries: deliveries.map((d) => ({
        occurrenceId: d.occurrenceId,
        deviceId: d.deviceId,
        deviceName: d.device.name,
        deviceAreaId: d.device.areaId,
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

  /** Recent broadcasts the scope can see, optionally only those in one approval state (the approval queue). */
  async list(scope: AccessScope, filter: { approvalState?: ApprovalState | undefined } = {}, limit = 100): Promise<BroadcastListItem[]> {
    const rows = await this.prisma.broadcast.findMany({
      where: { ...visibleWhere(scope), ...(filter.approvalState ? { approvalState: filter.approvalState } : {}) },
      orderBy: { createdAt: 'desc' },
      take: limit,
      include: { bulletin: { select: { title: true } } },
    });
    const ids = rows.map((r) => r.id);
    const [counts, authors, events] = await Promise.all([
      this.prisma.delivery.groupBy({ by: ['broadcastId', 'state'], where: { broadcastId: { in: ids } }, _count: { _all: true } }),
      this.prisma.user.findMany({ where: { id: { in: rows.flatMap((r) => (r.createdBy ? [r.createdBy] : [])) } }, select: { id: true, username: true } }),
      this.prisma.approvalEvent.findMany({ where: { entityType: 'broadcast', entityId: { in: ids } }, orderBy: { at: 'asc' } }),
    ]);
    const authorOf = new Map(authors.map((u) => [u.id, u.username]));
    const latestEvent = new Map(events.map((e) => [e.entityId, e]));
    return rows.map((row) => {
      const summary: Partial<Record<DeliveryState, number>> = {};
      for (const c of counts) if (c.broadcastId === row.id) summary[c.state] = c._count._all;
      const last = latestEvent.get(row.id);
      // Only a review (pending → approved/rejected) is a decision; an edit since sends it back to pending.
      const decision = last && last.fromState === 'pending' && last.toState !== 'pending'
        ? { from: last.fromState, to: last.toState, userId: last.userId, username: last.username, reason: last.reason, at: last.at }
        : null;
      return { ...toSummary(row, summary), title: row.bulletin.title, author: row.createdBy ? (authorOf.get(row.createdBy) ?? null) : null, decision };
    });
  }

  async offersOf(broadcastId: string): Promise<OfferView[]> {
    const rows = await this.prisma.offer.findMany({
      where: { broadcastId },
      include: { area: { select: { name: true } } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(toOfferView);
  }

  /**
   * Checks the target is inside the scope and has receivers; returns the areas it reaches (named
   * areas and the areas of named receivers), which decide who may see the broadcast.
   */
  private async reach(target: BroadcastTarget, scope: AccessScope): Promise<string[]> {
    scope.requireAreas(target.areaIds ?? [], 'target.areaIds');
    const deviceIds = target.deviceIds ?? [];
    const devices = await this.prisma.device.findMany({ where: { id: { in: [...deviceIds] } }, select: { id: true, areaId: true } });
    const areaOf = new Map(devices.map((d) => [d.id, d.areaId]));
    deviceIds.forEach((deviceId, index) => {
      if (!scope.includesArea(areaOf.get(deviceId))) throw notFound('device', deviceId, `target.deviceIds.${index}`);
    });
    const receivers = await this.deps.devices.resolveTargets(target);
    if (receivers.length === 0) {
      throw validationError('the target contains no receivers', [{ field: 'target', message: 'matches no receivers' }]);
    }
    return [...new Set([...(target.areaIds ?? []), ...areaOf.values()])];
  }

  /** Emergencies: approvers and admins always; operators only where their area allows it. */
  private async requireMaySend(priority: Priority, actor: Actor): Promise<void> {
    if (priority !== 'emergency' || isReviewer(actor) || !actor.user?.areaId) return;
    const path = await this.deps.areas.pathOf(actor.user.areaId);
    const allowing = await this.prisma.area.count({ where: { id: { in: path }, operatorsMaySendEmergency: true } });
    if (allowing === 0) {
      throw forbidden('operators of your area may not send emergencies; ask an approver', [{ field: 'priority', message: 'emergency not allowed for operators here' }]);
    }
  }

  /** Reviewers' writes are approved; an operator's wait for review, except an emergency they may send. */
  private approvalAfterWrite(actor: Actor, priority: Priority): ApprovalState {
    return isReviewer(actor) || priority === 'emergency' ? 'approved' : 'pending';
  }

  /** Content a province or district sends to its communes is offered to each, unless it is an emergency. */
  private async distributionFor(target: BroadcastTarget, priority: Priority, actor: Actor): Promise<Distribution> {
    const originAreaId = originOf(actor);
    if (priority === 'emergency' || !originAreaId) return 'direct';
    const areas = await this.deps.areas.all();
    const origin = areas.find((a) => a.id === originAreaId);
    if (!origin || !SENDING_LEVELS.has(origin.kind)) return 'direct';
    const devices = await this.prisma.device.findMany({ where: { id: { in: [...(target.deviceIds ?? [])] } }, select: { id: true, areaId: true } });
    return splitByCommune({ areaIds: target.areaIds ?? [], devices }, areas).length > 0 ? 'offered' : 'direct';
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
    await this.deps.dispatcher.cancelOccurrences(
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

/** The author's area, which makes content "theirs"; none for a network-wide admin or the system. */
function originOf(actor: Actor): string | null {
  return actor.user && actor.user.role !== 'admin' ? actor.user.areaId : null;
}

/**
 * Changing, cancelling or reviewing a broadcast takes a scope that holds both its whole target and
 * the level it came from: a commune declines what its district sent, it does not cancel it.
 */
export function requireOwnLevel(row: { areaIds: string[]; originAreaId: string | null }, scope: AccessScope): void {
  if (!scope.includesArea(row.originAreaId)) {
    throw forbidden('this broadcast was sent by a level above yours; decline its offer instead', [{ field: 'id', message: 'sent from above your area' }]);
  }
  scope.requireAreas(row.areaIds, 'target');
}

function isVisible(row: { areaIds: string[]; originAreaId: string | null }, scope: AccessScope): boolean {
  return scope.unrestricted || scope.includesArea(row.originAreaId) || row.areaIds.some((areaId) => scope.concernsArea(areaId));
}

export function visibleWhere(scope: AccessScope): Prisma.BroadcastWhereInput {
  const visible = scope.visibleAreas;
  if (!visible) return {};
  return { OR: [{ areaIds: { hasSome: [...visible] } }, { originAreaId: { in: [...(scope.areas ?? [])] } }] };
}

export function toOfferView(row: {
  id: string;
  broadcastId: string;
  areaId: string;
  area: { name: string };
  state: OfferState;
  scheduledBroadcastId: string | null;
  clashBroadcastId: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  reason: string | null;
  createdAt: Date;
}): OfferView {
  return {
    id: row.id,
    broadcastId: row.broadcastId,
    areaId: row.areaId,
    areaName: row.area.name,
    state: row.state,
    scheduledBroadcastId: row.scheduledBroadcastId,
    clashBroadcastId: row.clashBroadcastId,
    decidedBy: row.decidedByName,
    decidedAt: row.decidedAt,
    reason: row.reason,
    createdAt: row.createdAt,
  };
}

function toSummary(
  row: {
    id: string;
    bulletinId: string;
    priority: Priority;
    status: string;
    approvalState: ApprovalState;
    distribution: Distribution;
    originAreaId: string | null;
    offerId: string | null;
    createdBy: string | null;
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
    approvalState: row.approvalState,
    distribution: row.distribution,
    originAreaId: row.originAreaId,
    offerId: row.offerId,
    createdBy: row.createdBy,
    target: row.target as BroadcastTarget,
    startAt: row.startAt,
    recurrence: (row.recurrence as Recurrence | null) ?? null,
    repeat: (row.repeat as Repeat | null) ?? null,
    programmeKey: row.programmeKey,
    createdAt: row.createdAt,
    summary,
  };
}
