/**
 * The receivers: creation (with a one-time token), token rotation and revocation, removal,
 * listing with live state, target resolution, and the in-memory credential directory the embedded
 * broker authenticates against. Whoever holds a session for a device is told (onAccessWithdrawn)
 * the moment its credential stops being valid, here or on another instance (refresh()).
 */
import { notFound } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import { newDeviceId } from '../ids.js';
import { pathIn, type AreaRecord, type AreaService } from '../areas/area-service.js';
import { generateSecretToken, hashSecretToken, mosquittoPasswordHash, verifySecretToken } from '../mqtt/credentials.js';
import type { DeviceAccess } from '../mqtt/device-access-policy.js';
import type { DeviceAuthenticator } from '../mqtt/broker-access-control.js';
import type { MosquittoDevice } from '../mqtt/mosquitto-auth-files.js';
import { recordAvailabilityChanges } from '../reports/availability-history.js';

export interface NewDevice {
  readonly name: string;
  readonly areaId: string;
  readonly lat?: number | undefined;
  readonly lon?: number | undefined;
}

export interface DeviceView {
  readonly id: string;
  readonly name: string;
  readonly areaId: string;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly online: boolean;
  readonly lastSeenAt: Date | null;
  readonly volume: number;
  /** Broadcast on air at the receiver, and its bulletin's title. */
  readonly playing: string | null;
  readonly playingTitle: string | null;
  readonly agentVersion: string | null;
  readonly clockOffsetMs: number | null;
  /** Set while the device's credential is revoked: it cannot connect until its token is rotated. */
  readonly revokedAt: Date | null;
}

export interface DeviceChanges {
  readonly name?: string | undefined;
  readonly areaId?: string | undefined;
}

/** One playback event a receiver reported, as the console lists it. */
export interface DeviceEventView {
  readonly seq: number;
  readonly type: string;
  readonly broadcastId: string;
  readonly bulletinTitle: string | null;
  readonly at: Date;
  /** Why a play failed. */
  readonly reason: string | null;
  /** How a play finished: completed or interrupted. */
  readonly outcome: string | null;
  /** Which part of a play began: signal or message. */
  readonly part: string | null;
}

/** What the config publisher needs to tell a receiver about itself. */
export interface DeviceProfile {
  readonly id: string;
  readonly name: string;
  readonly volume: number;
  readonly areaPath: readonly string[];
}

interface DirectoryEntry {
  readonly tokenHash: string;
  readonly areaId: string;
  readonly areaPath: readonly string[];
  readonly revoked: boolean;
}

interface DirectoryRow {
  readonly id: string;
  readonly tokenHash: string;
  readonly areaId: string;
  readonly revokedAt: Date | null;
  readonly accessChangedAt: Date;
}

export type AccessWithdrawnListener = (deviceId: string) => void;

/**
 * refresh() re-reads rows changed this long before the newest change it has seen: instances' clocks
 * may disagree a little (they stamp the rows), and a slow transaction may commit a change stamped
 * earlier than one already seen. Re-reading is harmless: an unchanged row changes nothing.
 */
const CHANGE_OVERLAP_MS = 2 * 60 * 1000;

const directorySelect = { id: true, tokenHash: true, areaId: true, revokedAt: true, accessChangedAt: true } as const;

const deviceViewSelect = {
  id: true,
  name: true,
  areaId: true,
  lat: true,
  lon: true,
  online: true,
  lastSeenAt: true,
  volume: true,
  playingBroadcast: true,
  agentVersion: true,
  clockOffsetMs: true,
  revokedAt: true,
} as const;

