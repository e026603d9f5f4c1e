/**
 * The areas a user may see and target: the subtree under the user's own area (a district user's
 * scope holds its communes and hamlets), or everything for an admin. Objects outside the scope
 * are reported as not found when read, so a commune cannot learn what another commune holds, and
 * as forbidden when targeted.
 */
import { forbidden } from '../errors.js';

export class AccessScope {
  private constructor(
    /** null: every area. */
    private readonly areaIds: ReadonlySet<string> | null,
    /** The user's own area (the top of the scope), null for an unrestricted scope. */
    readonly rootAreaId: string | null,
    /** Areas above the root: what they send reaches the user's area, so it is visible (not targetable). */
    private readonly ancestorIds: ReadonlySet<string>,
  ) {}

  static everything(): AccessScope {
    return new AccessScope(null, null, new Set());
  }

  /** `pathToRoot`: ids from the top of the tree down to `rootAreaId` inclusive. */
  static subtree(rootAreaId: string, areaIds: Iterable<string>, pathToRoot: readonly string[]): AccessScope {
    return new AccessScope(new Set(areaIds), rootAreaId, new Set(pathToRoot.filter((id) => id !== rootAreaId)));
  }

  get unrestricted(): boolean {
    return this.areaIds === null;
  }

  /** The area ids in scope, or null when every area is. */
  get areas(): ReadonlySet<string> | null {
    return this.areaIds;
  }

  includesArea(areaId: string | null | undefined): boolean {
    if (this.areaIds === null) return true;
    return areaId !== null && areaId !== undefined && this.areaIds.has(areaId);
  }

  /** Something aimed at this area concerns the user: it is in scope, or above it and so reaches it. */
  concernsArea(areaId: string | null | undefined): boolean {
    return this.includesArea(areaId) || (areaId !== null && areaId !== undefined && this.ancestorIds.has(areaId));
  }

  /** Areas whose content the user may read: the scope and the areas above it (null: all). */
  get visibleAreas(): ReadonlySet<string> | null {
    return this.areaIds === null ? null : new Set([...this.areaIds, ...this.ancestorIds]);
  }

  /** Throws 403 naming the first area outside the scope. */
  requireAreas(areaIds: readonly string[], field: string): void {
    areaIds.forEach((areaId, index) => {
      if (!this.includesArea(areaId)) throw outOfScope(`${field}.${index}`, `area "${areaId}"`);
    });
  }
}

export const outOfScope = (field: string, what: string) =>
  forbidden(`${what} is outside your area`, [{ field, message: 'outside your area' }]);
