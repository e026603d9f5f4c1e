/**
 * Who is acting, as the services see it: a signed-in user with their area scope, or the system
 * itself (schedules/ files, automatic scheduling of offered content), which acts everywhere.
 */
import { AccessScope } from './access-scope.js';
import type { AuthenticatedUser } from './auth-service.js';

export interface Actor {
  readonly user: AuthenticatedUser | null;
  readonly scope: AccessScope;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ user: null, scope: AccessScope.everything() });

/** Admins and approvers review; what they write needs no second pair of eyes. */
export function isReviewer(actor: Actor): boolean {
  return actor.user === null || actor.user.role === 'admin' || actor.user.role === 'approver';
}
