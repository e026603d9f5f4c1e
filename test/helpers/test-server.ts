/** Starts the real server (real database, real broker, real ffmpeg) for a test. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { makeTempDir } from './temp-dir.js';
import { copyDataTemplate, createPostgresDatabase } from './test-database.js';

export { TEST_ADMIN } from './test-admin.js';
import { TEST_ADMIN } from './test-admin.js';

export interface TestServerOptions {
  readonly database?: 'pglite' | 'postgres';
  readonly mqttUrl?: string;
  readonly env?: Record<string, string>;
  /** Receives every log line (JSON) at level info and above, to assert on what was logged. */
  readonly logLines?: string[];
}

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  /** Stops the server and removes its data and database. */
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = await makeTempDir('cb-server');
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    MQTT_PORT: '0',
    DATA_DIR: dir.path,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // An empty programme folder unless a test brings its own.
    SCHEDULES_DIR: path.join(dir.path, 'schedules'),
    ...options.env,
  };
  let dropDatabase = async () => {};
  if (options.database === 'postgres') {
    const database = await createPostgresDatabase();
    env.DATABASE_URL = database.url;
    dropDatabase = database.drop;
  } else {
    await copyDataTemplate(dir.path);
  }
  await mkdir(env.SCHEDULES_DIR!, { recursive: true });
  if (options.mqttUrl) env.MQTT_URL = options.mqttUrl;
  const config = loadConfig(env);
  const lines = options.logLines;
  const logger = lines
    ? pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
    : pino({ level: env.LOG_LEVEL ?? 'silent' });
  const server = await startServer(config, logger);
  return {
    ...server,
    dataDir: dir.path,
    close: async () => {
      await server.stop();
      await dropDatabase();
      await dir.remove();
    },
  };
}
