/**
 * The review step: an operator's broadcast is `pending` until an approver whose area covers its
 * whole target approves it (never its own author), or rejects it with a reason. Only approved
 * broadcasts are planned, so nothing pending ever reaches a receiver.
 */
import type { Actor } from '../auth/actor.js';
import { AppError, conflict, notFound, validationError } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import { approveBulletinWith, recordApproval } from './approval-log.js';
import { IMMEDIATE_START_LEAD_MS, requireOwnLevel, type BroadcastService, type BroadcastView, type SchedulingHooks } from './broadcast-service.js';

export class ApprovalService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly broadcasts: BroadcastService,
    private readonly scheduling: SchedulingHooks,
  ) {}

  async approve(id: string, actor: Actor, note?: string): Promise<BroadcastView> {
    const current = await this.pendingBroadcast(id, actor, 'approved');
    // A one-off whose time passed while it waited plays as soon as it is approved, not never.
    const startsNow = current.startAt !== null && current.startAt.getTime() < Date.now() + IMMEDIATE_START_LEAD_MS;
    const claimed = await this.prisma.broadcast.updateMany({
      where: { id, approvalState: 'pending' },
      data: { approvalState: 'approved', ...(startsNow ? { startAt: new Date(Date.now() + IMMEDIATE_START_LEAD_MS), plannedUntil: null } : {}) },
    });
    if (claimed.count !== 1) throw conflict('the broadcast was decided by someone else meanwhile', 'id');
    const reason = [note, startsNow ? 'its time had passed while it waited: starts now' : undefined].filter(Boolean).join('; ');
    await recordApproval(this.prisma, 'broadcast', id, { from: 'pending', to: 'approved', actor, reason: reason || undefined });
    await approveBulletinWith(this.prisma, current.bulletinId, actor);
    await this.broadcasts.notifyApproved(await this.broadcasts.get(id));
    await this.scheduling.afterChange();
    return this.broadcasts.get(id);
  }

  async reject(id: string, actor: Actor, reason: string): Promise<BroadcastView> {
    if (reason.trim() === '') throw validationError('reason: say why it is rejected', [{ field: 'reason', message: 'required' }]);
    await this.pendingBroadcast(id, actor, 'rejected');
    const claimed = await this.prisma.broadcast.updateMany({ where: { id, approvalState: 'pending' }, data: { approvalState: 'rejected' } });
    if (claimed.count !== 1) throw conflict('the broadcast was decided by someone else meanwhile', 'id');
    await recordApproval(this.prisma, 'broadcast', id, { from: 'pending', to: 'rejected', actor, reason });
    return this.broadcasts.get(id);
  }

  private async pendingBroadcast(id: string, actor: Actor, decision: 'approved' | 'rejected') {
    const current = await this.prisma.broadcast.findUnique({
      where: { id },
      select: { approvalState: true, createdBy: true, areaIds: true, originAreaId: true, bulletinId: true, status: true, startAt: true, bulletin: { select: { createdBy: true, approvalState: true } } },
    });
    if (!current) throw notFound('broadcast', id);
    await this.broadcasts.get(id, actor.scope); // not found outside the scope
    requireOwnLevel(current, actor.scope);
    if (current.approvalState !== 'pending' || current.status === 'cancelled') {
      throw conflict(`only a pending broadcast can be ${decision}; this one is ${current.status === 'cancelled' ? 'cancelled' : current.approvalState}`, 'id');
    }
    const userId = actor.user?.id;
    const ownBulletin = current.bulletin.approvalState === 'pending' && current.bulletin.createdBy === userId;
    if (userId && (current.createdBy === userId || ownBulletin)) {
      throw new AppError('SELF_APPROVAL', 403, 'you cannot review your own broadcast or bulletin; another approver must', [
        { field: 'id', message: 'written by you' },
      ]);
    }
    return current;
  }
}
