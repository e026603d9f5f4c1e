/**
 * The users page's reading of the server's answers: each password rule the server names
 * (server/auth/password-policy.ts) maps to a catalogue message, other messages pass through.
 */
import { describe, expect, it } from 'vitest';
import { passwordProblems } from '../../../server/auth/password-policy.js';
import { ApiError } from '../../../server/web/src/api.js';
import { fieldMessages, isLocked, knownError, needsArea, otherDetails } from '../../../server/web/src/lib/user-form.js';

describe('users form', () => {
  it('knows every problem the password policy reports', () => {
    const problems = [...passwordProblems('aaa', 'aaa'), ...passwordProblems('x'.repeat(129)), ...passwordProblems('matkhau123'), ...passwordProblems('ha-noi-2026-admin-xyz', 'admin')];
    expect(problems.length).toBeGreaterThanOrEqual(5);
    for (const problem of problems) expect(knownError('password', problem), problem).not.toBeNull();
    expect(knownError('password', 'must be at least 10 characters')).toEqual({ key: 'tooShort', min: 10 });
    expect(knownError('password', 'must be at most 128 characters')).toEqual({ key: 'tooLong', max: 128 });
  });

  it('knows the refusals of user-service.ts and auth-service.ts', () => {
    expect(knownError('role', 'this is the last admin: make another user admin first')).toEqual({ key: 'lastAdmin' });
    expect(knownError('id', 'you cannot delete your own account')).toEqual({ key: 'deleteSelf' });
    expect(knownError('username', 'user name "can-bo" is taken')).toEqual({ key: 'taken' });
    expect(knownError('areaId', 'required for the operator role')).toEqual({ key: 'areaRequired' });
    expect(knownError('currentPassword', 'wrong password')).toEqual({ key: 'wrongPassword' });
    expect(knownError('username', 'letters, digits and . _ @ - only')).toEqual({ key: 'usernameFormat' });
    expect(knownError('areaId', 'unknown area')).toBeNull();
  });

  it('collects every message about a field, and leaves the rest for the general notice', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'password: …', [
      { field: 'password', message: 'must be at least 10 characters' },
      { field: 'password', message: 'is too common' },
      { field: 'body', message: 'something else' },
    ]);
    expect(fieldMessages(error, 'password')).toEqual(['must be at least 10 characters', 'is too common']);
    expect(fieldMessages(null, 'password')).toEqual([]);
    expect(otherDetails(error, ['password', 'username'])).toEqual([{ field: 'body', message: 'something else' }]);
  });

  it('sees a lock only while it lasts, and an area required of everyone but an admin', () => {
    const now = Date.parse('2026-11-25T07:00:00Z');
    expect(isLocked({ lockedUntil: null }, now)).toBe(false);
    expect(isLocked({ lockedUntil: '2026-11-25T07:10:00Z' }, now)).toBe(true);
    expect(isLocked({ lockedUntil: '2026-11-25T06:50:00Z' }, now)).toBe(false);
    expect(needsArea('admin')).toBe(false);
    expect(needsArea('viewer')).toBe(true);
  });
});
