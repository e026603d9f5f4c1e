/** A receiver's playback events as the console names and colours them. */
import { describe, expect, it } from 'vitest';
import { eventKind, eventPart, eventsRevision, eventTone } from '../../../server/web/src/lib/receiver-events.js';

describe('receiver events', () => {
  it('tells a play cut off by a stop from one that ran to its end', () => {
    expect(eventKind({ type: 'finished', outcome: 'completed' })).toBe('finished');
    expect(eventKind({ type: 'finished', outcome: 'interrupted' })).toBe('interrupted');
    expect(eventKind({ type: 'finished', outcome: null })).toBe('finished');
  });

  it('keeps the protocol types and files anything newer under other', () => {
    for (const type of ['received', 'downloaded', 'started', 'part', 'failed', 'preempted']) expect(eventKind({ type, outcome: null })).toBe(type);
    expect(eventKind({ type: 'rebooted', outcome: null })).toBe('other');
  });

  it('colours failures red, stops amber, plays green', () => {
    expect(eventTone('failed')).toBe('failed');
    expect(eventTone('interrupted')).toBe('interrupted');
    expect(eventTone('preempted')).toBe('interrupted');
    expect(eventTone('finished')).toBe('played');
    expect(eventTone('other')).toBe('');
  });

  it('reads the part of an emergency only when it is one the console knows', () => {
    expect(eventPart({ part: 'signal' })).toBe('signal');
    expect(eventPart({ part: 'message' })).toBe('message');
    expect(eventPart({ part: 'prelude' })).toBeNull();
    expect(eventPart({ part: null })).toBeNull();
  });

  it('changes revision when what the receiver plays, its last play or its link changes, not its volume', () => {
    const base = { online: true, playing: null, lastPlay: null, volume: 50 };
    const revision = eventsRevision(base);
    const quieter = { ...base, volume: 35 };
    expect(eventsRevision(quieter)).toBe(revision);
    expect(eventsRevision({ ...base, playing: 'b1' })).not.toBe(revision);
    expect(eventsRevision({ ...base, lastPlay: { at: '2026-11-25T07:00:00.000Z' } })).not.toBe(revision);
    expect(eventsRevision({ ...base, online: false })).not.toBe(revision);
  });
});
