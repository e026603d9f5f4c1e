import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncedClock, bestSample, httpTimeFetcher, monotonicNow } from '../../../device-agent/clock.js';
import { PreciseTimers } from '../../../device-agent/precise-timer.js';
import { silentLogger } from './helpers.js';

/** A time server whose clock runs `offsetMs` ahead of ours; `delayFor(n)` delays the n-th answer after reading the clock. */
async function timeServer(offsetMs: number, delayFor: (n: number) => number = () => 0) {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/api/time') {
      res.writeHead(404).end();
      return;
    }
    const now = Math.round(monotonicNow() + offsetMs);
    const delay = delayFor(requests++);
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ now })), delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('server clock', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('reads zero offset until synced, then estimates the server offset within a few ms', async () => {
    const server = await timeServer(12_345);
    cleanups.push(server.close);
    const clock = new SyncedClock({ fetchTime: httpTimeFetcher, logger: silentLogger });
    cleanups.push(() => clock.stop());
    expect(clock.offsetMs).toBe(0);
    expect(clock.synced).toBe(false);
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);

    clock.setServerUrl(server.url);
    clock.start();
    await clock.resync();
    expect(clock.synced).toBe(true);
    expect(server.requests()).toBeGreaterThanOrEqual(5);
    // NTP bound: the true offset lies within ±RTT/2 of the estimate (+1 ms for the server's integer ms).
    const error = Math.abs(clock.offsetMs - 12_345);
    expect(error).toBeLessThanOrEqual(clock.rttMs! / 2 + 1);
    expect(error).toBeLessThan(10);
    expect(Math.abs(clock.now() - (monotonicNow() + 12_345))).toBeLessThanOrEqual(error + 1);
  });

  it('keeps the minimum-round-trip sample, so slow asymmetric answers do not skew it', async () => {
    // Answers 0-3 are held 40 ms after the server read its clock (error 20 ms each); answer 4 is prompt.
    const server = await timeServer(-3_000, (n) => (n % 5 === 4 ? 0 : 40));
    cleanups.push(server.close);
    const clock = new SyncedClock({ fetchTime: httpTimeFetcher, logger: silentLogger, serverUrl: server.url, samples: 5 });
    cleanups.push(() => clock.stop());
    clock.start();
    await clock.resync();
    expect(clock.rttMs).not.toBeNull();
    expect(clock.rttMs!).toBeLessThan(30); // not one of the 40 ms answers
    const error = Math.abs(clock.offsetMs + 3_000);
    expect(error).toBeLessThanOrEqual(clock.rttMs! / 2 + 1);
    expect(error).toBeLessThan(10); // a 40 ms sample would be ~20 ms off
  });

  it('keeps the previous offset when the server cannot be reached', async () => {
    let offset = 500;
    const clock = new SyncedClock({
      fetchTime: async () => {
        if (offset < 0) throw new Error('ECONNREFUSED');
        return monotonicNow() + offset;
      },
      logger: silentLogger,
      serverUrl: 'http://server.invalid',
    });
    cleanups.push(() => clock.stop());
    clock.start();
    await clock.resync();
    expect(Math.abs(clock.offsetMs - 500)).toBeLessThan(2);
    offset = -1;
    await expect(clock.resync()).resolves.toBeUndefined();
    expect(Math.abs(clock.offsetMs - 500)).toBeLessThan(2);
  });

  it('picks the best sample by round trip', () => {
    expect(bestSample([])).toBeNull();
    expect(bestSample([{ offsetMs: 10, rttMs: 9 }, { offsetMs: 3, rttMs: 2 }, { offsetMs: 5, rttMs: 2 }])).toEqual({ offsetMs: 3, rttMs: 2 });
  });

  it('fires precise timers on the server clock, not before the target and within a few ms after', async () => {
    const clock = new SyncedClock({ fetchTime: async () => monotonicNow() + 60_000, logger: silentLogger, serverUrl: 'http://x' });
    cleanups.push(() => clock.stop());
    clock.start();
    await clock.resync();
    const timers = new PreciseTimers(clock);
    const targets = [120, 80, 200].map((ms) => clock.now() + ms);
    const fired = await Promise.all(targets.map((at) => new Promise<number>((resolve) => timers.at(at, () => resolve(clock.now())))));
    fired.forEach((firedAt, i) => {
      expect(firedAt).toBeGreaterThanOrEqual(targets[i]!);
      // Typically < 1 ms; the bound leaves room for a loaded CI machine and is still the product's 20 ms budget.
      expect(firedAt - targets[i]!).toBeLessThan(20);
    });
    const cancelled = timers.at(clock.now() + 20, () => {
      throw new Error('cancelled timer fired');
    });
    cancelled();
    await new Promise((resolve) => setTimeout(resolve, 60));
  });
});
