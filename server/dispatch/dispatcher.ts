/**
 * Sends broadcasts to receivers: a QoS 1 play command on each device's command topic (queued by
 * the broker for a receiver that is briefly offline) and a refreshed retained schedule manifest,
 * so a receiver that reconnects later, or loses its link, still has its programme.
 */
import type { Logger } from 'pino';
import { DEVICE_CHANNEL_FLAGS, encodePayload, type PlayCommand, type ScheduleManifest, type Topics } from '../../protocol/index.js';
import type { PrismaClient } from '../db/database.js';
import type { MessageBus } from '../mqtt/message-bus.js';
import { buildPlayCommand, type DispatchableBroadcast } from './play-command-builder.js';
import type { PublicUrl } from '../public-url.js';

const ACTIVE_STATES = ['pending', 'sent', 'received', 'downloaded', 'playing'] as const;

export class Dispatcher {
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly serverUrl: PublicUrl,
    private readonly logger: Logger,
  ) {}

  start(sweepIntervalMs = 15_000): void {
    this.sweepTimer = setInterval(() => void this.sweepExpired().catch((error: unknown) => {
      this.logger.error({ err: error }, 'expiry sweep failed');
    }), sweepIntervalMs);
  }

  stop(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  async dispatch(broadcast: DispatchableBroadcast, deviceIds: readonly string[]): Promise<void> {
    const command = buildPlayCommand(broadcast, this.serverUrl.value, Date.now());
    const payload = encodePayload(command);
    await Promise.all(
      deviceIds.map((deviceId) => this.bus.publish(this.topics.device(deviceId, 'command'), payload, DEVICE_CHANNEL_FLAGS.command)),
    );
    const now = new Date();
    await this.prisma.delivery.updateMany({
      where: { broadcastId: broadcast.id, state: 'pending' },
      data: { state: 'sent', sentAt: now, updatedAt: now },
    });
    await this.prisma.broadcast.update({ where: { id: broadcast.id }, data: { status: 'dispatched', dispatchedAt: now } });
    await this.publishManifests(deviceIds);
    this.logger.info({ broadcastId: broadcast.id, devices: deviceIds.length }, 'broadcast dispatched');
  }

  /** Re-publishes each device's retained manifest of plays that have not ended yet. */
  async publishManifests(deviceIds?: readonly string[]): Promise<void> {
    const now = new Date();
    const deliveries = await this.prisma.delivery.findMany({
      where: {
        ...(deviceIds ? { deviceId: { in: [...deviceIds] } } : {}),
        state: { in: [...ACTIVE_STATES] },
        broadcast: { expiresAt: { gt: now }, status: { not: 'cancelled' } },
      },
      select: {
        deviceId: true,
        broadcast: {
          select: {
            id: true,
            priority: true,
            startAt: true,
            expiresAt: true,
            bulletin: { select: { audio: { select: { sha256: true, bytes: true, durationMs: true, mime: true } } } },
          },
        },
      },
    });
    const plays = new Map<string, PlayCommand[]>();
    for (const id of deviceIds ?? []) plays.set(id, []);
    for (const { deviceId, broadcast } of deliveries) {
      const command = buildPlayCommand({ ...broadcast, audio: broadcast.bulletin.audio }, this.serverUrl.value, now.getTime());
      plays.set(deviceId, [...(plays.get(deviceId) ?? []), command]);
    }
    await Promise.all(
      [...plays.entries()].map(([deviceId, list]) => {
        const manifest: ScheduleManifest = {
          deviceId,
          version: now.getTime(),
          plays: list.sort((a, b) => a.startAt - b.startAt),
        };
        return this.bus.publish(this.topics.device(deviceId, 'schedule'), encodePayload(manifest), DEVICE_CHANNEL_FLAGS.schedule);
      }),
    );
  }

  /** Every delivery ends in a state an official can read: never reached → missed, reached but not played → expired. */
  async sweepExpired(now = new Date()): Promise<void> {
    const expired = { broadcast: { expiresAt: { lt: now } } };
    await this.prisma.delivery.updateMany({
      where: { ...expired, state: { in: ['pending', 'sent'] } },
      data: { state: 'missed', error: 'receiver did not acknowledge before expiry (offline?)', updatedAt: now },
    });
    await this.prisma.delivery.updateMany({
      where: { ...expired, state: { in: ['received', 'downloaded'] } },
      data: { state: 'expired', error: 'not played before expiry', updatedAt: now },
    });
  }
}
