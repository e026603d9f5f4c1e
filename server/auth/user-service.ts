/**
 * User accounts, managed by admins: each user has one role and one area (the top of what they may
 * see and target). A password reset or a change of role or area ends the user's sessions, so the
 * new rights apply from the next sign-in without any stale session keeping the old ones.
 */
import { conflict, notFound, validationError } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import type { UserRole } from '../db/generated/enums.js';
import { newId } from '../ids.js';
import { requireAcceptablePassword } from './auth-service.js';
import { hashPassword } from './password-hasher.js';

export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly role: UserRole;
  readonly areaId: string | null;
  readonly lockedUntil: Date | null;
  readonly createdAt: Date;
}

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly role: UserRole;
  readonly areaId?: string | null | undefined;
}

export interface UserChanges {
  readonly role?: UserRole | undefined;
  readonly areaId?: string | null | undefined;
  /** An admin's reset: also unlocks the account. */
  readonly password?: string | undefined;
}

const userSelect = { id: true, username: true, role: true, areaId: true, lockedUntil: true, createdAt: true } as const;

export class UserService {
  constructor(private readonly prisma: PrismaClient) {}

  async list(): Promise<UserView[]> {
    return this.prisma.user.findMany({ select: userSelect, orderBy: { username: 'asc' } });
  }

  async get(id: string): Promise<UserView> {
    const user = await this.prisma.user.findUnique({ where: { id }, select: userSelect });
    if (!user) throw notFound('user', id);
    return user;
  }

  async create(input: NewUser): Promise<UserView> {
    requireAcceptablePassword(input.password, input.username);
    const areaId = input.areaId ?? null;
    await this.requireAreaFor(input.role, areaId);
    if (await this.prisma.user.findUnique({ where: { username: input.username } })) {
      throw conflict(`user name "${input.username}" is taken`, 'username');
    }
    return this.prisma.user.create({
      data: { id: newId(), username: input.username, passwordHash: await hashPassword(input.password), role: input.role, areaId },
      select: userSelect,
    });
  }

  async update(id: string, changes: UserChanges): Promise<UserView> {
    const current = await this.get(id);
    const role = changes.role ?? current.role;
    const areaId = changes.areaId !== undefined ? changes.areaId : current.areaId;
    if (current.role === 'admin' && role !== 'admin') await this.requireAnotherAdmin(id, 'role');
    await this.requireAreaFor(role, areaId);
    if (changes.password !== undefined) requireAcceptablePassword(changes.password, current.username);
    const rightsChanged = role !== current.role || areaId !== current.areaId;
    const updated = await this.prisma.user.update({
      where: { id },
      data: {
        role,
        areaId,
        ...(changes.password !== undefined
          ? { passwordHash: await hashPassword(changes.password), failedLogins: 0, lockedUntil: null }
          : {}),
      },
      select: userSelect,
    });
    if (rightsChanged || changes.password !== undefined) await this.endSessions(id);
    return updated;
  }

  async delete(id: string, actingUserId: string | null): Promise<void> {
    const current = await this.get(id);
    if (id === actingUserId) throw conflict('you cannot delete your own account', 'id');
    if (current.role === 'admin') await this.requireAnotherAdmin(id, 'id');
    // Tokens go with the user (ON DELETE CASCADE); what they wrote keeps their id, and the audit log their name.
    await this.prisma.user.delete({ where: { id } });
  }

  private async endSessions(userId: string): Promise<void> {
    await this.prisma.apiToken.updateMany({ where: { userId, kind: 'session', revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** Everyone but an admin works within an area; an admin may also be given one, but sees everything. */
  private async requireAreaFor(role: UserRole, areaId: string | null): Promise<void> {
    if (areaId === null) {
      if (role !== 'admin') throw validationError(`areaId: a ${role} must belong to an area`, [{ field: 'areaId', message: `required for the ${role} role` }]);
      return;
    }
    if (!(await this.prisma.area.findUnique({ where: { id: areaId }, select: { id: true } }))) throw notFound('area', areaId, 'areaId');
  }

  private async requireAnotherAdmin(id: string, field: string): Promise<void> {
    const admins = await this.prisma.user.count({ where: { role: 'admin', id: { not: id } } });
    if (admins === 0) throw conflict('this is the last admin: make another user admin first', field);
  }
}
