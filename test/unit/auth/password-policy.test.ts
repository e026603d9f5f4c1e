import { describe, expect, it } from 'vitest';
import { passwordProblems } from '../../../server/auth/password-policy.js';

describe('password policy', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblems('loa-truyen-thanh-xa-van-son', 'canbo')).toEqual([]);
  });

  it('names every problem of a weak password', () => {
    expect(passwordProblems('short')).toContain('must be at least 10 characters');
    expect(passwordProblems('aaaaaaaaaaaa')).toContain('must not repeat the same few characters');
    expect(passwordProblems('Password123')).toContain('is too common');
    expect(passwordProblems('nguyenvan-an-2026', 'nguyenvan')).toContain('must not contain the user name');
    expect(passwordProblems('x'.repeat(129))).toContain('must be at most 128 characters');
  });
});
