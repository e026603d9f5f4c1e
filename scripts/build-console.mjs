#!/usr/bin/env node
// Builds the officials' console (server/web) with Vite when its sources changed since the last
// build, so `npm install`, `npm start` and `npm test` always serve the console of this checkout
// without a separate deploy step. The build records a hash of its inputs next to its output.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'server', 'web');
const dist = path.join(web, 'dist');
const stamp = path.join(dist, '.build-hash');
const force = process.argv.includes('--force');

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

function inputsHash() {
  const hash = createHash('sha256');
  const inputs = [...files(path.join(web, 'src')), ...files(path.join(web, 'public')), path.join(web, 'index.html'), path.join(web, 'vite.config.ts')];
  for (const file of inputs) hash.update(path.relative(web, file)).update('\0').update(readFileSync(file)).update('\0');
  const vite = JSON.parse(readFileSync(path.join(root, 'node_modules', 'vite', 'package.json'), 'utf8'));
  return hash.update(vite.version).digest('hex');
}

const wanted = inputsHash();
if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && existsSync(path.join(dist, 'index.html'))) process.exit(0);

const started = Date.now();
const { build } = await import('vite');
await build({ configFile: path.join(web, 'vite.config.ts'), mode: 'production' });
// Served as is by @fastify/static (preCompressed) to browsers that accept them.
for (const file of files(dist)) {
  if (!/\.(js|css|html|svg)$/.test(file) || statSync(file).size < 1024) continue;
  const content = readFileSync(file);
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
writeFileSync(stamp, wanted);
const bytes = [...files(path.join(dist, 'assets'))].filter((f) => !/\.(map|gz|br)$/.test(f)).reduce((sum, f) => sum + statSync(f).size, 0);
console.log(`console built in ${Date.now() - started} ms (${Math.round(bytes / 1024)} KiB of assets)`);
