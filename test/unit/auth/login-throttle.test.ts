import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../server/auth/login-throttle.js';

describe('login throttle', () => {
  it('makes an address wait after too many failures, until the window slides past them', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
      throttle.recordFailure('10.0.0.1');
      now += 1_000;
    }
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(57);
    expect(throttle.retryAfterSeconds('10.0.0.2')).toBe(0);
    now += 57_000;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('forgets an address after a successful sign-in', () => {
    const throttle = new LoginThrottle({ maxFailures: 2, windowMs: 60_000 });
    throttle.recordFailure('a');
    throttle.recordFailure('a');
    expect(throttle.retryAfterSeconds('a')).toBeGreaterThan(0);
    throttle.recordSuccess('a');
    expect(throttle.retryAfterSeconds('a')).toBe(0);
  });
});
