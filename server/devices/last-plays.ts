/**
 * The last play each receiver finished (played to the end, interrupted or failed), for the
 * dashboard's "what did this speaker last play". One index probe per receiver: the newest
 * finished/failed event walking device_event's (device_id, seq) key backwards, not a scan of the
 * receiver's whole history.
 */
import type { PrismaClient } from '../db/database.js';

export type PlayOutcome = 'played' | 'interrupted' | 'failed';

export interface LastPlay {
  readonly broadcastId: string;
  readonly title: string | null;
  readonly outcome: PlayOutcome;
  readonly at: Date;
  readonly reason: string | null;
}

interface LastPlayRow {
  device_id: string;
  type: string;
  broadcast_id: string;
  at: Date;
  payload: { outcome?: string; reason?: string } | null;
  title: string | null;
}

export async function lastPlays(prisma: PrismaClient, deviceIds: readonly string[]): Promise<Map<string, LastPlay>> {
  if (deviceIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<LastPlayRow[]>`
    SELECT d.id AS device_id, e.type, e.broadcast_id, e.at, e.payload, bu.title
    FROM unnest(${[...deviceIds]}::text[]) AS d(id)
    CROSS JOIN LATERAL (
      SELECT type, broadcast_id, at, payload FROM device_event
      WHERE device_id = d.id AND type IN ('finished', 'failed')
      ORDER BY seq DESC LIMIT 1
    ) e
    LEFT JOIN broadcast b ON b.id = e.broadcast_id
    LEFT JOIN bulletin bu ON bu.id = b.bulletin_id`;
  return new Map(rows.map((row) => [row.device_id, toLastPlay(row)]));
}

export function playOutcome(type: string, outcome: string | undefined): PlayOutcome {
  if (type === 'failed') return 'failed';
  return outcome === 'interrupted' ? 'interrupted' : 'played';
}

function toLastPlay(row: LastPlayRow): LastPlay {
  return {
    broadcastId: row.broadcast_id,
    title: row.title,
    outcome: playOutcome(row.type, row.payload?.outcome),
    at: new Date(row.at),
    reason: row.type === 'failed' ? (row.payload?.reason ?? null) : null,
  };
}
