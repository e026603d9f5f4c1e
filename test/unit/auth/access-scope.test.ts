import { describe, expect, it } from 'vitest';
import { AccessScope } from '../../../server/auth/access-scope.js';
import { GRANTS, isRouteAccess, roleMay, USER_ROLES } from '../../../server/auth/permissions.js';
import { AppError } from '../../../server/errors.js';

describe('AccessScope', () => {
  // district D → communes A (hamlet a1), B
  const communeA = AccessScope.subtree('A', ['A', 'a1'], ['P', 'D', 'A']);

  it('includes the subtree, sees the path above it, and nothing beside it', () => {
    expect(communeA.includesArea('a1')).toBe(true);
    expect(communeA.includesArea('D')).toBe(false);
    expect(communeA.concernsArea('D')).toBe(true);
    expect(communeA.concernsArea('B')).toBe(false);
    expect(communeA.includesArea(null)).toBe(false);
    expect([...(communeA.visibleAreas ?? [])].sort()).toEqual(['A', 'D', 'P', 'a1']);
  });

  it('refuses a target outside the scope, naming the field', () => {
    expect(() => communeA.requireAreas(['a1'], 'target.areaIds')).not.toThrow();
    try {
      communeA.requireAreas(['a1', 'B'], 'target.areaIds');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ statusCode: 403, details: [{ field: 'target.areaIds.1' }] });
    }
  });

  it('an unrestricted scope includes everything, even content with no area', () => {
    const everything = AccessScope.everything();
    expect(everything.unrestricted).toBe(true);
    expect(everything.includesArea('anything')).toBe(true);
    expect(everything.includesArea(null)).toBe(true);
    expect(everything.visibleAreas).toBeNull();
  });
});

describe('permissions', () => {
  it('gives admins every permission and viewers only reads', () => {
    const permissions = Object.keys(GRANTS) as (keyof typeof GRANTS)[];
    for (const permission of permissions) {
      expect(roleMay('admin', permission)).toBe(true);
      if (roleMay('viewer', permission)) expect(permission).toMatch(/:read$/);
    }
    expect(permissions.filter((p) => roleMay('viewer', p)).sort()).toEqual(['areas:read', 'broadcasts:read', 'bulletins:read', 'devices:read']);
  });

  it('recognises only declared route access values', () => {
    expect(isRouteAccess('public')).toBe(true);
    expect(isRouteAccess('broadcasts:approve')).toBe(true);
    expect(isRouteAccess('broadcasts:delete')).toBe(false);
    expect(isRouteAccess('toString')).toBe(false);
    expect(isRouteAccess(undefined)).toBe(false);
    expect(USER_ROLES).toEqual(['admin', 'approver', 'operator', 'viewer']);
  });
});
