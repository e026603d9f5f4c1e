/**
 * Builds one test data directory per migration set and audio code: a migrated PGlite database, plus
 * the attention signals every server renders at start (four signals, one of them 80 s long: several
 * seconds of ffmpeg per server). Tests copy it instead of paying PGlite's multi-second first
 * initialisation and the signals' rendering each time.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { applyMigrations } from '../../server/db/migration-runner.js';
import { startServer } from '../../server/main.js';
import { TEST_ADMIN } from './test-admin.js';

const root = path.resolve(import.meta.dirname, '../..');

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

/** What the template's contents depend on: the migrations, and the code that renders the signals. */
async function templateFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of ['prisma/migrations', 'server/audio']) {
    for await (const file of filesUnder(path.join(root, dir))) hash.update(path.relative(root, file)).update(await readFile(file));
  }
  hash.update(await readFile(path.join(root, 'server/emergency/signal-catalogue.ts')));
  return hash.digest('hex').slice(0, 16);
}

async function renderSignals(dataDir: string): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    MQTT_PORT: '0',
    DATA_DIR: dataDir,
    SCHEDULES_DIR: path.join(dataDir, 'no-schedules'),
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
  });
  await mkdir(config.scheduling.schedulesDir, { recursive: true });
  const server = await startServer(config, pino({ level: 'silent' }));
  try {
    const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: TEST_ADMIN });
    const authorization = `Bearer ${login.json<{ token: string }>().token}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const signals = (await server.app.inject({ method: 'GET', url: '/api/emergency/signals', headers: { authorization } })).json<{ audio: unknown }[]>();
      if (signals.length > 0 && signals.every((signal) => signal.audio)) break;
      if (Date.now() > deadline) throw new Error('the attention signals were not rendered within 2 minutes');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await server.stop();
  }
  await rm(config.scheduling.schedulesDir, { recursive: true, force: true });
}

export default async function setup(project: TestProject): Promise<void> {
  const template = path.join(root, '.test-tmp', `data-template-${await templateFingerprint()}`);
  if (!existsSync(template)) {
    const building = `${template}.building-${process.pid}`;
    await rm(building, { recursive: true, force: true });
    await mkdir(building, { recursive: true });
    const database = await openDatabase({ kind: 'pglite', dir: path.join(building, 'db') });
    await database.withSession((session) => applyMigrations(session, path.join(root, 'prisma', 'migrations')));
    await database.close();
    await renderSignals(building);
    await rename(building, template);
  }
  project.provide('dataTemplate', template);
}

declare module 'vitest' {
  export interface ProvidedContext {
    dataTemplate: string;
  }
}
