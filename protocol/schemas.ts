/**
 * Zod schema for every MQTT payload. Field names are camelCase; times are epoch
 * milliseconds on the server clock. aedes speaks MQTT 3.1.1 only, so ids, expiry
 * and correlation live in the payload rather than in MQTT 5 properties.
 */
import { z } from 'zod';

export const PRIORITIES = ['low', 'normal', 'high', 'emergency'] as const;
export const prioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof prioritySchema>;

/** Higher number wins when two plays overlap. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = Object.freeze({ low: 0, normal: 1, high: 2, emergency: 3 });

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * False for text PostgreSQL cannot store (text and jsonb are UTF-8 without NUL): a NUL character or
 * an unpaired UTF-16 surrogate. JSON carries both, so a report with them would pass its schema and
 * then fail the write of its whole batch.
 */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

const storableText = (schema: z.ZodString) => schema.refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');

/** ECMAScript's largest time value (ECMA-262 §21.4.1.1): beyond it `new Date()` is invalid. */
const MAX_EPOCH_MS = 8.64e15;
/** The server stores `seq` as a 32-bit integer; at one event a second that lasts 68 years. */
const MAX_SEQ = 2 ** 31 - 1;

const id = storableText(z.string().min(1).max(64));
const epochMs = z.number().int().nonnegative().max(MAX_EPOCH_MS);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256');

export const availabilitySchema = z.object({
  state: z.enum(['online', 'offline']),
});
export type Availability = z.infer<typeof availabilitySchema>;

export const serverStateSchema = z.object({
  state: z.enum(['online', 'offline', 'stopping']),
});
export type ServerState = z.infer<typeof serverStateSchema>;

export const audioRefSchema = z.object({
  url: z.string().url(),
  sha256: sha256Hex,
  bytes: z.number().int().positive(),
  durationMs: z.number().int().positive(),
  mime: z.enum(['audio/mpeg', 'audio/ogg', 'audio/wav']),
});
export type AudioRef = z.infer<typeof audioRefSchema>;

/** Sounds an attention signal is made of (server/audio/tones/signal-sounds.ts). */
export const SIGNAL_SOUNDS = ['siren', 'chime', 'three-tone'] as const;

/**
 * An attention signal: `blasts` sounds of `blastMs`, `gapMs` apart (storm: 3 × 20 s blasts 10 s
 * apart). The server renders each named signal once; agents keep the files cached from first start.
 */
/** An attention signal precedes a message; longer than this it only delays the warning (and takes long to render). */
export const SIGNAL_MAX_MS = 5 * 60_000;

export const signalPatternSchema = z
  .object({
    sound: z.enum(SIGNAL_SOUNDS),
    blasts: z.number().int().min(1).max(10),
    blastMs: z.number().int().min(500).max(60_000),
    gapMs: z.number().int().min(0).max(60_000),
  })
  .refine((pattern) => pattern.blasts * pattern.blastMs + (pattern.blasts - 1) * pattern.gapMs <= SIGNAL_MAX_MS, {
    message: `blasts and gaps together may last at most ${SIGNAL_MAX_MS / 60_000} minutes`,
    path: ['blasts'],
  });
export type SignalPattern = z.infer<typeof signalPatternSchema>;

/** A named, rendered signal: in the device config (to cache) and in an emergency play (to play first). */
export const signalRefSchema = z.object({
  name: id,
  audio: audioRefSchema,
});
export type SignalRef = z.infer<typeof signalRefSchema>;

export const playCommandSchema = z.object({
  type: z.literal('play'),
  commandId: id,
  broadcastId: id,
  priority: prioritySchema,
  audio: audioRefSchema,
  startAt: epochMs,
  expiresAt: epochMs,
  /** Sent time on the server clock, so an agent can tell how stale a command is. */
  issuedAt: epochMs,
  /**
   * Played first, from the agent's cache, while `audio` downloads; `audio` follows it without a
   * gap once it is ready (sound first in an emergency).
   */
  signal: signalRefSchema.optional(),
  /** `audio` plays `count` times, `gapMs` apart, as one play: nothing lower starts in the gaps. */
  repeat: z
    .object({
      count: z.number().int().min(1).max(20),
      gapMs: z.number().int().min(0).max(600_000),
    })
    .optional(),
});
export type PlayCommand = z.infer<typeof playCommandSchema>;

export const stopCommandSchema = z.object({
  type: z.literal('stop'),
  commandId: id,
  /** Stops this broadcast only; without it, whatever is playing stops. */
  broadcastId: id.optional(),
  issuedAt: epochMs,
});
export type StopCommand = z.infer<typeof stopCommandSchema>;

export const volumeCommandSchema = z.object({
  type: z.literal('volume'),
  commandId: id,
  volume: z.number().int().min(0).max(100),
  issuedAt: epochMs,
});
export type VolumeCommand = z.infer<typeof volumeCommandSchema>;

