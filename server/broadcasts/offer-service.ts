/**
 * Content sent down the tree. When an offered broadcast of a province or district is approved,
 * each commune it reaches gets an offer: at `normal` priority it waits in the commune's inbox
 * until a commune user schedules or declines it; at `high` it is scheduled at the sender's time,
 * unless that overlaps the commune's own high-priority broadcast, when a commune user picks the
 * time (and with it the order). Every decision is kept on the offer, which the sender sees.
 */
import type { AreaService } from '../areas/area-service.js';
import type { AccessScope } from '../auth/access-scope.js';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { conflict, notFound } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import type { OfferState } from '../db/generated/enums.js';
import { newId } from '../ids.js';
import type { Recurrence } from '../scheduling/recurrence-spec.js';
import type { ApprovalService } from './approval-service.js';
import { toOfferView, type BroadcastSchedule, type BroadcastService, type BroadcastTarget, type BroadcastView, type OfferView } from './broadcast-service.js';
import { splitByCommune, type CommuneShare } from './hierarchy.js';

export interface InboxEntry extends OfferView {
  readonly title: string;
  readonly priority: string;
  readonly fromAreaId: string | null;
  readonly proposed: { readonly startAt: Date | null; readonly recurrence: Recurrence | null };
}

const OPEN_STATES: readonly OfferState[] = ['offered', 'clash'];
const CLASHING_WARNINGS = new Set(['OVERLAP', 'PREEMPTS', 'PREEMPTED']);

