/**
 * The receivers the live feed has told about, merged by id: the first message lists them all,
 * later ones only those that changed (without `lastPlay` when that did not change).
 */
import type { Device, LastPlay } from '../types.js';

export interface LiveDevice extends Device {
  readonly lastPlay?: LastPlay | null;
}

export function mergeDevices(
  current: ReadonlyMap<string, LiveDevice>,
  update: readonly LiveDevice[],
  replace: boolean,
): Map<string, LiveDevice> {
  const next = new Map(replace ? [] : current);
  for (const device of update) next.set(device.id, { ...current.get(device.id), ...device });
  return next;
}

export type LiveState = 'playing' | 'online' | 'offline' | 'revoked';

export function liveState(device: Device): LiveState {
  if (device.revokedAt) return 'revoked';
  if (!device.online) return 'offline';
  return device.playing ? 'playing' : 'online';
}

export interface AreaCounts {
  readonly total: number;
  readonly online: number;
  readonly playing: number;
}

export function countDevices(devices: Iterable<Device>): AreaCounts {
  let total = 0;
  let online = 0;
  let playing = 0;
  for (const device of devices) {
    total++;
    if (device.online) online++;
    if (device.online && device.playing) playing++;
  }
  return { total, online, playing };
}

/** What is on air now: each broadcast with the receivers playing it, most receivers first. */
export function onAir(devices: Iterable<Device>): { broadcastId: string; title: string | null; count: number }[] {
  const byBroadcast = new Map<string, { broadcastId: string; title: string | null; count: number }>();
  for (const device of devices) {
    if (!device.online || !device.playing) continue;
    const entry = byBroadcast.get(device.playing) ?? { broadcastId: device.playing, title: device.playingTitle, count: 0 };
    entry.count++;
    byBroadcast.set(device.playing, entry);
  }
  return [...byBroadcast.values()].sort((a, b) => b.count - a.count);
}
