/**
 * Builds the officials' console (server/web/src) into server/web/dist, which Fastify serves.
 * Run by scripts/build-console.mjs at install and start; `npm run console:dev` serves it with
 * reloads against a running server.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiServer = process.env.CONSOLE_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Office PCs run what the province installed years ago: keep to what Chrome/Firefox/Edge of 2021 read.
    target: ['chrome90', 'firefox90', 'safari14', 'edge90'],
    sourcemap: true,
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: { '/api': apiServer, '/audio': apiServer, '/mqtt': { target: apiServer, ws: true } },
  },
});
