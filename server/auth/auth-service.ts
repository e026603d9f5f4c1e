/**
 * Users and their sessions. A session is a random bearer token, stored only as its SHA-256, sent
 * as `Authorization: Bearer` or in the httpOnly `session` cookie.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tooManyAttempts, unauthorized } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import type { UserRole } from '../db/generated/enums.js';
import { newId } from '../ids.js';
import { hashPassword, verifyPassword } from './password-hasher.js';

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

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class AuthService {
  constructor(private readonly prisma: PrismaClient) {}

  async login(username: string, password: string): Promise<{ token: string; expiresAt: Date; user: AuthenticatedUser }> {
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
    return { token, expiresAt, user: { id: user.id, username: user.username, role: user.role, areaId: user.areaId } };
  }

  async authenticate(token: string): Promise<AuthenticatedUser | null> {
    const row = await this.prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    if (!row || row.revokedAt || row.expiresAt.getTime() < Date.now()) return null;
    return { id: row.user.id, username: row.user.username, role: row.user.role, areaId: row.user.areaId };
  }

  async logout(token: string): Promise<void> {
    await this.prisma.apiToken.updateMany({ where: { tokenHash: hashToken(token) }, data: { revokedAt: new Date() } });
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
