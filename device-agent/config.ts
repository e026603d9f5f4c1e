/**
 * The agent's configuration: environment variables overridden by command-line flags, validated by
 * one zod schema into a frozen object. An invalid value stops start-up with a message naming the
 * variable or flag it came from (never its value, because one of them is the device token).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TOPIC_ROOT, isValidTopicSegment } from '../protocol/index.js';

export type PlayerSpec =
  | { readonly kind: 'auto' }
  | { readonly kind: 'ffplay' }
  | { readonly kind: 'aplay'; readonly device: string | undefined }
  | { readonly kind: 'file'; readonly path: string };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AgentConfig {
  readonly brokerUrl: string;
  readonly deviceId: string;
  readonly token: string;
  readonly player: PlayerSpec;
  readonly dataDir: string;
  readonly topicRoot: string;
  readonly cacheMaxBytes: number;
  readonly logLevel: LogLevel;
  /** Overrides the server URL of the retained config message for clock sync; normally unset. */
  readonly serverUrl: string | undefined;
  /** Simulated error of the receiver's own clock, ms (tests and fleet simulation; 0 on a real receiver). */
  readonly clockSkewMs: number;
  /** PEM file of CA certificates trusted besides the system's, for mqtts://, wss:// and https:// (absolute path). */
  readonly caFile: string | undefined;
}

/** Each setting's environment variable and flag; flags win over the environment. */
export const AGENT_OPTIONS = {
  brokerUrl: { env: 'AGENT_BROKER_URL', flag: '--broker-url', help: 'mqtt://host:1883, mqtts://host:8883, ws(s)://host:8080/mqtt (required)' },
  deviceId: { env: 'AGENT_DEVICE_ID', flag: '--device-id', help: 'this receiver\'s id, also its MQTT client id and user name (required)' },
  token: { env: 'AGENT_TOKEN', flag: '--token', help: 'the device token issued by the server (required)' },
  player: { env: 'AGENT_PLAYER', flag: '--player', help: 'auto (default) | ffplay | aplay[:<alsa device>] | file:<path>' },
  dataDir: { env: 'AGENT_DATA_DIR', flag: '--data-dir', help: 'audio cache, outbox and state (default ./data/agent)' },
  topicRoot: { env: 'AGENT_TOPIC_ROOT', flag: '--topic-root', help: `MQTT topic root (default ${DEFAULT_TOPIC_ROOT})` },
  cacheMaxBytes: { env: 'AGENT_CACHE_MAX_BYTES', flag: '--cache-max-bytes', help: 'audio cache cap: bytes or 500MB, 1GB (default 500MB)' },
  logLevel: { env: 'AGENT_LOG_LEVEL', flag: '--log-level', help: `${LOG_LEVELS.join(' | ')} (default info)` },
  serverUrl: { env: 'AGENT_SERVER_URL', flag: '--server-url', help: 'server base URL for clock sync (default: from the config message)' },
  clockSkewMs: { env: 'AGENT_CLOCK_SKEW_MS', flag: '--clock-skew-ms', help: 'test/simulation only: local clock reads OS time + this many ms (default 0)' },
  caFile: { env: 'AGENT_CA_FILE', flag: '--ca-file', help: 'PEM CA certificate(s) to trust, besides the system\'s, for mqtts/wss/https' },
} as const satisfies Record<keyof AgentConfig, { env: string; flag: string; help: string }>;

type OptionKey = keyof typeof AGENT_OPTIONS;

export const DEFAULT_CACHE_MAX_BYTES = 500 * 1024 * 1024;
export const DEFAULT_DATA_DIR = './data/agent';
const MAX_CLOCK_SKEW_MS = 24 * 3600_000;

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

const byteSize = z.string().transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1024 * 1024) {
    ctx.addIssue({ code: 'custom', message: 'must be a size of at least 1MB, e.g. 524288000, 500MB or 1GB' });
    return z.NEVER;
  }
  return bytes;
});

const playerSpec = z.string().transform((value, ctx): PlayerSpec => {
  const spec = value.trim();
  if (spec === 'auto') return { kind: 'auto' };
  if (spec === 'ffplay') return { kind: 'ffplay' };
  if (spec === 'aplay') return { kind: 'aplay', device: undefined };
  if (spec.startsWith('aplay:') && spec.length > 'aplay:'.length) return { kind: 'aplay', device: spec.slice('aplay:'.length) };
  if (spec.startsWith('file:') && spec.length > 'file:'.length) return { kind: 'file', path: path.resolve(spec.slice('file:'.length)) };
  ctx.addIssue({ code: 'custom', message: 'must be auto, ffplay, aplay, aplay:<alsa device> or file:<path>' });
  return z.NEVER;
});

