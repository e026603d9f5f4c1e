/**
 * Sends occurrences to receivers: a QoS 1 play command on each device's command topic (queued by
 * the broker for a receiver that is briefly offline) and a refreshed retained schedule manifest,
 * so a receiver that reconnects later, or loses its link, still has its programme, and one whose
 * occurrence was cancelled while it was away learns it before startAt.
 */
import type { Logger } from 'pino';
import {
  DEVICE_CHANNEL_FLAGS,
  encodePayload,
  type PlayCommand,
  type ScheduleManifest,
  type StopCommand,
  type Topics,
} from '../../protocol/index.js';
import type { PrismaClient } from '../db/database.js';
import type { DeliveryState } from '../db/generated/enums.js';
import type { MessageBus } from '../mqtt/message-bus.js';
import type { PublicUrl } from '../public-url.js';
import { buildPlayCommand, type PlayOptions } from './play-command-builder.js';

export const ACTIVE_DELIVERY_STATES = ['pending', 'sent', 'received', 'downloaded', 'playing'] as const satisfies readonly DeliveryState[];

/** Who gets an occurrence: the resolved receivers, and those whose quiet hours block it (with why). */
export interface OccurrenceAudience {
  resolve(
    target: { areaIds?: readonly string[]; deviceIds?: readonly string[] },
    window: { startAt: Date; endAt: Date; priority: string },
  ): Promise<{ deviceIds: string[]; blocked: { deviceId: string; reason: string }[] }>;
}

const audioSelect = { select: { sha256: true, bytes: true, durationMs: true, mime: true } } as const;

