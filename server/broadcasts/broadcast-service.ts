/** Broadcasts: a bulletin aimed at areas and/or receivers at a time, with one delivery per receiver. */
import type { Priority } from '../../protocol/index.js';
import { notFound, validationError } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import type { DeliveryState } from '../db/generated/enums.js';
import { newId } from '../ids.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { BulletinService } from './bulletin-service.js';

/**
 * "Now" means shortly from now: receivers need a moment to download the audio, and a common start
 * time in the future is what lets speakers within earshot start together.
 */
export const IMMEDIATE_START_LEAD_MS = 2_000;

export interface BroadcastTarget {
  readonly areaIds?: readonly string[] | undefined;
  readonly deviceIds?: readonly string[] | undefined;
}

export interface NewBroadcast {
  readonly bulletinId: string;
  readonly target: BroadcastTarget;
  readonly startAt?: Date | undefined;
  readonly priority?: Priority | undefined;
}

export interface DeliveryView {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly state: DeliveryState;
  readonly sentAt: Date | null;
  readonly receivedAt: Date | null;
  readonly downloadedAt: Date | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly error: string | null;
}

export interface BroadcastView {
  readonly id: string;
  readonly bulletinId: string;
  readonly priority: Priority;
  readonly status: string;
  readonly target: BroadcastTarget;
  readonly startAt: Date;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  readonly summary: Partial<Record<DeliveryState, number>>;
  readonly deliveries: DeliveryView[];
}

export class BroadcastService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bulletins: BulletinService,
    private readonly devices: DeviceRegistry,
    private readonly dispatcher: Dispatcher,
    private readonly ttlSeconds: number,
  ) {}

  async create(input: NewBroadcast, createdBy: string | null): Promise<BroadcastView> {
    const bulletin = await this.bulletins.get(input.bulletinId, 'bulletinId');
    const deviceIds = await this.devices.resolveTargets(input.target);
    if (deviceIds.length === 0) {
      throw validationError('the target contains no receivers', [{ field: 'target', message: 'matches no receivers' }]);
    }
    const startAt = input.startAt ?? new Date(Date.now() + IMMEDIATE_START_LEAD_MS);
    const expiresAt = new Date(startAt.getTime() + bulletin.audio.durationMs + this.ttlSeconds * 1_000);
    const priority = input.priority ?? 'normal';
    const id = newId();
    const target = { areaIds: [...(input.target.areaIds ?? [])], deviceIds: [...(input.target.deviceIds ?? [])] };
    await this.prisma.broadcast.create({
      data: {
        id,
        bulletinId: bulletin.id,
        priority,
        target,
        startAt,
        expiresAt,
        createdBy,
        deliveries: { createMany: { data: deviceIds.map((deviceId) => ({ deviceId, commandId: id })) } },
      },
    });
    await this.dispatcher.dispatch({ id, priority, startAt, expiresAt, audio: bulletin.audio }, deviceIds);
    return this.get(id);
  }

  async get(id: string): Promise<BroadcastView> {
    const broadcast = await this.prisma.broadcast.findUnique({
      where: { id },
      include: { deliveries: { include: { device: { select: { name: true } } }, orderBy: { deviceId: 'asc' } } },
    });
    if (!broadcast) throw notFound('broadcast', id);
    const summary: Partial<Record<DeliveryState, number>> = {};
    for (const d of broadcast.deliveries) summary[d.state] = (summary[d.state] ?? 0) + 1;
    return {
      ...toSummaryView(broadcast, summary),
      deliveries: broadcast.deliveries.map((d) => ({
        deviceId: d.deviceId,
        deviceName: d.device.name,
        state: d.state,
        sentAt: d.sentAt,
        receivedAt: d.receivedAt,
        downloadedAt: d.downloadedAt,
        startedAt: d.startedAt,
        finishedAt: d.finishedAt,
        error: d.error,
      })),
    };
  }

  async list(limit = 100): Promise<Omit<BroadcastView, 'deliveries'>[]> {
    const rows = await this.prisma.broadcast.findMany({ orderBy: { startAt: 'desc' }, take: limit });
    const counts = await this.prisma.delivery.groupBy({
      by: ['broadcastId', 'state'],
      where: { broadcastId: { in: rows.map((r) => r.id) } },
      _count: { _all: true },
    });
    return rows.map((row) => {
      const summary: Partial<Record<DeliveryState, number>> = {};
      for (const c of counts) if (c.broadcastId === row.id) summary[c.state] = c._count._all;
      return toSummaryView(row, summary);
    });
  }
}

function toSummaryView(
  row: { id: string; bulletinId: string; priority: Priority; status: string; target: unknown; startAt: Date; expiresAt: Date; createdAt: Date },
  summary: Partial<Record<DeliveryState, number>>,
): Omit<BroadcastView, 'deliveries'> {
  return {
    id: row.id,
    bulletinId: row.bulletinId,
    priority: row.priority,
    status: row.status,
    target: row.target as BroadcastTarget,
    startAt: row.startAt,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    summary,
  };
}