export class OfferService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly areas: AreaService,
    private readonly broadcasts: BroadcastService,
    private readonly approvals: ApprovalService,
  ) {}

  /** Creates one offer per commune an approved, offered broadcast reaches. */
  async distribute(broadcast: BroadcastView): Promise<void> {
    if (broadcast.distribution !== 'offered' || broadcast.approvalState !== 'approved') return;
    for (const share of await this.sharesOf(broadcast.target)) {
      const offerId = newId();
      const created = await this.prisma.offer.createMany({
        data: [{ id: offerId, broadcastId: broadcast.id, areaId: share.communeId }],
        skipDuplicates: true,
      });
      if (created.count === 1 && broadcast.priority === 'high') await this.scheduleAutomatically(offerId, share, broadcast);
    }
  }

  /** Open and decided offers to the communes in `scope`, newest first. */
  async inbox(scope: AccessScope, filter: { state?: OfferState | undefined } = {}): Promise<InboxEntry[]> {
    const rows = await this.prisma.offer.findMany({
      where: { ...(scope.areas ? { areaId: { in: [...scope.areas] } } : {}), ...(filter.state ? { state: filter.state } : {}) },
      include: {
        area: { select: { name: true } },
        broadcast: { select: { priority: true, originAreaId: true, startAt: true, recurrence: true, bulletin: { select: { title: true } } } },
      },
      orderBy: { createdAt: 'desc' },
      take: 200,
    });
    return rows.map((row) => ({
      ...toOfferView(row),
      title: row.broadcast.bulletin.title,
      priority: row.broadcast.priority,
      fromAreaId: row.broadcast.originAreaId,
      proposed: { startAt: row.broadcast.startAt, recurrence: (row.broadcast.recurrence as Recurrence | null) ?? null },
    }));
  }

  /** The commune schedules the offered content, at the proposed time unless it gives its own. */
  async accept(offerId: string, actor: Actor, schedule: BroadcastSchedule): Promise<OfferView> {
    const offer = await this.openOffer(offerId, actor);
    const parent = await this.broadcasts.get(offer.broadcastId);
    let scheduledId = offer.scheduledBroadcastId;
    const chosen = schedule.startAt || schedule.recurrence ? schedule : undefined;
    if (scheduledId) {
      // A clash: the commune's copy exists and waits; the chosen time settles the order.
      if (chosen) await this.broadcasts.update(scheduledId, chosen, actor);
      await this.approvals.approve(scheduledId, SYSTEM_ACTOR, `order chosen by ${actor.user?.username ?? 'system'}`);
    } else {
      const share = (await this.sharesOf(parent.target)).find((s) => s.communeId === offer.areaId);
      if (!share) throw conflict('the offered broadcast no longer reaches this commune', 'id');
      scheduledId = (await this.scheduleCopy(parent, share, actor, offerId, chosen ?? proposedSchedule(parent), 'approved')).id;
    }
    return this.decide(offerId, actor, { state: 'accepted', scheduledBroadcastId: scheduledId });
  }

  async decline(offerId: string, actor: Actor, reason: string | undefined): Promise<OfferView> {
    const offer = await this.openOffer(offerId, actor);
    if (offer.scheduledBroadcastId) await this.broadcasts.cancel(offer.scheduledBroadcastId, SYSTEM_ACTOR);
    return this.decide(offerId, actor, { state: 'declined', reason: reason ?? null });
  }

  private async scheduleAutomatically(offerId: string, share: CommuneShare, parent: BroadcastView): Promise<void> {
    // Created waiting, so nothing plays before the clash check below has said it may.
    const copy = await this.scheduleCopy(parent, share, SYSTEM_ACTOR, offerId, proposedSchedule(parent), 'pending');
    const clash = await this.clashWithOwnHighPriority(copy, share.communeId);
    if (clash) {
      await this.prisma.offer.update({ where: { id: offerId }, data: { state: 'clash', scheduledBroadcastId: copy.id, clashBroadcastId: clash } });
      return;
    }
    await this.approvals.approve(copy.id, SYSTEM_ACTOR, 'high priority: scheduled automatically');
    await this.decide(offerId, SYSTEM_ACTOR, { state: 'scheduled', scheduledBroadcastId: copy.id });
  }

  /** The commune's own high-priority broadcast this copy overlaps, if any. */
  private async clashWithOwnHighPriority(copy: BroadcastView, communeId: string): Promise<string | null> {
    const candidates = (copy.warnings ?? []).filter((w) => CLASHING_WARNINGS.has(w.code) && w.withBroadcastId).map((w) => w.withBroadcastId!);
    if (candidates.length === 0) return null;
    const commune = await this.areas.subtreeOf([communeId]);
    const own = await this.prisma.broadcast.findFirst({
      where: { id: { in: candidates }, priority: 'high', offerId: null, originAreaId: { in: [...commune] }, status: { not: 'cancelled' } },
      select: { id: true },
    });
    return own?.id ?? null;
  }

  private scheduleCopy(
    parent: BroadcastView,
    share: CommuneShare,
    actor: Actor,
    offerId: string,
    schedule: BroadcastSchedule,
    approvalState: 'approved' | 'pending',
  ): Promise<BroadcastView> {
    const target: BroadcastTarget = { areaIds: share.areaIds, deviceIds: share.deviceIds };
    return this.broadcasts.create({ bulletinId: parent.bulletinId, target, priority: parent.priority, ...schedule }, actor, {
      offerId,
      originAreaId: share.communeId,
      approvalState,
    });
  }

  private async sharesOf(target: BroadcastTarget): Promise<CommuneShare[]> {
    const devices = await this.prisma.device.findMany({ where: { id: { in: [...(target.deviceIds ?? [])] } }, select: { id: true, areaId: true } });
    return splitByCommune({ areaIds: target.areaIds ?? [], devices }, await this.areas.all());
  }

  private async openOffer(offerId: string, actor: Actor) {
    const offer = await this.prisma.offer.findUnique({ where: { id: offerId } });
    if (!offer || !actor.scope.includesArea(offer.areaId)) throw notFound('offer', offerId);
    if (!OPEN_STATES.includes(offer.state)) throw conflict(`this offer was already ${offer.state}`, 'id');
    return offer;
  }

  private async decide(
    offerId: string,
    actor: Actor,
    decision: { state: OfferState; scheduledBroadcastId?: string; reason?: string | null },
  ): Promise<OfferView> {
    const row = await this.prisma.offer.update({
      where: { id: offerId },
      data: { ...decision, decidedBy: actor.user?.id ?? null, decidedByName: actor.user?.username ?? 'automatic', decidedAt: new Date() },
      include: { area: { select: { name: true } } },
    });
    return toOfferView(row);
  }

}

/** The sender's time; a one-off time already past becomes "now" for a commune that accepts late. */
function proposedSchedule(parent: BroadcastView): BroadcastSchedule {
  const when = parent.recurrence
    ? { recurrence: parent.recurrence }
    : parent.startAt && parent.startAt.getTime() > Date.now()
      ? { startAt: parent.startAt }
      : {};
  return { ...when, ...(parent.repeat ? { repeat: parent.repeat } : {}) };
}