export class Dispatcher {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly serverUrl: PublicUrl,
    private readonly audience: OccurrenceAudience,
    private readonly logger: Logger,
  ) {}

  /** Creates the deliveries of an occurrence the caller has claimed, and sends it. */
  async dispatchOccurrence(occurrenceId: string): Promise<{ devices: number; blocked: number }> {
    const occurrence = await this.prisma.occurrence.findUniqueOrThrow({
      where: { id: occurrenceId },
      include: { broadcast: { include: { bulletin: { select: { audio: audioSelect } } } } },
    });
    const { broadcast } = occurrence;
    const audio = occurrence.bulletinId
      ? (await this.prisma.bulletin.findUniqueOrThrow({ where: { id: occurrence.bulletinId }, select: { audio: audioSelect } })).audio
      : broadcast.bulletin.audio;
    const endAt = new Date(occurrence.startAt.getTime() + audio.durationMs);
    const { deviceIds, blocked } = await this.audience.resolve(broadcast.target as { areaIds?: string[]; deviceIds?: string[] }, {
      startAt: occurrence.startAt,
      endAt,
      priority: broadcast.priority,
    });
    const now = new Date();
    await this.prisma.delivery.createMany({
      data: [
        ...deviceIds.map((deviceId) => ({
          occurrenceId,
          broadcastId: broadcast.id,
          deviceId,
          commandId: occurrenceId,
          state: 'sent' as const,
          sentAt: now,
        })),
        ...blocked.map(({ deviceId, reason }) => ({
          occurrenceId,
          broadcastId: broadcast.id,
          deviceId,
          commandId: occurrenceId,
          state: 'failed' as const,
          error: reason,
        })),
      ],
      skipDuplicates: true,
    });
    const command = buildPlayCommand(
      { id: occurrenceId, broadcastId: broadcast.id, priority: broadcast.priority, startAt: occurrence.startAt, expiresAt: occurrence.expiresAt, audio },
      this.serverUrl.value,
      now.getTime(),
    );
    const payload = encodePayload(command);
    await Promise.all(
      deviceIds.map((deviceId) => this.bus.publish(this.topics.device(deviceId, 'command'), payload, DEVICE_CHANNEL_FLAGS.command)),
    );
    await this.publishManifests(deviceIds);
    this.logger.info(
      { broadcastId: broadcast.id, occurrenceId, startAt: occurrence.startAt, devices: deviceIds.length, blocked: blocked.length },
      'occurrence dispatched',
    );
    return { devices: deviceIds.length, blocked: blocked.length };
  }

  /** An occurrence that was never sent still gets a delivery per receiver, saying why. */
  async recordMissed(occurrenceId: string, reason: string): Promise<void> {
    const occurrence = await this.prisma.occurrence.findUniqueOrThrow({
      where: { id: occurrenceId },
      include: { broadcast: { select: { id: true, target: true, priority: true } } },
    });
    const { deviceIds, blocked } = await this.audience.resolve(occurrence.broadcast.target as { areaIds?: string[]; deviceIds?: string[] }, {
      startAt: occurrence.startAt,
      endAt: occurrence.expiresAt,
      priority: occurrence.broadcast.priority,
    });
    await this.prisma.delivery.createMany({
      data: [...deviceIds, ...blocked.map((b) => b.deviceId)].map((deviceId) => ({
        occurrenceId,
        broadcastId: occurrence.broadcast.id,
        deviceId,
        commandId: occurrenceId,
        state: 'missed' as const,
        error: reason,
      })),
      skipDuplicates: true,
    });
  }

  /**
   * Cancels what is still to come of these occurrences: deliveries end `cancelled` and receivers get
   * a manifest without them, which is authoritative for pending plays and reaches a receiver that is
   * offline right now. With `stopOnAir`, receivers also get a stop for the broadcast, which cuts a
   * play of it that is on air.
   */
  async cancelOccurrences(occurrenceIds: readonly string[], reason: string, { stopOnAir = false } = {}): Promise<void> {
    if (occurrenceIds.length === 0) return;
    const affected = await this.prisma.delivery.findMany({
      where: { occurrenceId: { in: [...occurrenceIds] }, state: { in: [...ACTIVE_DELIVERY_STATES] } },
      select: { deviceId: true, broadcastId: true },
    });
    const now = new Date();
    await this.prisma.delivery.updateMany({
      where: { occurrenceId: { in: [...occurrenceIds] }, state: { in: [...ACTIVE_DELIVERY_STATES] } },
      data: { state: 'cancelled', error: reason, updatedAt: now },
    });
    await this.prisma.occurrence.updateMany({
      where: { id: { in: [...occurrenceIds] }, state: { in: ['planned', 'dispatched'] } },
      data: { state: 'cancelled', note: reason },
    });
    const deviceIds = [...new Set(affected.map((d) => d.deviceId))];
    await this.publishManifests(deviceIds);
    if (!stopOnAir) return;
    await Promise.all(
      [...new Map(affected.map((d) => [`${d.deviceId}:${d.broadcastId}`, d])).values()].map(({ deviceId, broadcastId }) => {
        const stop: StopCommand = { type: 'stop', commandId: `stop-${broadcastId}-${now.getTime()}`, broadcastId, issuedAt: now.getTime() };
        return this.bus.publish(this.topics.device(deviceId, 'command'), encodePayload(stop), DEVICE_CHANNEL_FLAGS.command);
      }),
    );
  }

  /** Re-publishes each device's retained manifest of plays that have not ended or expired. */
  async publishManifests(deviceIds?: readonly string[]): Promise<void> {
    if (deviceIds && deviceIds.length === 0) return;
    const now = new Date();
    const deliveries = await this.prisma.delivery.findMany({
      where: {
        ...(deviceIds ? { deviceId: { in: [...deviceIds] } } : {}),
        state: { in: [...ACTIVE_DELIVERY_STATES] },
        occurrence: { expiresAt: { gt: now }, state: 'dispatched' },
      },
      select: {
        deviceId: true,
        occurrence: {
          select: {
            id: true,
            startAt: true,
            expiresAt: true,
            bulletinId: true,
            playOptions: true,
            broadcast: { select: { id: true, priority: true, bulletin: { select: { audio: audioSelect } } } },
          },
        },
      },
    });
    const overrides = await this.overrideAudio(deliveries.map((d) => d.occurrence.bulletinId));
    const plays = new Map<string, PlayCommand[]>();
    for (const id of deviceIds ?? []) plays.set(id, []);
    for (const { deviceId, occurrence } of deliveries) {
      const audio = (occurrence.bulletinId && overrides.get(occurrence.bulletinId)) || occurrence.broadcast.bulletin.audio;
      const command = buildPlayCommand(
        {
          id: occurrence.id,
          broadcastId: occurrence.broadcast.id,
          priority: occurrence.broadcast.priority,
          startAt: occurrence.startAt,
          expiresAt: occurrence.expiresAt,
          audio,
          playOptions: occurrence.playOptions as PlayOptions | null,
        },
        this.serverUrl.value,
        now.getTime(),
      );
      plays.set(deviceId, [...(plays.get(deviceId) ?? []), command]);
    }
    await Promise.all(
      [...plays.entries()].map(([deviceId, list]) => {
        const manifest: ScheduleManifest = { deviceId, version: now.getTime(), plays: list.sort((a, b) => a.startAt - b.startAt) };
        return this.bus.publish(this.topics.device(deviceId, 'schedule'), encodePayload(manifest), DEVICE_CHANNEL_FLAGS.schedule);
      }),
    );
  }

  /** Every delivery ends in a state an official can read: never reached → missed, reached but not played → expired. */
  async sweepExpired(now = new Date(), broadcastId?: string): Promise<void> {
    const expired = { occurrence: { expiresAt: { lte: now } }, ...(broadcastId ? { broadcastId } : {}) };
    await this.prisma.delivery.updateMany({
      where: { ...expired, state: { in: ['pending', 'sent'] } },
      data: { state: 'missed', error: 'receiver did not acknowledge before expiry (offline?)', updatedAt: now },
    });
    await this.prisma.delivery.updateMany({
      where: { ...expired, state: { in: ['received', 'downloaded'] } },
      data: { state: 'expired', error: 'not played before expiry', updatedAt: now },
    });
  }

  private async overrideAudio(bulletinIds: readonly (string | null)[]) {
    const ids = [...new Set(bulletinIds.filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map<string, { sha256: string; bytes: number; durationMs: number; mime: string }>();
    const rows = await this.prisma.bulletin.findMany({ where: { id: { in: ids } }, select: { id: true, audio: audioSelect } });
    return new Map(rows.map((row) => [row.id, row.audio]));
  }
}
