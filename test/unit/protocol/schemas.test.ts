import { describe, expect, it } from 'vitest';
import { commandSchema, decodePayload, encodePayload, playbackEventSchema, telemetrySchema } from '../../../protocol/index.js';

const sha = 'a'.repeat(64);
const play = {
  type: 'play',
  commandId: 'b-1',
  broadcastId: 'b-1',
  priority: 'normal',
  audio: { url: 'http://server/audio/x.mp3', sha256: sha, bytes: 1000, durationMs: 5000, mime: 'audio/mpeg' },
  startAt: 1_800_000_000_000,
  expiresAt: 1_800_000_600_000,
  issuedAt: 1_799_999_990_000,
};

describe('payload schemas', () => {
  it('round-trips a play command', () => {
    const decoded = decodePayload(commandSchema, encodePayload(play));
    expect(decoded).toEqual({ ok: true, value: play });
  });

  it('names the failing field of an invalid command', () => {
    const decoded = decodePayload(commandSchema, encodePayload({ ...play, audio: { ...play.audio, sha256: 'XYZ' } }));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(/audio\.sha256/);
  });

  it('rejects invalid JSON without throwing', () => {
    expect(decodePayload(commandSchema, Buffer.from('{not json'))).toEqual({ ok: false, error: 'payload is not valid JSON' });
  });

  it('rejects an unknown command type and priority', () => {
    expect(decodePayload(commandSchema, encodePayload({ ...play, type: 'reboot' })).ok).toBe(false);
    expect(decodePayload(commandSchema, encodePayload({ ...play, priority: 'urgent' })).ok).toBe(false);
  });

  it('validates each playback event type with its own fields', () => {
    const base = { seq: 1, broadcastId: 'b-1', commandId: 'b-1', at: 1 };
    expect(playbackEventSchema.safeParse({ ...base, type: 'finished', sha256: sha, outcome: 'completed' }).success).toBe(true);
    expect(playbackEventSchema.safeParse({ ...base, type: 'finished', sha256: sha }).success).toBe(false);
    expect(playbackEventSchema.safeParse({ ...base, type: 'failed', reason: '' }).success).toBe(false);
    expect(playbackEventSchema.safeParse({ ...base, seq: -1, type: 'received' }).success).toBe(false);
  });

  it('bounds telemetry values', () => {
    const telemetry = {
      at: 1,
      volume: 70,
      uptimeSeconds: 5,
      agentVersion: '0.1.0',
      cacheBytes: 0,
      cacheFiles: 0,
      clockOffsetMs: -3.5,
      playing: null,
      outboxPending: 0,
    };
    expect(telemetrySchema.safeParse(telemetry).success).toBe(true);
    expect(telemetrySchema.safeParse({ ...telemetry, volume: 101 }).success).toBe(false);
  });
});
