/** Every approval transition of a bulletin or broadcast, with who made it, when and why. */
import type { Actor } from '../auth/actor.js';
import type { PrismaClient } from '../db/database.js';
import type { ApprovalState } from '../db/generated/enums.js';
import { newId } from '../ids.js';

export type ApprovalSubject = 'bulletin' | 'broadcast';

export interface ApprovalTransition {
  readonly from: ApprovalState | null;
  readonly to: ApprovalState;
  readonly userId: string | null;
  readonly username: string | null;
  readonly reason: string | null;
  readonly at: Date;
}

export async function recordApproval(
  prisma: PrismaClient,
  subject: ApprovalSubject,
  entityId: string,
  transition: { from: ApprovalState | null; to: ApprovalState; actor: Actor; reason?: string | undefined },
): Promise<void> {
  await prisma.approvalEvent.create({
    data: {
      id: newId(),
      entityType: subject,
      entityId,
      fromState: transition.from,
      toState: transition.to,
      userId: transition.actor.user?.id ?? null,
      username: transition.actor.user?.username ?? null,
      reason: transition.reason ?? null,
    },
  });
}

export async function approvalHistory(prisma: PrismaClient, entityId: string): Promise<ApprovalTransition[]> {
  const rows = await prisma.approvalEvent.findMany({ where: { entityId }, orderBy: { at: 'asc' } });
  return rows.map((row) => ({ from: row.fromState, to: row.toState, userId: row.userId, username: row.username, reason: row.reason, at: row.at }));
}

/** Approving a broadcast approves the bulletin it plays, if that was still waiting. */
export async function approveBulletinWith(prisma: PrismaClient, bulletinId: string, actor: Actor): Promise<void> {
  const updated = await prisma.bulletin.updateMany({ where: { id: bulletinId, approvalState: { not: 'approved' } }, data: { approvalState: 'approved' } });
  if (updated.count === 1) {
    await recordApproval(prisma, 'bulletin', bulletinId, { from: 'pending', to: 'approved', actor, reason: 'approved with a broadcast' });
  }
}
