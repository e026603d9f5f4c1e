/**
 * The audit log: who changed what, when, from where, and what came of it. Append-only by design:
 * this module offers `record` and `query`, nothing that edits or deletes.
 */
import type { PrismaClient } from '../db/database.js';
import { newId } from '../ids.js';

export interface AuditRecord {
  readonly userId: string | null;
  readonly username: string | null;
  readonly ip: string | null;
  readonly method: string;
  readonly route: string;
  readonly entityId: string | null;
  readonly statusCode: number;
  readonly summary: { readonly request: unknown; readonly outcome: unknown };
}

export interface AuditQuery {
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly userId?: string | undefined;
  readonly username?: string | undefined;
  /** Route prefix, e.g. `/api/broadcasts`. */
  readonly route?: string | undefined;
  readonly entityId?: string | undefined;
  readonly limit: number;
}

const SECRET_KEYS = /^(password|newPassword|currentPassword|token|secret)$/i;
const LONG_TEXT = 200;

/** A request body fit for the log: secrets replaced, long texts shortened, depth bounded. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return '…';
  if (typeof value === 'string') return value.length > LONG_TEXT ? `${value.slice(0, LONG_TEXT)}… (${value.length} chars)` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, member]) => [key, SECRET_KEYS.test(key) ? '[redacted]' : redact(member, depth + 1)]),
    );
  }
  return value;
}

export class AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(record: AuditRecord): Promise<void> {
    await this.prisma.auditEvent.create({
      data: { id: newId(), ...record, summary: record.summary as object },
    });
  }

  async query(filter: AuditQuery) {
    return this.prisma.auditEvent.findMany({
      where: {
        ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
        ...(filter.userId ? { userId: filter.userId } : {}),
        ...(filter.username ? { username: filter.username } : {}),
        ...(filter.route ? { route: { startsWith: filter.route } } : {}),
        ...(filter.entityId ? { entityId: filter.entityId } : {}),
      },
      orderBy: { at: 'desc' },
      take: filter.limit,
    });
  }
}
