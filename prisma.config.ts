import { defineConfig } from 'prisma/config';

// The CLI is used for `prisma generate` (offline) and, on machines with the schema engine,
// `prisma migrate status`. The server applies migrations itself (server/db/migration-runner.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/commune_broadcast' },
});
