/**
 * Content flowing down the administrative tree (Circular 39/2020/TT-BTTTT): what a province or
 * district sends reaches its communes, each of which decides for itself. Pure functions over one
 * read of the area tree.
 */
import type { AreaRecord } from '../areas/area-service.js';

export interface TargetInTree {
  readonly areaIds: readonly string[];
  /** Each targeted receiver with its area. */
  readonly devices: readonly { readonly id: string; readonly areaId: string }[];
}

export interface CommuneShare {
  readonly communeId: string;
  /** The part of the target inside this commune: the commune itself where the target was above it. */
  readonly areaIds: string[];
  readonly deviceIds: string[];
}

/** Levels that send content down rather than play it directly. */
export const SENDING_LEVELS = new Set(['province', 'district']);

export function communeOf(areaId: string, byId: ReadonlyMap<string, AreaRecord>): string | null {
  let current = byId.get(areaId);
  while (current) {
    if (current.kind === 'commune') return current.id;
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return null;
}

/** Splits a target into one share per commune it reaches. */
export function splitByCommune(target: TargetInTree, areas: readonly AreaRecord[]): CommuneShare[] {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const shares = new Map<string, { areaIds: Set<string>; deviceIds: Set<string> }>();
  const shareOf = (communeId: string) => {
    let share = shares.get(communeId);
    if (!share) shares.set(communeId, (share = { areaIds: new Set(), deviceIds: new Set() }));
    return share;
  };
  const childrenOf = new Map<string, AreaRecord[]>();
  for (const area of areas) if (area.parentId) childrenOf.set(area.parentId, [...(childrenOf.get(area.parentId) ?? []), area]);
  const communesBelow = (areaId: string): string[] => {
    const found: string[] = [];
    const stack = [areaId];
    while (stack.length > 0) {
      for (const child of childrenOf.get(stack.pop()!) ?? []) {
        if (child.kind === 'commune') found.push(child.id);
        else stack.push(child.id);
      }
    }
    return found;
  };
  for (const areaId of target.areaIds) {
    const commune = communeOf(areaId, byId);
    if (commune) shareOf(commune).areaIds.add(areaId);
    else for (const below of communesBelow(areaId)) shareOf(below).areaIds.add(below);
  }
  for (const device of target.devices) {
    const commune = communeOf(device.areaId, byId);
    if (commune) shareOf(commune).deviceIds.add(device.id);
  }
  return [...shares].map(([communeId, share]) => ({
    communeId,
    // The whole commune makes naming its hamlets redundant.
    areaIds: share.areaIds.has(communeId) ? [communeId] : [...share.areaIds],
    deviceIds: [...share.deviceIds],
  }));
}
