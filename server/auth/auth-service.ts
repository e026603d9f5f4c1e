/**
 * Sign-in and credentials. A session is a random bearer token, stored only as its SHA-256, sent
 * as `Authorization: Bearer` or in the httpOnly `session` cookie; an integration token is the same
 * kind of secret, named and long-lived, created by a user for another system and revocable.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { notFound, tooManyAttempts, unauthorized, validationError } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import type { UserRole } from '../db/generated/enums.js';
import { newId } from '../ids.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import { passwordProblems } from './password-policy.js';

export interface AuthenticatedUser {
  readonly id: string;
  readonly username: string;
  readonly role: UserRole;
  readonly areaId: string | null;
}

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** After this many wrong passwords in a row the account is locked for LOCK_MS. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60 * 1000;
// A real hash of a random password, so a login with an unknown name costs the same as a wrong password.
const DUMMY_HASH_PROMISE = hashPassword(randomBytes(16).toString('hex'));

export interface IntegrationTokenView {
  readonly id: string;
  readonly name: string | null;
  readonly userId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** A used integration token's `lastUsedAt` is written at most this often, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
// Derived from the session secret, so it needs no storage; only a page that can read our cookies can know it.
const csrfTokenOf = (sessionToken: string) => createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');

export function requireAcceptablePassword(password: string, username: string, field = 'password'): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) {
    throw validationError(`${field}: ${problems.join('; ')}`, problems.map((message) => ({ field, message })));
  }
}

export class AuthService {
  constructor(private readonly prisma: PrismaClient) {}

  async login(username: string, password: string): Promise<{ token: string; csrfToken: string; expiresAt: Date; user: AuthenticatedUser }> {
    const user = await this.prisma.user.findUnique({ where: { username } });
    const now = Date.now();
    if (user?.lockedUntil && user.lockedUntil.getTime() > now) {
      const seconds = Math.ceil((user.lockedUntil.getTime() - now) / 1_000);
      throw tooManyAttempts(`This account is locked after ${MAX_FAILED_LOGINS} wrong passwords; try again in ${seconds} s`, seconds, 'ACCOUNT_LOCKED');
    }
    const valid = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (user && !valid) {
      const failed = user.failedLogins + 1;
      const lock = failed >= MAX_FAILED_LOGINS;
      await this.prisma.user.update({
        where: { id: user.id },
        data: lock ? { failedLogins: 0, lockedUntil: new Date(now + LOCK_MS) } : { failedLogins: failed },
      });
    }
    if (!user || !valid) throw unauthorized('Wrong username or password');
    if (user.failedLogins > 0 || user.lockedUntil) {
      await this.prisma.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await this.prisma.apiToken.create({ data: { id: newId(), userId: user.id, tokenHash: hashToken(token), expiresAt } });
    return { token, csrfToken: csrfTokenOf(token), expiresAt, user: { id: user.id, username: user.username, role: user.role, areaId: user.areaId } };
  }

  /** The caller behind a session or integration token; role and area are read fresh, so a change applies at once. */
  async authenticate(token: string): Promise<AuthenticatedUser | null> {
    const row = await this.prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    const now = Date.now();
    if (!row || row.revokedAt || row.expiresAt.getTime() < now) return null;
    if (row.kind === 'integration' && (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)) {
      await this.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
    }
    return { id: row.user.id, username: row.user.username, role: row.user.role, areaId: row.user.areaId };
  }

  csrfTokenMatches(sessionToken: string, sent: string): boolean {
    const expected = Buffer.from(csrfTokenOf(sessionToken));
    const actual = Buffer.from(sent);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  async changeOwnPassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw unauthorized();
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw validationError('currentPassword: wrong password', [{ field: 'currentPassword', message: 'wrong password' }]);
    }
    requireAcceptablePassword(newPassword, user.username, 'newPassword');
    await this.prisma.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(newPassword) } });
  }

  /** A named token for another system, acting as `userId`; the secret is returned only here. */
  async createIntegrationToken(userId: string, name: string, validDays: number): Promise<IntegrationTokenView & { token: string }> {
    const token = `cbi_${randomBytes(32).toString('base64url')}`;
    const row = await this.prisma.apiToken.create({
      data: { id: newId(), userId, name, kind: 'integration', tokenHash: hashToken(token), expiresAt: new Date(Date.now() + validDays * 86_400_000) },
    });
    return { ...toTokenView(row), token };
  }

  /** Integration tokens of one user, or of everyone when `userId` is null (admins). */
  async listIntegrationTokens(userId: string | null): Promise<IntegrationTokenView[]> {
    const rows = await this.prisma.apiToken.findMany({
      where: { kind: 'integration', ...(userId ? { userId } : {}) },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(toTokenView);
  }

  /** Revokes an integration token; `ownerId` limits it to that user's tokens (null: any, for admins). */
  async revokeIntegrationToken(id: string, ownerId: string | null): Promise<IntegrationTokenView> {
    const row = await this.prisma.apiToken.findUnique({ where: { id } });
    if (!row || row.kind !== 'integration' || (ownerId && row.userId !== ownerId)) throw notFound('token', id);
    const updated = row.revokedAt ? row : await this.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    return toTokenView(updated);
  }

  async logout(token: string): Promise<void> {
    // Only a session ends by signing out: an integration token is revoked by name, never by accident.
    await this.prisma.apiToken.updateMany({ where: { tokenHash: hashToken(token), kind: 'session' }, data: { revokedAt: new Date() } });
  }

  /**
   * Creates the first admin when there is no user yet. Without ADMIN_PASSWORD a random one is
   * generated and written to `<dataDir>/initial-admin-password` (mode 600), as Jenkins does, so
   * it can be read again after the first start's log has scrolled away.
   */
  async ensureInitialAdmin(
    username: string,
    password: string | undefined,
    dataDir: string,
  ): Promise<{ created: boolean; username: string; password?: string; passwordFile?: string }> {
    if ((await this.prisma.user.count()) > 0) return { created: false, username };
    const chosen = password ?? randomBytes(12).toString('base64url');
    await this.prisma.user.create({
      data: { id: newId(), username, passwordHash: await hashPassword(chosen), role: 'admin', areaId: null },
    });
    if (password) return { created: true, username };
    await mkdir(dataDir, { recursive: true });
    const passwordFile = path.join(dataDir, 'initial-admin-password');
    await writeFile(passwordFile, `${chosen}\n`, { mode: 0o600 });
    await chmod(passwordFile, 0o600);
    return { created: true, username, password: chosen, passwordFile };
  }
}

function toTokenView(row: {
  id: string;
  name: string | null;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): IntegrationTokenView {
  return { id: row.id, name: row.name, userId: row.userId, createdAt: row.createdAt, expiresAt: row.expiresAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}
