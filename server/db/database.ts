/**
 * Opens the database behind Prisma's driver adapters: embedded PGlite (data under DATA_DIR) or
 * PostgreSQL (DATABASE_URL). Returns the Prisma client plus a single-session connection for the
 * migration runner.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { LockSession } from '../scheduling/leader-election.js';
import { PrismaClient } from './generated/client.js';

/** Advisory lock key of the scheduler ("loa" + 1), distinct from Prisma Migrate's. */
export const SCHEDULER_LOCK_KEY = 0x6c6f6101;

export type { PrismaClient } from './generated/client.js';

/**
 * One database session for migrations: the advisory lock and the scripts must run on the same
 * connection. Both adapters' own executeScript are unsuitable here (the PGlite one does not await
 * the script; the pg one splits on every ';'), so scripts go to the driver underneath.
 */
export interface MigrationConnection {
  executeScript(sql: string): Promise<void>;
  execute(sql: string, params?: readonly unknown[]): Promise<void>;
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly prisma: PrismaClient;
  /** A session of its own holding (or trying for) the scheduler's advisory lock. */
  openLockSession(): Promise<LockSession>;
  /** Runs `work` with a dedicated session (migrations, advisory locks). */
  withSession<T>(work: (connection: MigrationConnection) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target.dir) : openPostgres(target.url);
}

async function openPglite(dir: string): Promise<Database> {
  await mkdir(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const connection: MigrationConnection = {
    executeScript: async (sql) => {
      await pglite.exec(sql);
    },
    execute: async (sql, params = []) => {
      await pglite.query(sql, [...params]);
    },
    query: async <Row>(sql: string, params: readonly unknown[] = []) => (await pglite.query<Row>(sql, [...params])).rows,
  };
  return {
    kind: 'pglite',
    prisma,
    // One process owns a PGlite directory, so it always leads; the session lives as long as the database.
    openLockSession: async () => ({ tryLock: async () => true, lost: new Promise<void>(() => {}), close: async () => {} }),
    // PGlite is a single session already.
    withSession: (work) => work(connection),
    ping: async () => {
      await pglite.query('SELECT 1');
    },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    openLockSession: async () => {
      // Not from the pool: the lock must live exactly as long as this one connection.
      const client = new pg.Client({ connectionString: url, keepAlive: true });
      let markLost: () => void = () => {};
      const lost = new Promise<void>((resolve) => (markLost = resolve));
      client.on('error', () => markLost());
      client.on('end', () => markLost());
      await client.connect();
      return {
        tryLock: async () => {
          const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [SCHEDULER_LOCK_KEY]);
          return result.rows[0]?.locked === true;
        },
        lost,
        close: async () => {
          await client.end().catch(() => {});
        },
      };
    },
    withSession: async (work) => {
      const client = await pool.connect();
      try {
        return await work({
          executeScript: async (sql) => {
            // Without parameters pg uses the simple query protocol, which runs a multi-statement script.
            await client.query(sql);
          },
          execute: async (sql, params = []) => {
            await client.query(sql, [...params]);
          },
          query: async <Row>(sql: string, params: readonly unknown[] = []) =>
            (await client.query(sql, [...params])).rows as Row[],
        });
      } finally {
        client.release();
      }
    },
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
