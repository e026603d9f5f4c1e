/**
 * Receivers' online/offline history: one row each time a receiver's state changes, written in the
 * intake's batches, read back as the changes within a period. Only changes are stored, so a
 * retained `online` delivered again (a server restart, a second instance) adds nothing.
 */
import type { PrismaClient } from '../db/database.js';
import { newId } from '../ids.js';
import type { AvailabilityChange } from './availability.js';

export interface ReportedAvailability {
  readonly deviceId: string;
  readonly online: boolean;
  readonly at: Date;
}

interface LatestRow {
  device_id: string;
  online: boolean;
}

/** Stores the reports whose state differs from the receiver's last recorded one; returns how many. */
export async function recordAvailabilityChanges(prisma: PrismaClient, reports: readonly ReportedAvailability[]): Promise<number> {
  if (reports.length === 0) return 0;
  const ids = [...new Set(reports.map((report) => report.deviceId))];
  // One index probe per receiver on (device_id, at), not a scan of its history.
  const latest = await prisma.$queryRaw<LatestRow[]>`
    SELECT d.id AS device_id, a.online
    FROM unnest(${ids}::text[]) AS d(id)
    CROSS JOIN LATERAL (
      SELECT online FROM device_availability WHERE device_id = d.id ORDER BY at DESC LIMIT 1
    ) a`;
  const known = new Map(latest.map((row) => [row.device_id, row.online]));
  const changes = reports.filter((report) => known.get(report.deviceId) !== report.online);
  if (changes.length === 0) return 0;
  await prisma.deviceAvailability.createMany({
    data: changes.map((change) => ({ id: newId(), deviceId: change.deviceId, online: change.online, at: change.at })),
  });
  return changes.length;
}

export interface AvailabilityHistories {
  /** Per receiver: its state at `from` (if any was recorded before) and every change within the period, in time order. */
  readonly changes: ReadonlyMap<string, AvailabilityChange[]>;
  /** Receivers present before the history began (the migration that created it): nothing is known before this instant. */
  readonly historyStart: ReadonlyMap<string, Date>;
}

interface HistoryRow {
  device_id: string;
  online: boolean;
  at: Date;
}

interface StartRow {
  device_id: string;
  at: Date;
}

export async function availabilityHistories(
  prisma: PrismaClient,
  deviceIds: readonly string[],
  period: { readonly from: Date; readonly to: Date },
): Promise<AvailabilityHistories> {
  if (deviceIds.length === 0) return { changes: new Map(), historyStart: new Map() };
  const ids = [...deviceIds];
  const [before, within, starts] = await Promise.all([
    prisma.$queryRaw<HistoryRow[]>`
      SELECT d.id AS device_id, a.online, a.at
      FROM unnest(${ids}::text[]) AS d(id)
      CROSS JOIN LATERAL (
        SELECT online, at FROM device_availability WHERE device_id = d.id AND at < ${period.from} ORDER BY at DESC LIMIT 1
      ) a`,
    prisma.$queryRaw<HistoryRow[]>`
      SELECT device_id, online, at FROM device_availability
      WHERE device_id = ANY(${ids}::text[]) AND at >= ${period.from} AND at < ${period.to}
      ORDER BY device_id, at`,
    prisma.$queryRaw<StartRow[]>`
      SELECT device_id, min(at) AS at FROM device_availability
      WHERE device_id = ANY(${ids}::text[]) AND source = 'migration'
      GROUP BY device_id`,
  ]);
  const changes = new Map<string, AvailabilityChange[]>();
  for (const row of [...before, ...within]) {
    const list = changes.get(row.device_id) ?? [];
    list.push({ online: row.online, at: new Date(row.at) });
    changes.set(row.device_id, list);
  }
  return { changes, historyStart: new Map(starts.map((row) => [row.device_id, new Date(row.at)])) };
}
