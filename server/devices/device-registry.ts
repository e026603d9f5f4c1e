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
  readonly playing: string | null;
  readonly agentVersion: string | null;
  readonly clockOffsetMs: number | null;
  /** Set while the device's credential is revoked: it cannot connect until its token is rotated. */
  readonly revokedAt: Date | null;
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
    return { device: toView(device), token };
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

  async list(areaIds?: ReadonlySet<string>): Promise<DeviceView[]> {
    const devices = await this.prisma.device.findMany({
      where: areaIds ? { areaId: { in: [...areaIds] } } : {},
      select: deviceViewSelect,
      orderBy: { name: 'asc' },
    });
    return devices.map(toView);
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
    return toView(device);
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

function toView(device: {
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
}): DeviceView {
  const { playingBroadcast, ...rest } = device;
  return { ...rest, playing: playingBroadcast };
}
