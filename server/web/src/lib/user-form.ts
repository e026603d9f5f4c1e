/**
 * The users page's rules and wording: which roles exist, when an account is locked, and the
 * server's English error messages (server/auth/password-policy.ts, user-service.ts) turned into
 * catalogue keys, so an official reads them in their language. A message not known here is shown
 * as the server wrote it rather than lost.
 */
import type { ApiError, FieldError } from '../api.js';

export const ROLES = ['admin', 'approver', 'operator', 'viewer'] as const;
export type UserRole = (typeof ROLES)[number];

/** GET /api/users. */
export interface UserAccount {
  readonly id: string;
  readonly username: string;
  readonly role: UserRole;
  readonly areaId: string | null;
  readonly lockedUntil: string | null;
  readonly createdAt: string;
}

/** The minimum length of password-policy.ts, shown before the official types. */
export const PASSWORD_MIN_LENGTH = 10;

export function isLocked(user: Pick<UserAccount, 'lockedUntil'>, now: number): boolean {
  return user.lockedUntil !== null && new Date(user.lockedUntil).getTime() > now;
}

/** Everyone but an admin works within an area (user-service.ts requireAreaFor). */
export function needsArea(role: UserRole): boolean {
  return role !== 'admin';
}

export type KnownError =
  | { readonly key: 'tooShort'; readonly min: number }
  | { readonly key: 'tooLong'; readonly max: number }
  | { readonly key: 'repetitive' | 'common' | 'containsUsername' | 'wrongPassword' | 'taken' | 'lastAdmin' | 'deleteSelf' | 'areaRequired' | 'usernameFormat' };

/** The catalogue's version of one server message about `field`, or null when there is none. */
export function knownError(field: string, message: string): KnownError | null {
  const short = /^must be at least (\d+) characters$/.exec(message);
  if (short) return { key: 'tooShort', min: Number(short[1]) };
  const long = /^must be at most (\d+) characters$/.exec(message);
  if (long) return { key: 'tooLong', max: Number(long[1]) };
  if (message === 'must not repeat the same few characters') return { key: 'repetitive' };
  if (message === 'is too common') return { key: 'common' };
  if (message === 'must not contain the user name') return { key: 'containsUsername' };
  if (message === 'wrong password') return { key: 'wrongPassword' };
  if (/^user name ".*" is taken$/.test(message)) return { key: 'taken' };
  if (message.startsWith('this is the last admin')) return { key: 'lastAdmin' };
  if (message === 'you cannot delete your own account') return { key: 'deleteSelf' };
  if (field === 'areaId' && /^required for the \w+ role$/.test(message)) return { key: 'areaRequired' };
  // The schema's own checks of the name (length, characters) all come down to the same rule.
  if (field === 'username') return { key: 'usernameFormat' };
  return null;
}

/** Every message the server gave about a field (a password can break several rules at once). */
export function fieldMessages(error: ApiError | null | undefined, field: string): string[] {
  if (!error) return [];
  return error.details.filter((detail) => detail.field === field || detail.field.startsWith(`${field}.`)).map((detail) => detail.message);
}

/** Details about anything but the `shown` fields: they go in the form's general notice, so none is lost. */
export function otherDetails(error: ApiError | null | undefined, shown: readonly string[]): FieldError[] {
  if (!error) return [];
  return error.details.filter((detail) => !shown.some((field) => detail.field === field || detail.field.startsWith(`${field}.`)));
}
