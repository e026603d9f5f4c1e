/**
 * The officials' console, built by Vite into server/web/dist (scripts/build-console.mjs runs at
 * install and start). Hashed assets are cached for a year; index.html is revalidated on every
 * load so a new build reaches officials at once. Files are also served pre-compressed (gzip,
 * brotli) when the build wrote them: 4G links in the hills are slow.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

export const CONSOLE_DIR = fileURLToPath(new URL('../web/dist', import.meta.url));

/**
 * The console loads nothing from elsewhere (the machines are offline): scripts and styles from
 * its own files only, audio previews as same-origin files or blobs (a microphone recording).
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const consoleRoutes: FastifyPluginAsync<{ root?: string }> = async (app, options) => {
  const root = options.root ?? CONSOLE_DIR;
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ root }, 'the console is not built: run `npm run build:console`');
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.status(503).type('text/plain; charset=utf-8').send('The console is not built yet: run `npm run build:console` and restart.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // Files are looked up per request, so a rebuild is served without a restart.
    wildcard: true,
    index: ['index.html'],
    preCompressed: true,
    schemaHide: true,
    cacheControl: false,
    allowedPath: (pathName) => !pathName.endsWith('.build-hash'),
    setHeaders: (reply, filePath) => {
      const name = path.basename(filePath);
      if (filePath.includes(`${path.sep}assets${path.sep}`)) {
        void reply.header('cache-control', 'public, max-age=31536000, immutable');
      } else if (name.startsWith('index.html')) {
        void reply.header('cache-control', 'no-cache');
        void reply.header('content-security-policy', CONSOLE_CSP);
      } else {
        void reply.header('cache-control', 'public, max-age=86400');
      }
    },
  });
};
