/**
 * Content-addressed audio files on disk: `<dir>/<sha256>`, with a byte cap and least-recently-used
 * eviction. A file an upcoming play needs is pinned and never evicted, even when that leaves the
 * cache over its cap for a while (a missed broadcast is worse than a full disk quota).
 * Files only enter through commit() after the downloader verified their hash, and are re-verified
 * once per process on first reuse, so a file corrupted on disk is never played.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

const SHA256_NAME = /^[0-9a-f]{64}$/;

export interface AudioCacheOptions {
  readonly dir: string;
  readonly maxBytes: number;
  readonly logger: Logger;
}

export interface CacheStats {
  readonly bytes: number;
  readonly files: number;
}

export class AudioCache {
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, number>();
  private readonly pins = new Map<string, number>();
  private readonly verified = new Set<string>();
  private totalBytes = 0;

  constructor(private readonly options: AudioCacheOptions) {}

  get tempDir(): string {
    return path.join(this.options.dir, 'tmp');
  }

  /** Scans the directory (oldest use first, from mtimes) and clears temp files of an interrupted download. */
  async open(): Promise<void> {
    await rm(this.tempDir, { recursive: true, force: true });
    await mkdir(this.tempDir, { recursive: true });
    const found: { sha: string; bytes: number; mtimeMs: number }[] = [];
    for (const name of await readdir(this.options.dir)) {
      if (!SHA256_NAME.test(name)) continue;
      const info = await stat(path.join(this.options.dir, name)).catch(() => null);
      if (info?.isFile()) found.push({ sha: name, bytes: info.size, mtimeMs: info.mtimeMs });
    }
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    this.entries.clear();
    this.totalBytes = 0;
    for (const file of found) {
      this.entries.set(file.sha, file.bytes);
      this.totalBytes += file.bytes;
    }
    await this.evict();
  }

  has(sha256: string): boolean {
    return this.entries.has(sha256);
  }

  pathOf(sha256: string): string {
    return path.join(this.options.dir, sha256);
  }

  bytesOf(sha256: string): number | undefined {
    return this.entries.get(sha256);
  }

  isVerified(sha256: string): boolean {
    return this.verified.has(sha256);
  }

  markVerified(sha256: string): void {
    this.verified.add(sha256);
  }

  /** Protects a file (present or still to come) from eviction until the returned release is called. */
  pin(sha256: string): () => void {
    this.pins.set(sha256, (this.pins.get(sha256) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = (this.pins.get(sha256) ?? 1) - 1;
      if (count <= 0) this.pins.delete(sha256);
      else this.pins.set(sha256, count);
    };
  }

  isPinned(sha256: string): boolean {
    return this.pins.has(sha256);
  }

  /** Marks a file used now (moves it to the recent end; mtime keeps the order across restarts). */
  touch(sha256: string): void {
    const bytes = this.entries.get(sha256);
    if (bytes === undefined) return;
    this.entries.delete(sha256);
    this.entries.set(sha256, bytes);
    const now = new Date();
    utimes(this.pathOf(sha256), now, now).catch(() => {});
  }

  newTempPath(): string {
    return path.join(this.tempDir, `${Date.now()}-${randomBytes(6).toString('hex')}`);
  }

  /** Moves a verified temp file into the cache and evicts to the cap. */
  async commit(sha256: string, tempFile: string, bytes: number): Promise<string> {
    const target = this.pathOf(sha256);
    await rename(tempFile, target);
    const previous = this.entries.get(sha256);
    if (previous !== undefined) this.totalBytes -= previous;
    this.entries.delete(sha256);
    this.entries.set(sha256, bytes);
    this.totalBytes += bytes;
    this.verified.add(sha256);
    await this.evict();
    return target;
  }

  async remove(sha256: string): Promise<void> {
    const bytes = this.entries.get(sha256);
    if (bytes === undefined) return;
    this.entries.delete(sha256);
    this.verified.delete(sha256);
    this.totalBytes -= bytes;
    await unlink(this.pathOf(sha256)).catch(() => {});
  }

  stats(): CacheStats {
    return { bytes: this.totalBytes, files: this.entries.size };
  }

  private async evict(): Promise<void> {
    if (this.totalBytes <= this.options.maxBytes) return;
    for (const [sha256, bytes] of [...this.entries]) {
      if (this.totalBytes <= this.options.maxBytes) break;
      if (this.pins.has(sha256)) continue;
      this.options.logger.debug({ sha256, bytes }, 'evicting cached audio');
      await this.remove(sha256);
    }
    if (this.totalBytes > this.options.maxBytes) {
      this.options.logger.warn(
        { cacheBytes: this.totalBytes, maxBytes: this.options.maxBytes },
        'audio cache over its cap: every remaining file is needed by an upcoming play',
      );
    }
  }
}
