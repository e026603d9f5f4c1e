/**
 * Where a batch of receivers' reports lands in the database, one statement per kind of change
 * whatever the batch's size: a row per receiver or delivery would be a round trip each, and a
 * province's receivers report thousands at once (every one ending the same play, a telemetry
 * heartbeat from each every 30 s). Rows travel as parallel arrays expanded by unnest(), which
 * PostgreSQL and PGlite both take as ordinary parameters.
 */
import type { Telemetry } from '../../protocol/index.js';
import type { PrismaClient } from '../db/database.js';
import type { DeliveryState } from '../db/generated/enums.js';
import type { DeliveryPatch } from './delivery-state.js';

export interface TelemetryRow {
  readonly deviceId: string;
  readonly telemetry: Telemetry;
  readonly receivedAt: Date;
}

export interface AvailabilityRow {
  readonly deviceId: string;
  readonly online: boolean;
  readonly at: Date;
}

export interface DeliveryKey {
  readonly occurrenceId: string;
  readonly deviceId: string;
}

export interface DeliveryUpdate extends DeliveryKey {
  readonly patch: DeliveryPatch;
}

export interface OnAirChange {
  readonly deviceId: string;
  readonly broadcastId: string;
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

/** What each receiver last said about itself: it is online, and plays what its telemetry says. */
export async function storeTelemetry(prisma: PrismaClient, rows: readonly TelemetryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await prisma.$executeRaw`
    UPDATE device AS d SET
      last_seen_at = t.received_at, online = true, volume = t.volume, playing_broadcast = t.playing,
      agent_version = t.agent_version, clock_offset_ms = t.clock_offset_ms, telemetry = t.telemetry
    FROM unnest(
      ${rows.map((row) => row.deviceId)}::text[],
      ${rows.map((row) => row.receivedAt.toISOString())}::timestamptz[],
      ${rows.map((row) => row.telemetry.volume)}::int[],
      ${rows.map((row) => row.telemetry.playing)}::text[],
      ${rows.map((row) => row.telemetry.agentVersion)}::text[],
      ${rows.map((row) => row.telemetry.clockOffsetMs)}::float8[],
      ${rows.map((row) => JSON.stringify(row.telemetry))}::jsonb[]
    ) AS t(id, received_at, volume, playing, agent_version, clock_offset_ms, telemetry)
    WHERE d.id = t.id`;
}

/** Online or offline as the receivers (or their last wills) said, and when. */
export async function storeAvailability(prisma: PrismaClient, rows: readonly AvailabilityRow[]): Promise<void> {
  if (rows.length === 0) return;
  await prisma.$executeRaw`
    UPDATE device AS d SET online = t.online, last_seen_at = t.at
    FROM unnest(
      ${rows.map((row) => row.deviceId)}::text[],
      ${rows.map((row) => row.online)}::boolean[],
      ${rows.map((row) => row.at.toISOString())}::timestamptz[]
    ) AS t(id, online, at)
    WHERE d.id = t.id`;
}

/** The current state of each named delivery that exists. */
export async function deliveryStates(prisma: PrismaClient, keys: readonly DeliveryKey[]): Promise<Map<string, DeliveryState>> {
  if (keys.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ occurrence_id: string; device_id: string; state: DeliveryState }[]>`
    SELECT d.occurrence_id, d.device_id, d.state::text AS state
    FROM delivery AS d
    JOIN unnest(${keys.map((key) => key.occurrenceId)}::text[], ${keys.map((key) => key.deviceId)}::text[]) AS k(occurrence_id, device_id)
      ON d.occurrence_id = k.occurrence_id AND d.device_id = k.device_id`;
  return new Map(rows.map((row) => [deliveryKey(row.occurrence_id, row.device_id), row.state]));
}

/** Applies each delivery's patch: a state and error when the patch has them, timestamps it sets, the rest kept. */
export async function updateDeliveries(prisma: PrismaClient, updates: readonly DeliveryUpdate[], now: Date): Promise<void> {
  if (updates.length === 0) return;
  const column = <T>(read: (patch: DeliveryPatch) => T | undefined) => updates.map(({ patch }) => read(patch) ?? null);
  await prisma.$executeRaw`
    UPDATE delivery AS d SET
      state = COALESCE(t.state::"DeliveryState", d.state),
      received_at = COALESCE(t.received_at, d.received_at),
      downloaded_at = COALESCE(t.downloaded_at, d.downloaded_at),
      started_at = COALESCE(t.started_at, d.started_at),
      message_started_at = COALESCE(t.message_started_at, d.message_started_at),
      finished_at = COALESCE(t.finished_at, d.finished_at),
      error = COALESCE(t.error, d.error),
      updated_at = ${now.toISOString()}::timestamptz
    FROM unnest(
      ${updates.map((update) => update.occurrenceId)}::text[],
      ${updates.map((update) => update.deviceId)}::text[],
      ${column((patch) => patch.state)}::text[],
      ${column((patch) => iso(patch.receivedAt))}::timestamptz[],
      ${column((patch) => iso(patch.downloadedAt))}::timestamptz[],
      ${column((patch) => iso(patch.startedAt))}::timestamptz[],
      ${column((patch) => iso(patch.messageStartedAt))}::timestamptz[],
      ${column((patch) => iso(patch.finishedAt))}::timestamptz[],
      ${column((patch) => patch.error)}::text[]
    ) AS t(occurrence_id, device_id, state, received_at, downloaded_at, started_at, message_started_at, finished_at, error)
    WHERE d.occurrence_id = t.occurrence_id AND d.device_id = t.device_id`;
}

/** What receivers have on air: a start sets it; an end clears it only if it is still that broadcast. */
export async function storeOnAir(prisma: PrismaClient, started: readonly OnAirChange[], ended: readonly OnAirChange[]): Promise<void> {
  if (started.length > 0) {
    await prisma.$executeRaw`
      UPDATE device AS d SET playing_broadcast = t.broadcast_id
      FROM unnest(${started.map((row) => row.deviceId)}::text[], ${started.map((row) => row.broadcastId)}::text[]) AS t(id, broadcast_id)
      WHERE d.id = t.id`;
  }
  if (ended.length > 0) {
    await prisma.$executeRaw`
      UPDATE device AS d SET playing_broadcast = NULL
      FROM unnest(${ended.map((row) => row.deviceId)}::text[], ${ended.map((row) => row.broadcastId)}::text[]) AS t(id, broadcast_id)
      WHERE d.id = t.id AND d.playing_broadcast = t.broadcast_id`;
  }
}

export function deliveryKey(occurrenceId: string, deviceId: string): string {
  return `${occurrenceId}:${deviceId}`;
}
