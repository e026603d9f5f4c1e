import { beforeEach, describe, expect, it } from 'vitest';
import type { Playback, PlayOptions, Player } from '../../../device-agent/player/player.js';
import { PartUnavailableError, sequencePlayback, type SequenceStep } from '../../../device-agent/player/sequence-playback.js';
import { FakePlayer, ManualTime, deferred, sha } from './helpers.js';

describe('sequencePlayback', () => {
  let time: ManualTime;
  let player: FakePlayer;
  let starts: [string, number][];
  let volume: number;

  beforeEach(() => {
    time = new ManualTime();
    player = new FakePlayer(time);
    starts = [];
    volume = 50;
  });

  const part = (name: string, durationMs: number, file: () => string | Promise<string> = () => `/cache/${name}`): SequenceStep => ({
    kind: 'part',
    file,
    durationMs,
    sha256: sha(name),
    onStart: (at) => starts.push([name, at]),
  });
  const gap = (ms: number): SequenceStep => ({ kind: 'gap', ms });
  const run = (steps: SequenceStep[], with_: { player?: Player } = {}) =>
    sequencePlayback(steps, { player: with_.player ?? player, clock: time, timers: time, broadcastId: 'b1', volume: () => volume });
  const outcomeOf = (playback: Playback) => {
    const result: { value?: string; error?: Error } = {};
    playback.done.then(
      (value) => (result.value = value),
      (error: Error) => (result.error = error),
    );
    return result;
  };

  it('plays parts back to back from each end, waits out gaps on the timers, and completes after the last', async () => {
    const t0 = time.now();
    const outcome = outcomeOf(run([part('1', 3_000), part('2', 10_000), gap(2_000), part('2', 10_000)]));
    expect(starts).toEqual([['1', t0]]); // the first part starts in the call
    await time.advance(3_000);
    expect(starts).toEqual([['1', t0], ['2', t0 + 3_000]]);
    await time.advance(11_999);
    expect(starts).toHaveLength(2);
    await time.advance(1);
    expect(starts.at(-1)).toEqual(['2', t0 + 15_000]);
    await time.advance(9_999);
    expect(outcome.value).toBeUndefined();
    await time.advance(1);
    expect(outcome.value).toBe('completed');
    expect(player.plays.map((p) => [p.sha256, p.startedAt - t0, p.endedAt! - t0])).toEqual([
      [sha('1'), 0, 3_000],
      [sha('2'), 3_000, 13_000],
      [sha('2'), 15_000, 25_000],
    ]);
  });

  it('waits for a file still downloading and starts it the moment it is ready', async () => {
    const t0 = time.now();
    const file = deferred<string>();
    const outcome = outcomeOf(run([part('1', 1_000), part('2', 1_000, () => file.promise)]));
    await time.advance(2_500);
    expect(starts).toEqual([['1', t0]]);
    file.resolve('/cache/2');
    await time.advance(0);
    expect(starts).toEqual([['1', t0], ['2', t0 + 2_500]]);
    expect(player.plays[1]).toMatchObject({ file: '/cache/2' });
    await time.advance(1_000);
    expect(outcome.value).toBe('completed');
  });

  it('reads the volume as each part starts', async () => {
    run([part('1', 1_000), part('2', 1_000)]);
    volume = 90;
    await time.advance(1_000);
    expect(player.plays.map((p) => p.volume)).toEqual([50, 90]);
  });

  it('stop during a gap ends it interrupted at once, with no further part', async () => {
    const playback = run([part('1', 1_000), gap(5_000), part('1', 1_000)]);
    const outcome = outcomeOf(playback);
    await time.advance(2_000);
    playback.stop();
    await time.advance(0);
    expect(outcome.value).toBe('interrupted');
    await time.advance(20_000);
    expect(player.plays).toHaveLength(1);
  });

  it('stop while waiting for a download ends it interrupted at once; the file arriving later plays nothing', async () => {
    const file = deferred<string>();
    const playback = run([part('1', 1_000), part('2', 1_000, () => file.promise)]);
    const outcome = outcomeOf(playback);
    await time.advance(1_500);
    playback.stop();
    await time.advance(0);
    expect(outcome.value).toBe('interrupted');
    file.resolve('/cache/2');
    await time.advance(5_000);
    expect(player.plays).toHaveLength(1);
  });

  it('stop during a part ends it when that part has wound down', async () => {
    const slow = new FakePlayer(time, 500);
    const playback = run([part('1', 10_000), part('2', 1_000)], { player: slow });
    const outcome = outcomeOf(playback);
    await time.advance(1_000);
    playback.stop();
    playback.stop();
    await time.advance(499);
    expect(outcome.value).toBeUndefined();
    await time.advance(1);
    expect(outcome.value).toBe('interrupted');
    expect(slow.plays.map((p) => p.outcome)).toEqual(['interrupted']);
  });

  it('a file that cannot be had rejects with PartUnavailableError carrying the reason', async () => {
    const file = deferred<string>();
    const outcome = outcomeOf(run([part('1', 1_000), part('2', 1_000, () => file.promise)]));
    file.promise.catch(() => {}); // the sequence looks only when it reaches the part, as the timeline's own promise allows
    file.reject(new Error('download failed: HTTP 404 (3 attempts)'));
    await time.advance(999);
    expect(outcome.error).toBeUndefined(); // the first part plays out
    await time.advance(1);
    expect(outcome.error).toBeInstanceOf(PartUnavailableError);
    expect(outcome.error?.message).toBe('download failed: HTTP 404 (3 attempts)');
    expect(starts.map(([name]) => name)).toEqual(['1']);
  });

  it('throws a player error on the first part to the caller, and rejects with one on a later part', async () => {
    let calls = 0;
    const flaky: Player = {
      name: 'flaky',
      formats: ['mp3'],
      play: (file: string, options: PlayOptions) => {
        if (++calls !== 2) return player.play(file, options);
        throw new Error('no sound card');
      },
    };
    const failing: Player = { ...flaky, play: () => { throw new Error('no sound card'); } };
    expect(() => run([part('1', 1_000)], { player: failing })).toThrow('no sound card');
    expect(starts).toEqual([]);

    const outcome = outcomeOf(run([part('1', 1_000), part('2', 1_000)], { player: flaky }));
    await time.advance(1_000);
    expect(outcome.error?.message).toBe('no sound card');
    expect(outcome.error).not.toBeInstanceOf(PartUnavailableError);
  });
});
