import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AudioRef } from '../../../protocol/index.js';
import { AudioCache } from '../../../device-agent/audio-cache.js';
import { DownloadError, Downloader } from '../../../device-agent/downloader.js';
import { silentLogger, tempDir } from './helpers.js';

interface Asset {
  body: Buffer;
  /** Served instead of `body` for the first n requests. */
  badFirst?: { count: number; status?: number; body?: Buffer };
}

const assets = new Map<string, Asset>();
const hits = new Map<string, number>();
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const name = req.url ?? '';
    const count = (hits.get(name) ?? 0) + 1;
    hits.set(name, count);
    const asset = assets.get(name);
    if (!asset) {
      res.writeHead(404).end();
      return;
    }
    if (asset.badFirst && count <= asset.badFirst.count) {
      res.writeHead(asset.badFirst.status ?? 200).end(asset.badFirst.body ?? Buffer.alloc(0));
      return;
    }
    res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(asset.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function serve(name: string, size = 1000, badFirst?: Asset['badFirst']): AudioRef {
  const body = randomBytes(size);
  assets.set(`/${name}`, { body, badFirst });
  hits.set(`/${name}`, 0);
  return {
    url: `${baseUrl}/${name}`,
    sha256: createHash('sha256').update(body).digest('hex'),
    bytes: size,
    durationMs: 1000,
    mime: 'audio/mpeg',
  };
}

describe('audio cache and downloader', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  async function setup(maxBytes = 10_000_000) {
    const cache = new AudioCache({ dir, maxBytes, logger: silentLogger });
    await cache.open();
    const downloader = new Downloader({ cache, logger: silentLogger, backoffMs: 10 });
    return { cache, downloader };
  }

  it('downloads, verifies and stores by sha256; a second request is served from the cache', async () => {
    const { cache, downloader } = await setup();
    const ref = serve('a.mp3');
    const first = await downloader.ensure(ref);
    expect(first).toEqual({ path: cache.pathOf(ref.sha256), fromCache: false });
    expect(createHash('sha256').update(await readFile(first.path)).digest('hex')).toBe(ref.sha256);
    const second = await downloader.ensure(ref);
    expect(second.fromCache).toBe(true);
    expect(hits.get('/a.mp3')).toBe(1);
    expect(cache.stats()).toEqual({ bytes: 1000, files: 1 });
  });

  it('shares one download between concurrent requests for the same file', async () => {
    const { downloader } = await setup();
    const ref = serve('shared.mp3');
    const results = await Promise.all([downloader.ensure(ref), downloader.ensure(ref), downloader.ensure(ref)]);
    expect(results.map((r) => r.fromCache)).toEqual([false, false, false]);
    expect(hits.get('/shared.mp3')).toBe(1);
  });

  it('retries a sha256 mismatch and then fails with the reason, keeping nothing', async () => {
    const { cache, downloader } = await setup();
    const ref = serve('bad.mp3');
    // Right length, wrong bytes, every time.
    assets.get('/bad.mp3')!.badFirst = { count: 99, body: randomBytes(ref.bytes) };
    const error = await downloader.ensure(ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(/^sha256 mismatch: expected [0-9a-f]{64}, got [0-9a-f]{64} \(3 attempts\)$/);
    expect(hits.get('/bad.mp3')).toBe(3);
    expect(cache.has(ref.sha256)).toBe(false);
    expect(await readdir(cache.tempDir)).toEqual([]);
    expect((await readdir(dir)).filter((n) => n !== 'tmp')).toEqual([]);
  });

  it('rejects a wrong length, and recovers when a retry gets the right file', async () => {
    const { downloader } = await setup();
    const ref = serve('flaky.mp3', 1000, { count: 2, body: randomBytes(10) });
    const result = await downloader.ensure(ref);
    expect(result.fromCache).toBe(false);
    expect(hits.get('/flaky.mp3')).toBe(3);

    const short = serve('short.mp3', 1000, { count: 99, body: randomBytes(999) });
    await expect(downloader.ensure(short)).rejects.toThrow(/^download failed: size mismatch: expected 1000 bytes, got 999 \(3 attempts\)$/);
    const http = serve('missing.mp3', 1000, { count: 99, status: 503 });
    await expect(downloader.ensure(http)).rejects.toThrow(/^download failed: HTTP 503 from .* \(3 attempts\)$/);
  });

  it('evicts least recently used files over the cap, never a pinned one', async () => {
    const { cache, downloader } = await setup(2_500);
    const a = serve('lru-a.mp3');
    const b = serve('lru-b.mp3');
    const c = serve('lru-c.mp3');
    const d = serve('lru-d.mp3');
    const pinA = downloader.prepare(a);
    await pinA.ready; // A: oldest, but pinned by an upcoming play
    await downloader.ensure(b);
    await downloader.ensure(c); // 3000 > 2500: B is the oldest unpinned
    expect([cache.has(a.sha256), cache.has(b.sha256), cache.has(c.sha256)]).toEqual([true, false, true]);
    expect(cache.stats().bytes).toBe(2_000);

    pinA.release();
    await downloader.ensure(a); // reuse makes A the most recent
    await downloader.ensure(d); // now C is the least recently used
    expect([cache.has(a.sha256), cache.has(c.sha256), cache.has(d.sha256)]).toEqual([true, false, true]);
  });

  it('stays over the cap rather than evict files every upcoming play needs', async () => {
    const { cache, downloader } = await setup(1_500);
    const a = serve('pin-a.mp3');
    const b = serve('pin-b.mp3');
    const pins = [downloader.prepare(a), downloader.prepare(b)];
    await Promise.all(pins.map((p) => p.ready));
    expect(cache.stats()).toEqual({ bytes: 2_000, files: 2 });
  });

  it('re-verifies a cached file after a restart and downloads it again if it was corrupted on disk', async () => {
    const first = await setup();
    const ref = serve('disk.mp3');
    await first.downloader.ensure(ref);
    await writeFile(first.cache.pathOf(ref.sha256), randomBytes(1000));

    const { downloader } = await setup(); // a new process: reopen the same directory
    const result = await downloader.ensure(ref);
    expect(result.fromCache).toBe(false);
    expect(hits.get('/disk.mp3')).toBe(2);
    expect(createHash('sha256').update(await readFile(result.path)).digest('hex')).toBe(ref.sha256);

    const again = await setup();
    expect(again.cache.stats().files).toBe(1);
    expect((await again.downloader.ensure(ref)).fromCache).toBe(true);
  });
});
