/**
 * Receivers' live state for the console: when report intake writes a batch, the changed receivers
 * are read once and each watcher is sent those in its areas, with the last play of those that
 * finished or failed one. It follows the database, not MQTT, so it works the same with the
 * embedded broker and an external one.
 */
import type { Logger } from 'pino';
import type { PlaybackEvent } from '../../protocol/index.js';
import type { PrismaClient } from '../db/database.js';
import type { DeviceRegistry, DeviceView } from './device-registry.js';
import { lastPlays, type LastPlay } from './last-plays.js';

/** A receiver as the live view shows it; `lastPlay` is left out when it did not change. */
export interface LiveDevice extends DeviceView {
  readonly lastPlay?: LastPlay | null;
}

export interface DeviceWatcher {
  /** Area ids whose receivers the watcher may see; null: every area. */
  readonly areas: ReadonlySet<string> | null;
  readonly send: (devices: readonly LiveDevice[]) => void;
}

export class DeviceFeed {
  private readonly watchers = new Set<DeviceWatcher>();
  private changed = new Set<string>();
  private ended = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly devices: DeviceRegistry,
    private readonly logger: Logger,
    /** Changes are gathered this long, so a burst of reports is one read and one message. */
    private readonly throttleMs = 250,
  ) {}

  /** Every receiver in the areas (all without), each with its last play. */
  async snapshot(areas: ReadonlySet<string> | null): Promise<LiveDevice[]> {
    const views = await this.devices.list(areas ?? undefined);
    const plays = await lastPlays(
      this.prisma,
      views.map((device) => device.id),
    );
    return views.map((device) => ({ ...device, lastPlay: plays.get(device.id) ?? null }));
  }

  noteChanged(deviceIds: readonly string[]): void {
    if (this.watchers.size === 0) return;
    for (const id of deviceIds) this.changed.add(id);
    this.schedule();
  }

  /** A stored playback event: a finished or failed play changes the receiver's last play. */
  noteEvent(deviceId: string, event: PlaybackEvent): void {
    if (this.watchers.size === 0 || (event.type !== 'finished' && event.type !== 'failed')) return;
    this.changed.add(deviceId);
    this.ended.add(deviceId);
    this.schedule();
  }

  watch(watcher: DeviceWatcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watchers.clear();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.push(), this.throttleMs);
  }

  private async push(): Promise<void> {
    this.timer = undefined;
    const ids = [...this.changed];
    const ended = [...this.ended];
    this.changed = new Set();
    this.ended = new Set();
    if (ids.length === 0 || this.watchers.size === 0) return;
    try {
      const [views, plays] = await Promise.all([this.devices.list(undefined, ids), lastPlays(this.prisma, ended)]);
      const live: LiveDevice[] = views.map((device) => (plays.has(device.id) ? { ...device, lastPlay: plays.get(device.id) } : device));
      for (const watcher of this.watchers) {
        const visible = watcher.areas ? live.filter((device) => watcher.areas!.has(device.areaId)) : live;
        if (visible.length > 0) watcher.send(visible);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read receivers for the live feed');
    }
  }
}
