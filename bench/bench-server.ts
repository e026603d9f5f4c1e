/**
 * A server for a benchmark run, as its own process (so its memory and CPU are its own), in one of
 * the configurations compared: embedded broker + PGlite (what `npm start` runs), the machine's
 * Mosquitto as an external broker, or the machine's PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ApiClient } from '../test/helpers/api-client.js';
import { freePort } from '../test/helpers/free-port.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';

export type BrokerKind = 'embedded' | 'mosquitto';
export type DatabaseKind = 'pglite' | 'postgres';

export interface ServerSetup {
  readonly broker: BrokerKind;
  readonly database: DatabaseKind;
}

export const setupName = (setup: ServerSetup) => `${setup.broker === 'embedded' ? 'aedes' : 'Mosquitto'} + ${setup.database === 'pglite' ? 'PGlite' : 'PostgreSQL'}`;

const ADMIN = { username: 'admin', password: `bench-${randomBytes(6).toString('hex')}` };
export const MOSQUITTO_URL = process.env.BENCH_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface ServerMetricsSample {
  readonly rssBytes: number;
  readonly cpuSeconds: number;
  /** Event-loop delay since the previous sample (prom-client resets its histogram on every scrape). */
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
}

export interface BenchServer {
  readonly setup: ServerSetup;
  readonly url: string;
  readonly brokerUrl: string;
  readonly topicRoot: string;
  readonly api: ApiClient;
  /** What the server process printed (warnings and errors; LOG_LEVEL=warn). */
  output(): string;
  sample(): Promise<ServerMetricsSample>;
  stop(): Promise<void>;
}

async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cb_bench_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} missing from /metrics`);
  return Number(line.slice(name.length + 1));
}

export async function startBenchServer(setup: ServerSetup, env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cb-bench-server-'));
  const database = setup.database === 'postgres' ? await createDatabase() : undefined;
  const topicRoot = setup.broker === 'mosquitto' ? `bench-${randomBytes(4).toString('hex')}` : 'loa';
  const mqttPort = await freePort();
  const server: ServerProcess = startServerProcess(
    {
      DATA_DIR: dataDir,
      MQTT_PORT: String(mqttPort),
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn',
      MQTT_TOPIC_ROOT: topicRoot,
      ...(setup.broker === 'mosquitto' ? { MQTT_URL: MOSQUITTO_URL } : {}),
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...env,
    },
    await freePort(),
    // BENCH_PROFILE_DIR=<dir>: a CPU profile of each server, written when it stops (open it in Chrome's DevTools).
    process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [],
  );
  try {
    await server.ready(60_000);
  } catch (error) {
    await server.kill();
    await database?.drop();
    throw error;
  }
  const api = new ApiClient(server.url);
  await api.login(ADMIN.username, ADMIN.password);
  return {
    setup,
    url: server.url,
    brokerUrl: setup.broker === 'mosquitto' ? MOSQUITTO_URL : `mqtt://127.0.0.1:${mqttPort}`,
    topicRoot,
    api,
    output: () => server.output(),
    async sample() {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return {
        rssBytes: metricValue(text, 'process_resident_memory_bytes'),
        cpuSeconds: metricValue(text, 'process_cpu_seconds_total'),
        eventLoopDelayP99Ms: metricValue(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
        eventLoopDelayMaxMs: metricValue(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
      };
    },
    async stop() {
      await server.kill('SIGTERM');
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface AreaTree {
  readonly districtId: string;
  readonly communeIds: string[];
}

/** A province → district → `communes` communes, the shape receivers are registered into. */
export async function createAreaTree(api: ApiClient, communes: number): Promise<AreaTree> {
  const post = async (body: object) => {
    const response = await api.post<{ id: string }>('/api/areas', body);
    if (response.status !== 201) throw new Error(`creating area failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id;
  };
  const suffix = randomBytes(3).toString('hex');
  const province = await post({ name: 'Tỉnh Hòa Bình', kind: 'province', code: `P${suffix}` });
  const districtId = await post({ name: 'Huyện Tân Lạc', kind: 'district', parentId: province, code: `D${suffix}` });
  const communeIds: string[] = [];
  for (let index = 0; index < communes; index++) communeIds.push(await post({ name: `Xã ${index + 1}`, kind: 'commune', parentId: districtId, code: `C${suffix}${index}` }));
  return { districtId, communeIds };
}