const clockSkew = z.string().transform((value, ctx) => {
  const ms = /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > MAX_CLOCK_SKEW_MS) {
    ctx.addIssue({ code: 'custom', message: 'must be a whole number of milliseconds between -86400000 and 86400000' });
    return z.NEVER;
  }
  return ms;
});

/** Checked here, where the flag or variable it came from is known; tls-trust.ts reads it again to use it. */
const caFile = z.string().transform((value, ctx) => {
  const file = path.resolve(value.trim());
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `cannot be read: ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return z.NEVER;
  }
  try {
    new X509Certificate(pem);
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be a PEM certificate file: ${file}` });
    return z.NEVER;
  }
  return file;
});

const schema = z.object({
  brokerUrl: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\/[^\s]+$/, 'must be an mqtt://, mqtts://, ws:// or wss:// URL')
    .refine((value) => URL.canParse(value), 'is not a valid URL'),
  deviceId: z.string().refine(isValidTopicSegment, 'must be 1-64 characters of A-Z a-z 0-9 _ -'),
  token: z.string().min(1, 'must not be empty'),
  player: playerSpec.default({ kind: 'auto' }),
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR).transform((dir) => path.resolve(dir)),
  topicRoot: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'must be slash-separated plain segments without wildcards')
    .default(DEFAULT_TOPIC_ROOT),
  cacheMaxBytes: byteSize.default(DEFAULT_CACHE_MAX_BYTES),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  serverUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  clockSkewMs: clockSkew.default(0),
  caFile: caFile.optional(),
});

export class ConfigError extends Error {
  constructor(readonly issues: readonly { readonly variable: string; readonly message: string }[]) {
    super(`Invalid agent configuration: ${issues.map((i) => `${i.variable} ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

const FLAG_TO_KEY = new Map<string, OptionKey>(
  (Object.keys(AGENT_OPTIONS) as OptionKey[]).map((key) => [AGENT_OPTIONS[key].flag, key]),
);

/** `--flag value` and `--flag=value`; an unknown flag or a missing value is an error naming the flag. */
function parseFlags(argv: readonly string[]): Map<OptionKey, string> {
  const values = new Map<OptionKey, string>();
  const issues: { variable: string; message: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const key = FLAG_TO_KEY.get(flag);
    if (!key) {
      issues.push({ variable: flag, message: 'is not a known option (see --help)' });
      continue;
    }
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined) {
      issues.push({ variable: flag, message: 'needs a value' });
      continue;
    }
    values.set(key, value);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return values;
}

/** Parses flags (winning) and environment variables into a frozen config; throws ConfigError. */
export function parseAgentConfig(argv: readonly string[], env: NodeJS.ProcessEnv): AgentConfig {
  const flags = parseFlags(argv);
  const raw: Partial<Record<OptionKey, string>> = {};
  const source = new Map<OptionKey, string>();
  for (const key of Object.keys(AGENT_OPTIONS) as OptionKey[]) {
    const { env: variable, flag } = AGENT_OPTIONS[key];
    const fromFlag = flags.get(key);
    const fromEnv = env[variable];
    if (fromFlag !== undefined) {
      raw[key] = fromFlag;
      source.set(key, flag);
    } else if (fromEnv !== undefined && fromEnv.trim() !== '') {
      raw[key] = fromEnv;
      source.set(key, variable);
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path[0] as OptionKey;
        const option = AGENT_OPTIONS[key];
        const origin = source.get(key);
        return origin
          ? { variable: origin, message: issue.message }
          : { variable: `${option.env} (or ${option.flag})`, message: 'is required' };
      }),
    );
  }
  const config: AgentConfig = { ...parsed.data, serverUrl: parsed.data.serverUrl, caFile: parsed.data.caFile };
  return Object.freeze(config);
}

export function usage(): string {
  const lines = (Object.keys(AGENT_OPTIONS) as OptionKey[]).map((key) => {
    const { env, flag, help } = AGENT_OPTIONS[key];
    return `  ${`${flag} <value>`.padEnd(26)} ${env.padEnd(24)} ${help}`;
  });
  return ['Usage: tsx device-agent/main.ts [options]', '', 'Options (flags override environment variables):', ...lines].join('\n');
}