export class DeviceRegistry implements DeviceAuthenticator {
  private directory = new Map<string, DirectoryEntry>();
  /** The newest `accessChangedAt` seen, where refresh() starts looking (less the overlap). */
  private changesSeenUntil = 0;
  private readonly withdrawnListeners: AccessWithdrawnListener[] = [];
  /** Directory reads and credential changes run one at a time, so a read taken before a removal cannot bring the device back. */
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly areas: AreaService,
  ) {}

  /** Called with a device id whenever its credential stops being valid (rotated, revoked, removed). */
  onAccessWithdrawn(listener: AccessWithdrawnListener): void {
    this.withdrawnListeners.push(listener);
  }

  /** Loads every device's credentials and area path into memory. */
  async load(): Promise<void> {
    const [devices, areas] = await Promise.all([this.prisma.device.findMany({ select: directorySelect }), this.areas.all()]);
    this.directory = new Map();
    for (const row of devices) this.remember(row, areas);
  }

  /**
   * Marks offline every receiver the database still shows online. Called when the embedded broker
   * starts: nothing is connected to it yet, and the receivers that were connected to the previous
   * run got no last will (the broker stopped with the server), so their `online` is stale until they
   * reconnect and say so. Returns how many there were.
   */
  async markAllOffline(at: Date = new Date()): Promise<number> {
    const stale = await this.prisma.device.findMany({ where: { online: true }, select: { id: true } });
    if (stale.length === 0) return 0;
    await this.prisma.device.updateMany({ where: { id: { in: stale.map((row) => row.id) } }, data: { online: false } });
    await recordAvailabilityChanges(this.prisma, stale.map((row) => ({ deviceId: row.id, online: false, at })));
    return stale.length;
  }

  /**
   * Catches up with credentials changed by other server instances sharing the database: rotated,
   * revoked, newly registered and removed devices. Cheap when nothing changed: one indexed range
   * query and a count.
   */
  refresh(): Promise<void> {
    return this.exclusive(() => this.catchUp());
  }

  private async catchUp(): Promise<void> {
    const since = new Date(this.changesSeenUntil - CHANGE_OVERLAP_MS);
    const changed = await this.prisma.device.findMany({ where: { accessChangedAt: { gt: since } }, select: directorySelect });
    if (changed.length > 0) {
      const areas = await this.areas.all();
      for (const row of changed) this.apply(row, areas);
    }
    // Every row created or changed since load() is in the directory now, so a smaller table means removals.
    if ((await this.prisma.device.count()) === this.directory.size) return;
    const ids = new Set((await this.prisma.device.findMany({ select: { id: true } })).map((d) => d.id));
    for (const id of [...this.directory.keys()]) if (!ids.has(id)) this.forget(id);
    const missing = [...ids].filter((id) => !this.directory.has(id));
    if (missing.length > 0) await this.loadDevices(missing);
  }

  async create(input: NewDevice): Promise<{ device: DeviceView; token: string }> {
    const areaPath = await this.areas.pathOf(input.areaId);
    if (areaPath.length === 0) throw notFound('area', input.areaId, 'areaId');
    const token = generateSecretToken();
    const tokenHash = hashSecretToken(token);
    const device = await this.prisma.device.create({
      data: {
        id: newDeviceId(),
        name: input.name,
        areaId: input.areaId,
        lat: input.lat ?? null,
        lon: input.lon ?? null,
        tokenHash,
        mosquittoHash: mosquittoPasswordHash(token),
        accessChangedAt: new Date(),
      },
      select: deviceViewSelect,
    });
    this.directory.set(device.id, { tokenHash, areaId: input.areaId, areaPath, revoked: false });
    return { device: toView(device, null), token };
  }

  /** Issues a new token (returned only here) and ends the old one, and a revocation with it. */
  rotateToken(id: string): Promise<{ device: DeviceView; token: string }> {
    return this.exclusive(async () => {
      const token = generateSecretToken();
      const tokenHash = hashSecretToken(token);
      const device = await this.updateAccess(id, { tokenHash, mosquittoHash: mosquittoPasswordHash(token), revokedAt: null });
      return { device, token };
    });
  }

  /** The device can no longer connect, and is cut off if connected, until its token is rotated. */
  revoke(id: string): Promise<DeviceView> {
    return this.exclusive(async () => {
      const current = await this.get(id);
      return this.updateAccess(id, { revokedAt: current.revokedAt ?? new Date() });
    });
  }

  /** Removes the device with its delivery and event history; a connected session is cut off. */
  remove(id: string): Promise<void> {
    return this.exclusive(async () => {
      const { count } = await this.prisma.device.deleteMany({ where: { id } });
      if (count === 0) throw notFound('device', id);
      this.forget(id);
    });
  }

  /**
   * Renames the receiver and/or moves it to another area. A move changes its area path, which is
   * its ACL (the area command topics it may subscribe to): the directory takes it in at once, and
   * other instances through `accessChangedAt` (refresh()).
   */
  update(id: string, changes: DeviceChanges): Promise<DeviceView> {
    return this.exclusive(async () => {
      const current = await this.prisma.device.findUnique({ where: { id }, select: { areaId: true } });
      if (!current) throw notFound('device', id);
      const moving = changes.areaId !== undefined && changes.areaId !== current.areaId;
      if (moving && (await this.areas.pathOf(changes.areaId!)).length === 0) throw notFound('area', changes.areaId!, 'areaId');
      const { count } = await this.prisma.device.updateMany({
        where: { id },
        data: {
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(moving ? { areaId: changes.areaId!, accessChangedAt: new Date() } : {}),
        },
      });
      if (count === 0) throw notFound('device', id);
      if (moving) await this.loadDevices([id]);
      return this.get(id);
    });
  }

  /** Stores the volume the receiver is set to (its retained config carries it); its telemetry reports it back. */
  async setVolume(id: string, volume: number): Promise<DeviceView> {
    const { count } = await this.prisma.device.updateMany({ where: { id }, data: { volume } });
    if (count === 0) throw notFound('device', id);
    return this.get(id);
  }

  /** The receiver's latest playback events, newest first (by its own sequence), with the bulletin title of each broadcast. */
  async recentEvents(id: string, limit: number): Promise<DeviceEventView[]> {
    const rows = await this.prisma.deviceEvent.findMany({
      where: { deviceId: id },
      orderBy: { seq: 'desc' },
      take: limit,
      select: { seq: true, type: true, broadcastId: true, at: true, payload: true },
    });
    const broadcastIds = [...new Set(rows.map((row) => row.broadcastId))];
    const titles = new Map(
      broadcastIds.length === 0
        ? []
        : (
            await this.prisma.broadcast.findMany({ where: { id: { in: broadcastIds } }, select: { id: true, bulletin: { select: { title: true } } } })
          ).map((b) => [b.id, b.bulletin.title]),
    );
    return rows.map((row) => {
      const payload = (row.payload ?? {}) as { reason?: unknown; outcome?: unknown; part?: unknown };
      return {
        seq: row.seq,
        type: row.type,
        broadcastId: row.broadcastId,
        bulletinTitle: titles.get(row.broadcastId) ?? null,
        at: row.at,
        reason: typeof payload.reason === 'string' ? payload.reason : null,
        outcome: typeof payload.outcome === 'string' ? payload.outcome : null,
        part: typeof payload.part === 'string' ? payload.part : null,
      };
    });
  }

  /** Receivers in the given areas (every one without), optionally only the listed ids. */
  async list(areaIds?: ReadonlySet<string>, ids?: readonly string[]): Promise<DeviceView[]> {
    const devices = await this.prisma.device.findMany({
      where: { ...(areaIds ? { areaId: { in: [...areaIds] } } : {}), ...(ids ? { id: { in: [...ids] } } : {}) },
      select: deviceViewSelect,
      orderBy: { name: 'asc' },
    });
    return this.withTitles(devices);
  }

  /** Views with the title of what each plays, read in one query for all of them. */
  private async withTitles(devices: readonly DeviceRow[]): Promise<DeviceView[]> {
    const playing = [...new Set(devices.flatMap((d) => (d.playingBroadcast ? [d.playingBroadcast] : [])))];
    const titles =
      playing.length === 0
        ? new Map<string, string>()
        : new Map(
            (
              await this.prisma.broadcast.findMany({ where: { id: { in: playing } }, select: { id: true, bulletin: { select: { title: true } } } })
            ).map((b) => [b.id, b.bulletin.title]),
          );
    return devices.map((d) => toView(d, d.playingBroadcast ? (titles.get(d.playingBroadcast) ?? null) : null));
  }

  /** Writes a credential change, takes it into the directory and cuts off the sessions the old credential opened. */
  private async updateAccess(id: string, data: { tokenHash?: string; mosquittoHash?: string; revokedAt: Date | null }): Promise<DeviceView> {
    const { count } = await this.prisma.device.updateMany({ where: { id }, data: { ...data, accessChangedAt: new Date() } });
    if (count === 0) throw notFound('device', id);
    await this.loadDevices([id]);
    this.withdrawn(id);
    return this.get(id);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => undefined);
    return run;
  }

  async get(id: string): Promise<DeviceView> {
    const device = await this.prisma.device.findUnique({ where: { id }, select: deviceViewSelect });
    if (!device) throw notFound('device', id);
    const [view] = await this.withTitles([device]);
    return view!;
  }

  async profiles(ids?: readonly string[]): Promise<DeviceProfile[]> {
    const devices = await this.prisma.device.findMany({
      where: ids ? { id: { in: [...ids] } } : {},
      select: { id: true, name: true, volume: true },
    });
    return devices.map((d) => ({ ...d, areaPath: this.directory.get(d.id)?.areaPath ?? [] }));
  }

  /** Devices in the given areas (and below) plus the listed devices; unknown ids are a 404 naming the field. */
  async resolveTargets(
    target: { areaIds?: readonly string[]; deviceIds?: readonly string[] },
    options: { ignoreUnknown?: boolean; areas?: readonly AreaRecord[] } = {},
  ): Promise<string[]> {
    const result = new Set<string>();
    if (target.areaIds && target.areaIds.length > 0) {
      const subtree = await this.areas.subtreeOf(target.areaIds, options);
      const inAreas = await this.prisma.device.findMany({ where: { areaId: { in: [...subtree] } }, select: { id: true } });
      inAreas.forEach((d) => result.add(d.id));
    }
    await this.known(target.deviceIds ?? []);
    for (const [index, id] of (target.deviceIds ?? []).entries()) {
      if (!this.directory.has(id)) {
        // A receiver removed after the broadcast was made is simply no longer in its audience.
        if (options.ignoreUnknown) continue;
        throw notFound('device', id, `target.deviceIds.${index}`);
      }
      result.add(id);
    }
    // Receivers registered through another instance join this one's directory (area paths for quiet hours).
    await this.known([...result]);
    return [...result];
  }

  /** Devices that may connect: a revoked device is left out of the password file and the ACL. */
  async mosquittoDevices(): Promise<MosquittoDevice[]> {
    const devices = await this.prisma.device.findMany({ where: { revokedAt: null }, select: { id: true, mosquittoHash: true } });
    return devices.map((d) => ({ deviceId: d.id, mosquittoHash: d.mosquittoHash, areaPath: this.directory.get(d.id)?.areaPath ?? [] }));
  }

  /**
   * Which ids are registered. Another server instance may have registered a receiver since this
   * one loaded its directory, so ids not in memory are looked up (and remembered).
   */
  async known(deviceIds: readonly string[]): Promise<ReadonlySet<string>> {
    const missing = deviceIds.filter((id) => !this.directory.has(id));
    if (missing.length > 0) await this.exclusive(() => this.loadDevices(missing));
    return new Set(deviceIds.filter((id) => this.directory.has(id)));
  }

  private async loadDevices(ids: readonly string[]): Promise<void> {
    const [devices, areas] = await Promise.all([
      this.prisma.device.findMany({ where: { id: { in: [...ids] } }, select: directorySelect }),
      this.areas.all(),
    ]);
    for (const row of devices) this.remember(row, areas);
  }

  /** Takes in a row read from the database, telling listeners if it ends a credential this directory still honoured. */
  private apply(row: DirectoryRow, areas: readonly AreaRecord[]): void {
    const before = this.directory.get(row.id);
    this.remember(row, areas);
    if (before && !before.revoked && (before.tokenHash !== row.tokenHash || row.revokedAt !== null)) this.withdrawn(row.id);
  }

  private remember(row: DirectoryRow, areas: readonly AreaRecord[]): void {
    this.directory.set(row.id, { tokenHash: row.tokenHash, areaId: row.areaId, areaPath: pathIn(areas, row.areaId), revoked: row.revokedAt !== null });
    this.changesSeenUntil = Math.max(this.changesSeenUntil, row.accessChangedAt.getTime());
  }

  private forget(id: string): void {
    if (this.directory.delete(id)) this.withdrawn(id);
  }

  private withdrawn(id: string): void {
    for (const listener of this.withdrawnListeners) listener(id);
  }

  authenticate(deviceId: string, token: string): DeviceAccess | null {
    const entry = this.directory.get(deviceId);
    if (!entry || entry.revoked || !verifySecretToken(token, entry.tokenHash)) return null;
    return { deviceId, areaPath: entry.areaPath };
  }

  accessOf(deviceId: string): DeviceAccess | null {
    const entry = this.directory.get(deviceId);
    return entry && !entry.revoked ? { deviceId, areaPath: entry.areaPath } : null;
  }

  areaOf(deviceId: string): string | null {
    return this.directory.get(deviceId)?.areaId ?? null;
  }
}

interface DeviceRow {
  id: string;
  name: string;
  areaId: string;
  lat: number | null;
  lon: number | null;
  online: boolean;
  lastSeenAt: Date | null;
  volume: number;
  playingBroadcast: string | null;
  agentVersion: string | null;
  clockOffsetMs: number | null;
  revokedAt: Date | null;
}

function toView(device: DeviceRow, playingTitle: string | null): DeviceView {
  const { playingBroadcast, ...rest } = device;
  return { ...rest, playing: playingBroadcast, playingTitle };
}
