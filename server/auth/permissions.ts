/**
 * What each role may do. Every /api route names one of these in `config.access`; the
 * authentication plugin refuses to start a route without one, so no route is open by accident.
 * Area scope is a second check, made where the areas are known (see access-scope.ts).
 */
import type { UserRole } from '../db/generated/enums.js';

export const USER_ROLES = ['admin', 'approver', 'operator', 'viewer'] as const satisfies readonly UserRole[];

const EVERYONE = USER_ROLES;
const DRAFTERS = ['admin', 'approver', 'operator'] as const;
const REVIEWERS = ['admin', 'approver'] as const;
const ADMINS = ['admin'] as const;

export const GRANTS = {
  'areas:read': EVERYONE,
  'areas:write': ADMINS,
  'devices:read': EVERYONE,
  /** Register, move, rename receivers; rotate or revoke their credentials. */
  'devices:manage': REVIEWERS,
  /** Volume and stop: what an operator does at the desk. */
  'devices:control': DRAFTERS,
  'bulletins:read': EVERYONE,
  'bulletins:write': DRAFTERS,
  'broadcasts:read': EVERYONE,
  'broadcasts:write': DRAFTERS,
  'broadcasts:approve': REVIEWERS,
  /** An operator is further limited to areas that allow operators to send emergencies. */
  'emergency:send': DRAFTERS,
  /** The attention signals every receiver caches: a network-wide setting. */
  'signals:manage': ADMINS,
  /** Submit CAP alerts (a warning system's integration token belongs to a user who may). */
  'cap:submit': REVIEWERS,
  /** How words are said in the user's area (network-wide entries: admins). */
  'pronunciations:write': DRAFTERS,
  /** Schedule or decline what a higher level offered to the user's commune. */
  'offers:decide': DRAFTERS,
  /** The schedules/ programme files: their load report and reloading them. */
  'schedules:manage': ADMINS,
  'users:manage': ADMINS,
  'audit:read': ADMINS,
} as const satisfies Record<string, readonly UserRole[]>;

export type Permission = keyof typeof GRANTS;

/** `public`: no sign-in; `signed-in`: any user (their own session, tokens, password). */
export type RouteAccess = Permission | 'public' | 'signed-in';

export function roleMay(role: UserRole, permission: Permission): boolean {
  return (GRANTS[permission] as readonly UserRole[]).includes(role);
}

/** Everything the role may do: the console shows only what its user can use. */
export function permissionsOf(role: UserRole): Permission[] {
  return (Object.keys(GRANTS) as Permission[]).filter((permission) => roleMay(role, permission));
}

export function isRouteAccess(value: unknown): value is RouteAccess {
  return value === 'public' || value === 'signed-in' || (typeof value === 'string' && Object.hasOwn(GRANTS, value));
}
