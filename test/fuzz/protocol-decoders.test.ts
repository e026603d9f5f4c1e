/**
 * Property-based fuzzing of the MQTT payload decoders: whatever bytes arrive, decodePayload answers
 * with its documented tagged result and never throws; what it accepts really matches the schema.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  availabilitySchema,
  commandSchema,
  decodePayload,
  deviceConfigSchema,
  encodePayload,
  MAX_DEVICE_REPORT_BYTES,
  playbackEventSchema,
  scheduleManifestSchema,
  serverStateSchema,
  telemetrySchema,
} from '../../protocol/index.js';

const RUNS = 300;

const SCHEMAS: Record<string, z.ZodType> = {
  availability: availabilitySchema,
  serverState: serverStateSchema,
  command: commandSchema,
  deviceConfig: deviceConfigSchema,
  scheduleManifest: scheduleManifestSchema,
  playbackEvent: playbackEventSchema,
  telemetry: telemetrySchema,
};

const sha = 'c'.repeat(64);
const VALID: Record<string, Record<string, unknown>> = {
  playbackEvent: { type: 'finished', seq: 7, broadcastId: 'b-1', commandId: 'o-1', at: 1_800_000_000_000, sha256: sha, outcome: 'completed' },
  telemetry: {
    at: 1_800_000_000_000,
    volume: 70,
    uptimeSeconds: 12.5,
    agentVersion: '0.1.0',
    cacheBytes: 1024,
    cacheFiles: 1,
    clockOffsetMs: -2.5,
    playing: null,
    outboxPending: 0,
    formats: ['mp3'],
  },
  availability: { state: 'online' },
  command: {
    type: 'play',
    commandId: 'o-1',
    broadcastId: 'b-1',
    priority: 'normal',
    audio: { url: 'http://server/audio/x.mp3', sha256: sha, bytes: 1000, durationMs: 5000, mime: 'audio/mpeg' },
    startAt: 1_800_000_000_000,
    expiresAt: 1_800_000_600_000,
    issuedAt: 1_799_999_990_000,
  },
};

type Decoded = ReturnType<typeof decodePayload>;

/** The documented result: ok with a value the schema accepts, or not ok with a reason; nothing else. */
function expectDocumentedResult(schema: z.ZodType, decoded: Decoded): void {
  expect(typeof decoded.ok).toBe('boolean');
  if (decoded.ok) {
    expect(schema.safeParse(decoded.value).success).toBe(true);
  } else {
    expect(typeof decoded.error).toBe('string');
    expect(decoded.error.length).toBeGreaterThan(0);
  }
}

const schemaName = fc.constantFrom(...Object.keys(SCHEMAS));
/** Strings with every code point, NUL and lone surrogates included. */
const anyString = fc.string({ unit: 'binary', maxLength: 80 });
const awkwardNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 2 ** 31 - 1, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 8.64e15 + 1, 1e308, -0),
);
const awkwardValue = fc.oneof(anyString, awkwardNumber, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }), fc.array(anyString, { maxLength: 3 }));

describe('MQTT payload decoders under fuzzing', () => {
  it('answer arbitrary bytes with a tagged result, never a throw', () => {
    fc.assert(
      fc.property(schemaName, fc.uint8Array({ maxLength: 512 }), (name, bytes) => {
        const schema = SCHEMAS[name]!;
        expectDocumentedResult(schema, decodePayload(schema, Buffer.from(bytes)));
      }),
      { numRuns: RUNS },
    );
  });

  it('answer arbitrary strings, including broken UTF-8 and lone surrogates', () => {
    fc.assert(
      fc.property(schemaName, fc.string({ unit: 'binary', maxLength: 300 }), (name, text) => {
        const schema = SCHEMAS[name]!;
        expectDocumentedResult(schema, decodePayload(schema, text));
        expectDocumentedResult(schema, decodePayload(schema, Buffer.from(text, 'utf8')));
      }),
      { numRuns: RUNS },
    );
  });

  it('answer any JSON document, however nested', () => {
    fc.assert(
      fc.property(schemaName, fc.jsonValue({ maxDepth: 6 }), (name, value) => {
        const schema = SCHEMAS[name]!;
        expectDocumentedResult(schema, decodePayload(schema, encodePayload(value)));
      }),
      { numRuns: RUNS },
    );
  });

  it('answer near-valid objects: one field replaced, removed or added', () => {
    const mutation = fc.record({
      name: fc.constantFrom(...Object.keys(VALID)),
      field: fc.oneof(fc.constantFrom('seq', 'at', 'type', 'volume', 'playing', 'audio', 'sha256', '__proto__', 'constructor'), anyString),
      value: fc.option(awkwardValue, { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, ({ name, field, value }) => {
        const schema = SCHEMAS[name]!;
        const object: Record<string, unknown> = { ...VALID[name] };
        if (value === undefined) delete object[field];
        else Object.defineProperty(object, field, { value, enumerable: true, writable: true, configurable: true });
        expectDocumentedResult(schema, decodePayload(schema, encodePayload(object)));
      }),
      { numRuns: RUNS },
    );
  });

  it('answer pathological JSON: deep nesting, huge numbers, duplicate and prototype keys', () => {
    const deep = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;
    const cases = [
      deep(100_000, '[', ']'),
      `{"seq":${deep(50_000, '[', ']')}}`,
      `{"seq":1e400,"at":-1e400}`,
      `{"type":"received","seq":1,"seq":-1,"broadcastId":"b","commandId":"c","at":1}`,
      `{"__proto__":{"ok":true},"state":"online"}`,
      `{"constructor":{"prototype":{"polluted":1}},"state":"online"}`,
      '\uFEFF{"state":"online"}',
      '',
      'null',
    ];
    for (const name of Object.keys(SCHEMAS)) {
      const schema = SCHEMAS[name]!;
      for (const text of cases) expectDocumentedResult(schema, decodePayload(schema, Buffer.from(text)));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuse a payload over the byte limit before parsing it, however valid it is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 * MAX_DEVICE_REPORT_BYTES }), (padding) => {
        const payload = encodePayload({ ...VALID.availability, padding: ' '.repeat(padding) });
        const decoded = decodePayload(availabilitySchema, payload, { maxBytes: MAX_DEVICE_REPORT_BYTES });
        if (payload.length > MAX_DEVICE_REPORT_BYTES) {
          expect(decoded).toEqual({ ok: false, error: `payload is ${payload.length} bytes, over the limit of ${MAX_DEVICE_REPORT_BYTES}` });
        } else {
          expect(decoded).toEqual({ ok: true, value: VALID.availability });
        }
      }),
      { numRuns: 100 },
    );
  });
});
