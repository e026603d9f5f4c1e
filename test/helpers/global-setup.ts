/**
 * Builds one migrated PGlite data directory per migration set; tests copy it instead of paying
 * PGlite's multi-second first initialisation each time.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/db/database.js';
import { applyMigrations } from '../../server/db/migration-runner.js';

const root = path.resolve(import.meta.dirname, '../..');

async function migrationsFingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(dir)).sort()) {
    const file = path.join(dir, name, 'migration.sql');
    if (existsSync(file)) hash.update(name).update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

export default async function setup(project: TestProject): Promise<void> {
  const migrations = path.join(root, 'prisma', 'migrations');
  const template = path.join(root, '.test-tmp', `pglite-template-${await migrationsFingerprint(migrations)}`);
  if (!existsSync(template)) {
    const building = `${template}.building-${process.pid}`;
    await rm(building, { recursive: true, force: true });
    await mkdir(path.dirname(building), { recursive: true });
    const database = await openDatabase({ kind: 'pglite', dir: building });
    await database.withSession((session) => applyMigrations(session, migrations));
    await database.close();
    await rename(building, template);
  }
  project.provide('pgliteTemplate', template);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
