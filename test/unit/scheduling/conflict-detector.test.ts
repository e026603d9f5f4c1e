import { describe, expect, it } from 'vitest';
import { findConflicts, type PlannedPlay } from '../../../server/scheduling/conflict-detector.js';
import type { Priority } from '../../../protocol/index.js';

const T0 = Date.parse('2026-11-25T00:00:00Z');
const play = (key: string, priority: Priority, fromMin: number, toMin: number, deviceIds: string[], broadcastId = `b-${key}`): PlannedPlay => ({
  key,
  broadcastId,
  priority,
  startAt: new Date(T0 + fromMin * 60_000),
  endAt: new Date(T0 + toMin * 60_000),
  deviceIds,
});

describe('findConflicts', () => {
  it('equal priorities overlapping on shared devices: overlap on both sides', () => {
    const result = findConflicts([play('a', 'normal', 0, 10, ['d1', 'd2', 'd3']), play('b', 'normal', 5, 15, ['d2', 'd3', 'd4'])]);
    expect(result.get('a')).toEqual([{ kind: 'overlap', withKey: 'b', withBroadcastId: 'b-b', deviceCount: 2 }]);
    expect(result.get('b')).toEqual([{ kind: 'overlap', withKey: 'a', withBroadcastId: 'b-a', deviceCount: 2 }]);
  });

  it('a higher priority preempts; the lower one is preempted-by, whichever starts first', () => {
    const result = findConflicts([play('alert', 'emergency', 5, 8, ['d1']), play('news', 'normal', 0, 10, ['d1', 'd2'])]);
    expect(result.get('alert')).toEqual([{ kind: 'preempts', withKey: 'news', withBroadcastId: 'b-news', deviceCount: 1 }]);
    expect(result.get('news')).toEqual([{ kind: 'preempted-by', withKey: 'alert', withBroadcastId: 'b-alert', deviceCount: 1 }]);
  });

  it('no conflict when devices are disjoint or the plays only touch', () => {
    const result = findConflicts([
      play('a', 'normal', 0, 10, ['d1', 'd2']),
      play('b', 'high', 2, 8, ['d3']),
      play('c', 'normal', 10, 20, ['d1']),
      play('d', 'low', 20, 25, ['d1']),
    ]);
    expect([...result.entries()]).toEqual([
      ['a', []],
      ['b', []],
      ['c', []],
      ['d', []],
    ]);
  });

  it('a play that starts inside a long one conflicts even after shorter ones ended', () => {
    const result = findConflicts([play('long', 'low', 0, 60, ['d1']), play('short', 'low', 1, 2, ['d9']), play('late', 'high', 50, 55, ['d1'])]);
    expect(result.get('long')).toEqual([{ kind: 'preempted-by', withKey: 'late', withBroadcastId: 'b-late', deviceCount: 1 }]);
    expect(result.get('short')).toEqual([]);
  });

  it('counts distinct shared devices and rejects duplicate keys', () => {
    const result = findConflicts([play('a', 'normal', 0, 10, ['d1', 'd1', 'd2']), play('b', 'normal', 0, 10, ['d1', 'd2', 'd2', 'd3'])]);
    expect(result.get('a')?.[0]?.deviceCount).toBe(2);
    expect(() => findConflicts([play('a', 'normal', 0, 1, ['d1']), play('a', 'normal', 0, 1, ['d1'])])).toThrow(/duplicate/);
  });

  it('plays of one broadcast sharing a deviceIds array count their distinct devices', () => {
    const target = ['d1', 'd2', 'd2', 'd3'];
    const result = findConflicts([play('a', 'normal', 0, 10, target, 'b1'), play('b', 'normal', 5, 15, target, 'b1')]);
    expect(result.get('b')).toEqual([{ kind: 'overlap', withKey: 'a', withBroadcastId: 'b1', deviceCount: 3 }]);
  });

  it('zero-length plays conflict with nothing', () => {
    const result = findConflicts([play('a', 'normal', 0, 10, ['d1']), play('z', 'high', 5, 5, ['d1'])]);
    expect(result.get('a')).toEqual([]);
    expect(result.get('z')).toEqual([]);
  });

  it('matches a brute-force check on random plays, and stays fast at thousands of plays × hundreds of devices', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const priorities: Priority[] = ['low', 'normal', 'high', 'emergency'];
    const devices = Array.from({ length: 2000 }, (_, i) => `d${i}`);
    const make = (n: number, deviceCount: number) =>
      Array.from({ length: n }, (_, i) => {
        const start = Math.floor(random() * 24 * 60);
        const first = Math.floor(random() * (devices.length - deviceCount));
        return play(`p${i}`, priorities[Math.floor(random() * 4)] ?? 'normal', start, start + 1 + Math.floor(random() * 10), devices.slice(first, first + deviceCount));
      });

    // Short lists (intersected through Sets) and long ones (intersected as bitsets).
    for (const sample of [make(300, 50), make(150, 400)]) {
      const result = findConflicts(sample);
      for (const a of sample) {
        const expected = sample
          .filter((b) => b !== a && a.startAt < b.endAt && b.startAt < a.endAt && b.deviceIds.some((d) => a.deviceIds.includes(d)))
          .map((b) => `${b.key}:${b.deviceIds.filter((d) => a.deviceIds.includes(d)).length}`)
          .sort();
        expect(
          result
            .get(a.key)
            ?.map((c) => `${c.withKey}:${c.deviceCount}`)
            .sort(),
        ).toEqual(expected);
      }
    }

    const large = make(5000, 300);
    const started = performance.now();
    const big = findConflicts(large);
    const elapsed = performance.now() - started;
    expect(big.size).toBe(5000);
    expect([...big.values()].some((list) => list.length > 0)).toBe(true);
    expect(elapsed).toBeLessThan(5_000);
  });
});
