import { describe, expect, it } from 'vitest';
import type { PlaybackEvent } from '../../../protocol/index.js';
import { applyEvent } from '../../../server/devices/delivery-state.js';

const base = { seq: 1, broadcastId: 'b', commandId: 'b', at: 1_000 };
const sha = 'f'.repeat(64);

describe('delivery state', () => {
  it('moves forward through the playback events', () => {
    const events: PlaybackEvent[] = [
      { ...base, type: 'received' },
      { ...base, type: 'downloaded', sha256: sha, fromCache: false },
      { ...base, type: 'started', sha256: sha },
      { ...base, type: 'finished', sha256: sha, outcome: 'completed' },
    ];
    let state: Parameters<typeof applyEvent>[0]['state'] = 'sent';
    const seen: string[] = [];
    for (const event of events) {
      state = applyEvent({ state }, event).state;
      seen.push(state);
    }
    expect(seen).toEqual(['received', 'downloaded', 'playing', 'played']);
  });

  it('never moves backwards when an old event is replayed late', () => {
    const result = applyEvent({ state: 'played' }, { ...base, type: 'received' });
    expect(result.state).toBe('played');
    expect(result.patch.state).toBeUndefined();
  });

  it('keeps the time of a late start without changing the state', () => {
    const result = applyEvent({ state: 'played' }, { ...base, at: 5_000, type: 'started', sha256: sha });
    expect(result.patch).toEqual({ startedAt: new Date(5_000) });
  });

  it('maps failures: expired, other reasons, interruption and preemption', () => {
    expect(applyEvent({ state: 'downloaded' }, { ...base, type: 'failed', reason: 'expired' }).state).toBe('expired');
    expect(applyEvent({ state: 'received' }, { ...base, type: 'failed', reason: 'sha256 mismatch' })).toMatchObject({
      state: 'failed',
      patch: { error: 'sha256 mismatch' },
    });
    expect(applyEvent({ state: 'playing' }, { ...base, type: 'finished', sha256: sha, outcome: 'interrupted' }).state).toBe('failed');
    const preempted = applyEvent({ state: 'playing' }, { ...base, type: 'preempted', byBroadcastId: 'e' });
    expect(preempted.state).toBe('preempted');
    expect(applyEvent({ state: 'preempted' }, { ...base, type: 'finished', sha256: sha, outcome: 'interrupted' }).state).toBe('preempted');
  });

  it('lets a preempted play restart and finish as played (the agent replays it after the interruption)', () => {
    const restarted = applyEvent({ state: 'preempted' }, { ...base, type: 'started', sha256: sha });
    expect(restarted.state).toBe('playing');
    expect(applyEvent({ state: restarted.state }, { ...base, type: 'finished', sha256: sha, outcome: 'completed' }).state).toBe('played');
  });

  it('ends a play the agent dropped after a cancellation as cancelled, not failed', () => {
    expect(applyEvent({ state: 'downloaded' }, { ...base, type: 'failed', reason: 'cancelled' })).toMatchObject({
      state: 'cancelled',
      patch: { error: 'cancelled' },
    });
    expect(applyEvent({ state: 'cancelled' }, { ...base, type: 'started', sha256: sha }).state).toBe('cancelled');
  });
});