export const commandSchema = z.discriminatedUnion('type', [playCommandSchema, stopCommandSchema, volumeCommandSchema]);
export type Command = z.infer<typeof commandSchema>;

export const deviceConfigSchema = z.object({
  deviceId: id,
  name: z.string(),
  /** Area ids from the root down to the device's own area; the agent subscribes to each one's command topic. */
  areaPath: z.array(id).min(1),
  volume: z.number().int().min(0).max(100),
  timezone: z.string().min(1),
  heartbeatSeconds: z.number().int().min(5).max(3600),
  /** Base URL of the server's HTTP API, used for clock sync. */
  serverUrl: z.string().url(),
  /** Config revision; an agent ignores an older one. */
  revision: epochMs,
  /** Volume for emergency plays (the area's setting); the normal volume applies again afterwards. */
  emergencyVolume: z.number().int().min(0).max(100).optional(),
  /** Attention signals to download now and keep, so an emergency starts with sound before its message arrives. */
  signals: z.array(signalRefSchema).max(32).optional(),
});
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;

/** Retained list of a device's upcoming plays, so a receiver that reconnects or loses its link converges. */
export const scheduleManifestSchema = z.object({
  deviceId: id,
  version: epochMs,
  plays: z.array(playCommandSchema),
});
export type ScheduleManifest = z.infer<typeof scheduleManifestSchema>;

export const PLAYBACK_EVENT_TYPES = ['received', 'downloaded', 'started', 'finished', 'failed', 'preempted', 'part'] as const;
export type PlaybackEventType = (typeof PLAYBACK_EVENT_TYPES)[number];

const eventBase = {
  /** Per-device, monotonically increasing; the server drops duplicates from an outbox replay by (deviceId, seq). */
  seq: z.number().int().nonnegative().max(MAX_SEQ),
  broadcastId: id,
  commandId: id,
  /** When it happened, on the server clock. */
  at: epochMs,
};

export const playbackEventSchema = z.discriminatedUnion('type', [
  z.object({ ...eventBase, type: z.literal('received') }),
  z.object({ ...eventBase, type: z.literal('downloaded'), sha256: sha256Hex, fromCache: z.boolean() }),
  z.object({ ...eventBase, type: z.literal('started'), sha256: sha256Hex }),
  z.object({ ...eventBase, type: z.literal('finished'), sha256: sha256Hex, outcome: z.enum(['completed', 'interrupted']) }),
  z.object({ ...eventBase, type: z.literal('failed'), reason: storableText(z.string().min(1).max(500)) }),
  z.object({ ...eventBase, type: z.literal('preempted'), byBroadcastId: id.optional() }),
  /**
   * A part of a play began: its attention signal, or the message (index counts the repeats from 0).
   * `started` marks the first part; these tell the signal from the message on the emergency board.
   */
  z.object({ ...eventBase, type: z.literal('part'), part: z.enum(['signal', 'message']), index: z.number().int().nonnegative().max(100) }),
]);
export type PlaybackEvent = z.infer<typeof playbackEventSchema>;

export const telemetrySchema = z.object({
  at: epochMs,
  volume: z.number().int().min(0).max(100),
  uptimeSeconds: z.number().nonnegative(),
  agentVersion: storableText(z.string()),
  cacheBytes: z.number().int().nonnegative(),
  cacheFiles: z.number().int().nonnegative(),
  clockOffsetMs: z.number(),
  /** Broadcast currently on air at this receiver, if any. */
  playing: id.nullable(),
  /** Events waiting in the outbox (non-zero after an outage). */
  outboxPending: z.number().int().nonnegative(),
  formats: z.array(z.enum(['mp3', 'opus', 'wav'])).optional(),
});
export type Telemetry = z.infer<typeof telemetrySchema>;

/**
 * Largest report a device may publish (availability, event, telemetry). The biggest real one, a
 * telemetry message, is well under 1 KiB; the limit keeps a hostile one from costing a large parse.
 */
export const MAX_DEVICE_REPORT_BYTES = 64 * 1024;

export interface DecodeOptions {
  /** Refuse a larger payload before parsing it. */
  readonly maxBytes?: number;
}

/** Parses a raw MQTT payload as JSON and validates it; returns a tagged result rather than throwing. */
export function decodePayload<S extends z.ZodType>(
  schema: S,
  payload: Buffer | string,
  options: DecodeOptions = {},
): { ok: true; value: z.infer<S> } | { ok: false; error: string } {
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (options.maxBytes !== undefined && bytes > options.maxBytes) {
    return { ok: false, error: `payload is ${bytes} bytes, over the limit of ${options.maxBytes}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return { ok: false, error: 'payload is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, value: parsed.data };
}

export function encodePayload(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
