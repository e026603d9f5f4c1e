/** The migration runner against real PGlite and the machine's PostgreSQL. */
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../server/db/database.js';
import { applyMigrations, MigrationError } from '../../../server/db/migration-runner.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { createPostgresDatabase } from '../../helpers/test-database.js';

const migrationsDir = path.resolve(import.meta.dirname, '../../../prisma/migrations');

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  applied_steps_count: number;
  rolled_back_at: Date | null;
}

describe.each(['pglite', 'postgres'] as const)('migration runner on %s', (kind) => {
  let database: Database;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (kind === 'pglite') {
      const dir = await makeTempDir('cb-migrate');
      database = await openDatabase({ kind: 'pglite', dir: path.join(dir.path, 'db') });
      cleanup = dir.remove;
    } else {
      const pg = await createPostgresDatabase();
      database = await openDatabase({ kind: 'postgres', url: pg.url });
      cleanup = pg.drop;
    }
  });

  afterAll(async () => {
    await database?.close();
    await cleanup?.();
  });

  it('applies every migration once and records it as Prisma Migrate does', async () => {
    const first = await database.withSession((s) => applyMigrations(s, migrationsDir));
    expect(first.applied.length).toBeGreaterThan(0);
    const rows = await database.withSession((s) =>
      s.query<MigrationRow>('SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name'),
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const row of rows) {
      const sql = await readFile(path.join(migrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    }
    const second = await database.withSession((s) => applyMigrations(s, migrationsDir));
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied });
  });

  it('creates tables the Prisma client can use', async () => {
    const area = await database.prisma.area.create({ data: { id: `a-${kind}`, name: 'Xã Tú Sơn', kind: 'commune' } });
    expect(await database.prisma.area.findUnique({ where: { id: area.id } })).toMatchObject({ name: 'Xã Tú Sơn', kind: 'commune' });
  });

  it('refuses to start when an applied migration file was edited', async () => {
    const dir = await makeTempDir('cb-migrations-edited');
    try {
      await cp(migrationsDir, dir.path, { recursive: true });
      const [first] = (await database.withSession((s) => s.query<MigrationRow>('SELECT migration_name FROM "_prisma_migrations"')));
      await writeFile(path.join(dir.path, first!.migration_name, 'migration.sql'), '-- edited\nSELECT 1;\n');
      await expect(database.withSession((s) => applyMigrations(s, dir.path))).rejects.toThrow(MigrationError);
      await expect(database.withSession((s) => applyMigrations(s, dir.path))).rejects.toThrow(/checksum mismatch/);
    } finally {
      await dir.remove();
    }
  });

  it('records a failing migration with its error and stops', async () => {
    const dir = await makeTempDir('cb-migrations-bad');
    try {
      await cp(migrationsDir, dir.path, { recursive: true });
      const bad = path.join(dir.path, '99990101000000_broken');
      await mkdir(bad);
      await writeFile(path.join(bad, 'migration.sql'), 'CREATE TABLE "broken" (id INT);\nSELECT * FROM "no_such_table";\n');
      await expect(database.withSession((s) => applyMigrations(s, dir.path))).rejects.toThrow(/99990101000000_broken failed/);
      const [row] = await database.withSession((s) =>
        s.query<MigrationRow & { logs: string }>(`SELECT migration_name, finished_at, logs FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`),
      );
      expect(row?.finished_at).toBeNull();
      expect(row?.logs).toMatch(/no_such_table/);
      await expect(database.withSession((s) => applyMigrations(s, dir.path))).rejects.toThrow(/failed earlier/);
    } finally {
      await dir.remove();
    }
  });
});
