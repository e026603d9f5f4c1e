import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncedClock, estimateOffset, httpTimeFetcher, localClock, monotonicNow, type TimeFetcher } from '../../../device-agent/clock.js';
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
    expect(server.requests()).toBe(8);
    expect(clock.samples).toBe(8);
    // NTP bound: the true offset lies within ±RTT/2 of the estimate (+1 ms for the server's integer ms).
    const error = Math.abs(clock.offsetMs - 12_345);
    expect(error).toBeLessThanOrEqual(clock.rttMs! / 2 + 1);
    expect(error).toBeLessThan(10);
    expect(Math.abs(clock.now() - (monotonicNow() + 12_345))).toBeLessThanOrEqual(error + 1);
  });

  it('takes the median of the promptest samples: one delayed reply does not move it', async () => {
    // Reply 2 is held 60 ms after the server read its clock: alone it would be ~30 ms off.
    const server = await timeServer(-3_000, (n) => (n === 2 ? 60 : 0));
    cleanups.push(server.close);
    const clock = new SyncedClock({ fetchTime: httpTimeFetcher, logger: silentLogger, serverUrl: server.url });
    cleanups.push(() => clock.stop());
    clock.start();
    await clock.resync();
    expect(server.requests()).toBe(8);
    expect(clock.samples).toBe(8);
    expect(clock.rttMs!).toBeLessThan(40); // the delayed sample was not among those used
    const error = Math.abs(clock.offsetMs + 3_000);
    expect(error).toBeLessThanOrEqual(clock.rttMs! / 2 + 1);
    expect(error).toBeLessThan(10);
  });

  it('estimates from the best 4 of 8 by round trip, by their median, so one lopsided sample among them is outvoted', () => {
    const samples = [
      { offsetMs: 60, rttMs: 40 },
      { offsetMs: 100, rttMs: 4 },
      { offsetMs: 130, rttMs: 3 }, // promptest, but lopsided: the minimum-RTT rule would take it whole
      { offsetMs: 70, rttMs: 45 },
      { offsetMs: 99, rttMs: 4 },
      { offsetMs: 55, rttMs: 50 },
      { offsetMs: 101, rttMs: 5 },
      { offsetMs: 65, rttMs: 60 },
    ];
    // Kept: 130, 100, 99, 101 → median (100 + 101) / 2; a mean would give 107.5.
    expect(estimateOffset(samples)).toEqual({ offsetMs: 100.5, rttMs: 5, samples: 8, used: 4 });
    expect(estimateOffset(samples, 3)).toEqual({ offsetMs: 100, rttMs: 4, samples: 8, used: 3 });
    expect(estimateOffset([{ offsetMs: 7, rttMs: 9 }])).toEqual({ offsetMs: 7, rttMs: 9, samples: 1, used: 1 });
    expect(estimateOffset([])).toBeNull();
  });

  it('uses the median of the kept samples in a sync, with a scripted clock and network', async () => {
    // The server runs 1 000 ms ahead; each sample takes `rtt` ms, its reply read `skew` ms off the midpoint.
    const script = [
      { rtt: 2, skew: 0 },
      { rtt: 2, skew: 1 },
      { rtt: 1, skew: 0.5 }, // error +0.5
      { rtt: 30, skew: 15 },
      { rtt: 2, skew: -1 },
      { rtt: 25, skew: -12 },
      { rtt: 1, skew: 40 }, // impossible for a symmetric path, e.g. a server that read its clock late
      { rtt: 20, skew: 10 },
    ];
    let local = 5_000;
    let n = 0;
    const fetchTime: TimeFetcher = async () => {
      const { rtt, skew } = script[n++]!;
      const midpoint = local + rtt / 2;
      local += rtt;
      return midpoint + 1_000 + skew;
    };
    const clock = new SyncedClock({ fetchTime, logger: silentLogger, serverUrl: 'http://x', localNow: () => local });
    cleanups.push(() => clock.stop());
    clock.start();
    await clock.resync();
    // Kept: the two rtt-1 samples (errors 0.5, 40) and the first two rtt-2 ones (0, 1) → median (0.5 + 1) / 2.
    expect(clock.offsetMs).toBe(1_000.75);
    expect(clock.rttMs).toBe(2);
    expect(clock.samples).toBe(8);
  });

  it('simulates a skewed local clock that clock sync then corrects', async () => {
    const skewed = localClock(400);
    expect(skewed() - monotonicNow()).toBeGreaterThanOrEqual(399);
    expect(skewed() - monotonicNow()).toBeLessThan(402);
    expect(localClock(0)).toBe(monotonicNow);
    const clock = new SyncedClock({ fetchTime: async () => monotonicNow(), logger: silentLogger, serverUrl: 'http://x', localNow: skewed });
    cleanups.push(() => clock.stop());
    expect(clock.now() - monotonicNow()).toBeGreaterThanOrEqual(399); // unsynced: reads the wrong local time
    clock.start();
    await clock.resync();
    expect(Math.abs(clock.offsetMs + 400)).toBeLessThan(2);
    expect(Math.abs(clock.now() - monotonicNow())).toBeLessThan(2);
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
