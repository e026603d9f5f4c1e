/**
 * The receivers: creation (with a one-time token), listing with live state, target resolution,
 * and the in-memory credential directory the embedded broker authenticates against.
 */
import { notFound } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import { newDeviceId } from '../ids.js';
import { pathIn, type AreaRecord, type AreaService } from '../areas/area-service.js';
import { generateDeviceToken, hashDeviceToken, mosquittoPasswordHash, verifyDeviceToken } from '../mqtt/credentials.js';
import type { DeviceAccess } from '../mqtt/device-access-policy.js';
import type { DeviceAuthenticator } from '../mqtt/embedded-broker.js';
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
  readonly areaPath: readonly string[];
}

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
} as const;

export class DeviceRegistry implements DeviceAuthenticator {
  private directory = new Map<string, DirectoryEntry>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly areas: AreaService,
  ) {}

  /** Loads every device's credentials and area path into memory. */
  async load(): Promise<void> {
    const [devices, areas] = await Promise.all([
      this.prisma.device.findMany({ select: { id: true, tokenHash: true, areaId: true } }),
      this.areas.all(),
    ]);
    this.directory = new Map(devices.map((d) => [d.id, { tokenHash: d.tokenHash, areaPath: pathIn(areas, d.areaId) }]));
  }

  async create(input: NewDevice): Promise<{ device: DeviceView; token: string }> {
    const areaPath = await this.areas.pathOf(input.areaId);
    if (areaPath.length === 0) throw notFound('area', input.areaId, 'areaId');
    const token = generateDeviceToken();
    const tokenHash = hashDeviceToken(token);
    const device = await this.prisma.device.create({
      data: {
        id: newDeviceId(),
        name: input.name,
        areaId: input.areaId,
        lat: input.lat ?? null,
        lon: input.lon ?? null,
        tokenHash,
        mosquittoHash: mosquittoPasswordHash(token),
      },
      select: deviceViewSelect,
    });
    this.directory.set(device.id, { tokenHash, areaPath });
    return { device: toView(device), token };
  }

  async list(areaIds?: ReadonlySet<string>): Promise<DeviceView[]> {
    const devices = await this.prisma.device.findMany({
      where: areaIds ? { areaId: { in: [...areaIds] } } : {},
      select: deviceViewSelect,
      orderBy: { name: 'asc' },
    });
    return devices.map(toView);
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

  async mosquittoDevices(): Promise<MosquittoDevice[]> {
    const devices = await this.prisma.device.findMany({ select: { id: true, mosquittoHash: true } });
    return devices.map((d) => ({ deviceId: d.id, mosquittoHash: d.mosquittoHash, areaPath: this.directory.get(d.id)?.areaPath ?? [] }));
  }

  /**
   * Which ids are registered. Another server instance may have registered a receiver since this
   * one loaded its directory, so ids not in memory are looked up (and remembered).
   */
  async known(deviceIds: readonly string[]): Promise<ReadonlySet<string>> {
    const missing = deviceIds.filter((id) => !this.directory.has(id));
    if (missing.length > 0) await this.loadDevices(missing);
    return new Set(deviceIds.filter((id) => this.directory.has(id)));
  }

  private async loadDevices(ids: readonly string[]): Promise<void> {
    const [devices, areas] = await Promise.all([
      this.prisma.device.findMany({ where: { id: { in: [...ids] } }, select: { id: true, tokenHash: true, areaId: true } }),
      this.areas.all(),
    ]);
    for (const d of devices) this.directory.set(d.id, { tokenHash: d.tokenHash, areaPath: pathIn(areas, d.areaId) });
  }

  authenticate(deviceId: string, token: string): DeviceAccess | null {
    const entry = this.directory.get(deviceId);
    if (!entry || !verifyDeviceToken(token, entry.tokenHash)) return null;
    return { deviceId, areaPath: entry.areaPath };
  }

  accessOf(deviceId: string): DeviceAccess | null {
    const entry = this.directory.get(deviceId);
    return entry ? { deviceId, areaPath: entry.areaPath } : null;
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
}): DeviceView {
  const { playingBroadcast, ...rest } = device;
  return { ...rest, playing: playingBroadcast };
}
