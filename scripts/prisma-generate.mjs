#!/usr/bin/env node
// Generates the Prisma client (server/db/generated) when it is missing or older than the schema.
// `prisma generate` does not use the schema engine, but the CLI downloads one unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file; pointing it at node keeps install offline.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma', 'schema.prisma');
const client = path.join(root, 'server', 'db', 'generated', 'client.ts');
const force = process.argv.includes('--force');

if (!force && existsSync(client) && statSync(client).mtimeMs >= statSync(schema).mtimeMs) process.exit(0);

const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
