/**
 * The server's configuration: one zod schema over the environment, parsed once into a frozen object.
 * An invalid value stops start-up with a message naming the variable.
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TOPIC_ROOT } from '../protocol/index.js';
import { passwordProblems } from './auth/password-policy.js';

const port = z.coerce.number().int().min(0).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: port.default(8080),
  MQTT_PORT: port.default(1883),
  /** When MQTT_PORT or MQTT_TLS_PORT is taken, try the next ports instead of stopping (the demo sets this). */
  MQTT_PORT_FALLBACK: z.stringbool().default(false),
  /** The embedded broker's MQTT-over-TLS port; only listened on when TLS_CERT_FILE and TLS_KEY_FILE are set. */
  MQTT_TLS_PORT: port.default(8883),
  /** `false` closes the plaintext MQTT port, leaving MQTT over TLS (and WebSocket over HTTPS) only. */
  MQTT_PLAINTEXT: z.stringbool().default(true),
  /** PEM certificate (chain) and private key: HTTPS for the API and UI, MQTT over TLS for the embedded broker. */
  TLS_CERT_FILE: optionalString,
  TLS_KEY_FILE: optionalString,
  /** Extra PEM CA certificates to trust for MQTT_URL (an external broker whose certificate a private CA signed). */
  MQTT_CA_FILE: optionalString,
  MQTT_URL: optionalString.pipe(z.string().regex(/^(mqtts?|wss?):\/\//, 'must start with mqtt://, mqtts://, ws:// or wss://').optional()),
  MQTT_USERNAME: optionalString,
  MQTT_PASSWORD: optionalString,
  MQTT_TOPIC_ROOT: z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'plain topic segments only').default(DEFAULT_TOPIC_ROOT),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional()),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  TTS_PROVIDER: z.enum(['espeak', 'google']).default('espeak'),
  TTS_VOICE: optionalString,
  /** Silence between the pieces a long text is synthesised in, and between the parts of a multi-part bulletin. */
  TTS_PAUSE_MS: z.coerce.number().int().min(0).max(5_000).default(400),
  GOOGLE_APPLICATION_CREDENTIALS: optionalString,
  /** For tests and air-gapped proxies: host:port of a Google TTS REST endpoint reached over plain HTTP. */
  GOOGLE_TTS_ENDPOINT: optionalString.pipe(z.string().regex(/^[^:/]+:\d+$/, 'must be host:port').optional()),
  /** When set, scraping GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_USERNAME: z.string().min(1).default('admin'),
  ADMIN_PASSWORD: optionalString.pipe(
    z
      .string()
      .superRefine((password, ctx) => {
        for (const problem of passwordProblems(password)) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  ),
  BULLETIN_MAX_CHARS: z.coerce.number().int().positive().default(20_000),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** Longest recording an upload may hold; checked before the (slow) normalisation. */
  UPLOAD_MAX_SECONDS: z.coerce.number().int().positive().default(30 * 60),
  AUDIO_BITRATE_KBPS: z.coerce.number().int().min(16).max(320).default(32),
  /** How long after startAt a play command stays valid when the request gives no expiry. */
  BROADCAST_TTL_SECONDS: z.coerce.number().int().positive().default(30 * 60),
  DEVICE_HEARTBEAT_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  TIMEZONE: z.string().default('Asia/Ho_Chi_Minh'),
  /** Occurrences are sent this long before they start (receivers download ahead). */
  SCHEDULE_LEAD_SECONDS: z.coerce.number().int().min(0).max(24 * 3600).default(600),
  /** An occurrence whose time passed while no server ran is still sent if less late than this; otherwise it is recorded missed. */
  SCHEDULE_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  SCHEDULE_HORIZON_HOURS: z.coerce.number().int().min(1).max(24 * 31).default(48),
  SCHEDULER_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  /** How often a follower instance tries to take over the scheduler lock. */
  LEADER_RETRY_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  /** Names this server instance (its MQTT client id on an external broker); unique per instance. */
  INSTANCE_ID: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only').default(hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40) || 'server'),
  SCHEDULES_DIR: z.string().min(1).default('./schedules'),
  /** Request → common start of an emergency: receivers that have the command by then start together. */
  EMERGENCY_START_LEAD_MS: z.coerce.number().int().min(0).max(10_000).default(400),
  EMERGENCY_VALIDITY_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  EMERGENCY_REPEAT: z.coerce.number().int().min(1).max(20).default(2),
  EMERGENCY_GAP_SECONDS: z.coerce.number().int().min(0).max(600).default(5),
  EMERGENCY_SIGNAL: z.string().min(1).default('siren'),
  /** A receiver online but not started this long after an airing's start gets the command again. */
  EMERGENCY_RESEND_AFTER_SECONDS: z.coerce.number().int().min(1).max(600).default(5),
  EMERGENCY_MAX_RESENDS: z.coerce.number().int().min(0).max(20).default(3),
  EMERGENCY_STANDING_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 31).default(7 * 24),
  /** CAP alerts that become emergencies at once (the rest become draft bulletins), as comma-separated CAP values. */
  CAP_BROADCAST_SEVERITIES: z.string().default('Extreme,Severe'),
  CAP_BROADCAST_URGENCIES: z.string().default('Immediate,Expected'),
  CAP_BROADCAST_CERTAINTIES: z.string().default('Observed,Likely'),
});

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly http: { readonly host: string; readonly port: number };
  readonly publicUrl: string | undefined;
  /** Certificate and key files (absolute paths); HTTPS and MQTT over TLS when present. */
  readonly tls: TlsFiles | undefined;
  readonly mqtt:
    | {
        readonly mode: 'embedded';
        /** Plaintext MQTT over TCP; null when MQTT_PLAINTEXT=false. */
        readonly port: number | null;
        /** MQTT over TLS; null without `tls`. */
        readonly tlsPort: number | null;
        readonly portFallback: boolean;
        readonly topicRoot: string;
      }
    | {
        readonly mode: 'external';
        readonly url: string;
        readonly username: string | undefined;
        readonly password: string | undefined;
        /** Extra CA certificates (PEM file) to trust for an mqtts:// or wss:// URL. */
        readonly caFile: string | undefined;
        readonly topicRoot: string;
      };
  readonly dataDir: string;
  readonly database: { readonly kind: 'pglite'; readonly dir: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly audio: { readonly dir: string; readonly tmpDir: string; readonly bitrateKbps: number };
  readonly tts: {
    readonly provider: 'espeak' | 'google';
    readonly voice: string | undefined;
    readonly pauseMs: number;
    readonly googleCredentials: string | undefined;
    readonly googleEndpoint: string | undefined;
  };
  readonly logLevel: string;
  readonly metricsToken: string | undefined;
  readonly admin: { readonly username: string; readonly password: string | undefined };
  readonly limits: { readonly bulletinMaxChars: number; readonly uploadMaxBytes: number; readonly uploadMaxSeconds: number };
  readonly broadcastTtlSeconds: number;
  readonly deviceHeartbeatSeconds: number;
  readonly timezone: string;
  readonly scheduling: {
    readonly leadMs: number;
    readonly graceMs: number;
    readonly horizonMs: number;
    readonly tickMs: number;
    readonly leaderRetryMs: number;
    readonly schedulesDir: string;
  };
  readonly emergency: {
    /** Request → common start: receivers that have the command by then start together. */
    readonly startLeadMs: number;
    readonly defaultValidityMinutes: number;
    readonly defaultRepeat: number;
    readonly defaultGapSeconds: number;
    readonly defaultSignal: string;
    /** A receiver online but not started this long after an airing's start gets the command again. */
    readonly resendAfterMs: number;
    readonly maxResends: number;
    /** A standing alert with no `until` ends after this long. */
    readonly standingMaxMinutes: number;
  };
  readonly cap: { readonly severities: readonly string[]; readonly urgencies: readonly string[]; readonly certainties: readonly string[] };
  readonly instanceId: string;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly { variable: string; message: string }[]) {
    super(`Invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.ADMIN_PASSWORD) {
    throw new ConfigError([{ variable: 'ADMIN_PASSWORD', message: 'is required when NODE_ENV=production' }]);
  }
  const tls = tlsFiles(e);
  const mqttCaFile = mqttCaFileOf(e);
  if (!e.MQTT_PLAINTEXT && !tls && !e.MQTT_URL) {
    throw new ConfigError([{ variable: 'MQTT_PLAINTEXT', message: 'false needs TLS_CERT_FILE and TLS_KEY_FILE, or receivers could not connect at all' }]);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return deepFreeze<Config>({
    env: e.NODE_ENV,
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    tls,
    mqtt: e.MQTT_URL
      ? { mode: 'external', url: e.MQTT_URL, username: e.MQTT_USERNAME, password: e.MQTT_PASSWORD, caFile: mqttCaFile, topicRoot: e.MQTT_TOPIC_ROOT }
      : {
          mode: 'embedded',
          port: e.MQTT_PLAINTEXT ? e.MQTT_PORT : null,
          tlsPort: tls ? e.MQTT_TLS_PORT : null,
          portFallback: e.MQTT_PORT_FALLBACK,
          topicRoot: e.MQTT_TOPIC_ROOT,
        },
    dataDir,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dir: path.join(dataDir, 'db') },
    audio: { dir: path.join(dataDir, 'audio'), tmpDir: path.join(dataDir, 'tmp'), bitrateKbps: e.AUDIO_BITRATE_KBPS },
    tts: {
      provider: e.TTS_PROVIDER,
      voice: e.TTS_VOICE,
      pauseMs: e.TTS_PAUSE_MS,
      googleCredentials: e.GOOGLE_APPLICATION_CREDENTIALS,
      googleEndpoint: e.GOOGLE_TTS_ENDPOINT,
    },
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    admin: { username: e.ADMIN_USERNAME, password: e.ADMIN_PASSWORD },
    limits: { bulletinMaxChars: e.BULLETIN_MAX_CHARS, uploadMaxBytes: e.UPLOAD_MAX_BYTES, uploadMaxSeconds: e.UPLOAD_MAX_SECONDS },
    broadcastTtlSeconds: e.BROADCAST_TTL_SECONDS,
    deviceHeartbeatSeconds: e.DEVICE_HEARTBEAT_SECONDS,
    timezone: e.TIMEZONE,
    scheduling: {
      leadMs: e.SCHEDULE_LEAD_SECONDS * 1_000,
      graceMs: e.SCHEDULE_GRACE_SECONDS * 1_000,
      horizonMs: e.SCHEDULE_HORIZON_HOURS * 3_600_000,
      tickMs: e.SCHEDULER_TICK_MS,
      leaderRetryMs: e.LEADER_RETRY_MS,
      schedulesDir: path.resolve(e.SCHEDULES_DIR),
    },
    emergency: {
      startLeadMs: e.EMERGENCY_START_LEAD_MS,
      defaultValidityMinutes: e.EMERGENCY_VALIDITY_MINUTES,
      defaultRepeat: e.EMERGENCY_REPEAT,
      defaultGapSeconds: e.EMERGENCY_GAP_SECONDS,
      defaultSignal: e.EMERGENCY_SIGNAL,
      resendAfterMs: e.EMERGENCY_RESEND_AFTER_SECONDS * 1_000,
      maxResends: e.EMERGENCY_MAX_RESENDS,
      standingMaxMinutes: e.EMERGENCY_STANDING_MAX_HOURS * 60,
    },
    cap: { severities: csv(e.CAP_BROADCAST_SEVERITIES), urgencies: csv(e.CAP_BROADCAST_URGENCIES), certainties: csv(e.CAP_BROADCAST_CERTAINTIES) },
    instanceId: e.INSTANCE_ID,
  });
}

type Env = z.infer<typeof envSchema>;

function csv(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}

/** Both files or neither, each readable; their contents are checked when the server starts (tls-credentials.ts). */
function tlsFiles(e: Env): TlsFiles | undefined {
  if (!e.TLS_CERT_FILE && !e.TLS_KEY_FILE) return undefined;
  const issues: { variable: string; message: string }[] = [];
  if (!e.TLS_CERT_FILE) issues.push({ variable: 'TLS_CERT_FILE', message: 'is required when TLS_KEY_FILE is set' });
  if (!e.TLS_KEY_FILE) issues.push({ variable: 'TLS_KEY_FILE', message: 'is required when TLS_CERT_FILE is set' });
  for (const variable of ['TLS_CERT_FILE', 'TLS_KEY_FILE'] as const) {
    const problem = e[variable] && unreadableFile(e[variable]);
    if (problem) issues.push({ variable, message: problem });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { certFile: path.resolve(e.TLS_CERT_FILE!), keyFile: path.resolve(e.TLS_KEY_FILE!) };
}

function mqttCaFileOf(e: Env): string | undefined {
  if (!e.MQTT_CA_FILE) return undefined;
  if (!e.MQTT_URL || !/^(mqtts|wss):\/\//.test(e.MQTT_URL)) {
    throw new ConfigError([{ variable: 'MQTT_CA_FILE', message: 'is only used with an mqtts:// or wss:// MQTT_URL' }]);
  }
  const problem = unreadableFile(e.MQTT_CA_FILE);
  if (problem) throw new ConfigError([{ variable: 'MQTT_CA_FILE', message: problem }]);
  return path.resolve(e.MQTT_CA_FILE);
}

/** Why `file` cannot be read, or undefined if it can. Never the file's contents: a key must not reach a log. */
function unreadableFile(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return `${file} is not a file`;
    accessSync(file, fsConstants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code ?? 'error'})`;
  }
}
