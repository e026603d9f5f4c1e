/**
 * Sends one airing of an emergency: a delivery per receiver, then ONE publish per target area (each
 * agent subscribes to the command topic of every area above it, so the broker does the fan-out),
 * one per receiver named outside those areas, and a retained manifest only for receivers offline
 * right now, which they read when they reconnect. Follow-ups go to single receivers.
 */
import type { Logger } from 'pino';
import { AREA_COMMAND_FLAGS, DEVICE_CHANNEL_FLAGS, encodePayload, type PlayCommand, type StopCommand, type Topics } from '../../protocol/index.js';
import type { AreaRecord } from '../areas/area-service.js';
import type { PrismaClient } from '../db/database.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { MessageBus } from '../mqtt/message-bus.js';

export interface AiringAudience {
  /** Every receiver the airing is for. */
  readonly deviceIds: readonly string[];
  /** Areas to publish to: none lies below another. */
  readonly areaIds: readonly string[];
  /** Receivers named individually whose area is not among `areaIds` (or below one). */
  readonly directDeviceIds: readonly string[];
}

/** The smallest set of areas covering `areaIds`: an area below another listed one is already reached through it. */
export function topmostAreas(areaIds: readonly string[], areas: readonly AreaRecord[]): string[] {
  const parentOf = new Map(areas.map((area) => [area.id, area.parentId]));
  const listed = new Set(areaIds);
  return [...listed].filter((id) => {
    for (let parent = parentOf.get(id) ?? null; parent !== null; parent = parentOf.get(parent) ?? null) {
      if (listed.has(parent)) return false;
    }
    return true;
  });
}

export class EmergencyFanout {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly dispatcher: Dispatcher,
    private readonly logger: Logger,
  ) {}

  async send(command: PlayCommand, audience: AiringAudience): Promise<{ publishes: number; offline: number }> {
    const now = new Date();
    const started = performance.now();
    // The command goes out first and its deliveries are written after: thousands of rows take longer
    // than the broker's fan-out (and with PGlite the writing holds the server's only thread), and no
    // receiver should wait for them. A report that beats its row waits for it (DeviceReportIntake).
    const payload = encodePayload(command);
    await Promise.all([
      ...audience.areaIds.map((areaId) => this.bus.publish(this.topics.areaCommand(areaId), payload, AREA_COMMAND_FLAGS)),
      ...audience.directDeviceIds.map((deviceId) => this.bus.publish(this.topics.device(deviceId, 'command'), payload, DEVICE_CHANNEL_FLAGS.command)),
    ]);
    const publishedAt = performance.now();
    await this.prisma.delivery.createMany({
      data: audience.deviceIds.map((deviceId) => ({
        occurrenceId: command.commandId,
        broadcastId: command.broadcastId,
        deviceId,
        commandId: command.commandId,
        state: 'sent' as const,
        sentAt: now,
      })),
      skipDuplicates: true,
    });
    const storedAt = performance.now();
    const offline = await this.refreshOfflineManifests(audience.deviceIds);
    this.logger.info(
      {
        broadcastId: command.broadcastId,
        occurrenceId: command.commandId,
        devices: audience.deviceIds.length,
        areas: audience.areaIds.length,
        offline,
        deliveriesMs: Math.round(storedAt - started),
        publishMs: Math.round(publishedAt - started),
      },
      'emergency airing sent',
    );
    return { publishes: audience.areaIds.length + audience.directDeviceIds.length, offline };
  }

  /** The same command again to receivers that have not started it: an agent ignores a command id it already has. */
  async resend(command: PlayCommand, deviceIds: readonly string[]): Promise<void> {
    const payload = encodePayload({ ...command, issuedAt: Date.now() });
    await Promise.all(deviceIds.map((deviceId) => this.bus.publish(this.topics.device(deviceId, 'command'), payload, DEVICE_CHANNEL_FLAGS.command)));
  }

  /** Stops the broadcast on every receiver of the audience, then drops it from offline receivers' manifests. */
  async stop(broadcastId: string, audience: AiringAudience): Promise<void> {
    const now = Date.now();
    const stop: StopCommand = { type: 'stop', commandId: `stop-${broadcastId}-${now}`, broadcastId, issuedAt: now };
    const payload = encodePayload(stop);
    await Promise.all([
      ...audience.areaIds.map((areaId) => this.bus.publish(this.topics.areaCommand(areaId), payload, AREA_COMMAND_FLAGS)),
      ...audience.directDeviceIds.map((deviceId) => this.bus.publish(this.topics.device(deviceId, 'command'), payload, DEVICE_CHANNEL_FLAGS.command)),
    ]);
    await this.refreshOfflineManifests(audience.deviceIds);
  }

  /** At an emergency's end, receivers that never got it read `missed` (offline) at once, not at the next sweep. */
  settleExpired(broadcastId: string, now: Date): Promise<void> {
    return this.dispatcher.sweepExpired(now, broadcastId);
  }

  /** Receivers online now heard the area publish; the others read their retained manifest when they return. */
  private async refreshOfflineManifests(deviceIds: readonly string[]): Promise<number> {
    const offline = await this.prisma.device.findMany({ where: { id: { in: [...deviceIds] }, online: false }, select: { id: true } });
    await this.dispatcher.publishManifests(offline.map((device) => device.id));
    return offline.length;
  }
}
