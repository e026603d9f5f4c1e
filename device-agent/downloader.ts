/**
 * Gets a play's audio into the cache: reuse a cached file (verified once per process), otherwise
 * download to a temp file while hashing, check byte length and sha256, and only then move it into
 * the cache. A bad download is retried with backoff; after the last attempt the play fails with
 * the reason. Concurrent plays of the same file share one download.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { AudioRef } from '../protocol/index.js';
import type { AudioCache } from './audio-cache.js';

export interface PreparedAudio {
  readonly path: string;
  readonly fromCache: boolean;
}

/** What the timeline asks for: a pinned, verified local file for an audio ref. */
export interface AudioSource {
  prepare(ref: AudioRef): { readonly ready: Promise<PreparedAudio>; release(): void };
}

/** What the agent reads of an HTTP response: global fetch's Response and undici's (tls-trust.ts) both fit. */
export interface HttpResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly body: (AsyncIterable<Uint8Array> & { cancel(): Promise<void> }) | null;
  json(): Promise<unknown>;
}

export type FetchLike = (url: string, init: { signal: AbortSignal }) => Promise<HttpResponse>;

export interface DownloaderOptions {
  readonly cache: AudioCache;
  readonly logger: Logger;
  readonly fetch?: FetchLike;
  /** Total attempts per download (spec: 3). */
  readonly attempts?: number;
  /** Backoff before attempt n+1 is backoffMs × 2^(n−1). */
  readonly backoffMs?: number;
  /** Per attempt, for the whole body. */
  readonly timeoutMs?: number;
}

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

export class Downloader implements AudioSource {
  private readonly inFlight = new Map<string, Promise<PreparedAudio>>();
  private readonly lifetime = new AbortController();

  constructor(private readonly options: DownloaderOptions) {}

  prepare(ref: AudioRef): { ready: Promise<PreparedAudio>; release(): void } {
    const release = this.options.cache.pin(ref.sha256);
    return { ready: this.ensure(ref), release };
  }

  /** Resolves with a verified local path; rejects with DownloadError after the last failed attempt. */
  ensure(ref: AudioRef): Promise<PreparedAudio> {
    let pending = this.inFlight.get(ref.sha256);
    if (!pending) {
      pending = this.ensureUncoalesced(ref).finally(() => this.inFlight.delete(ref.sha256));
      this.inFlight.set(ref.sha256, pending);
    }
    return pending;
  }

  /** Aborts downloads in progress (agent stop). */
  close(): void {
    this.lifetime.abort();
  }

  private async ensureUncoalesced(ref: AudioRef): Promise<PreparedAudio> {
    const { cache, logger } = this.options;
    if (cache.has(ref.sha256)) {
      const cachedPath = cache.pathOf(ref.sha256);
      if (cache.isVerified(ref.sha256) || (await this.verifyCached(ref, cachedPath))) {
        cache.markVerified(ref.sha256);
        cache.touch(ref.sha256);
        return { path: cachedPath, fromCache: true };
      }
      logger.warn({ sha256: ref.sha256 }, 'cached audio failed verification; downloading it again');
      await cache.remove(ref.sha256);
    }
    const attempts = this.options.attempts ?? 3;
    const backoffMs = this.options.backoffMs ?? 1_000;
    let lastError = 'unknown error';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.lifetime.signal.aborted) throw new DownloadError('agent stopping');
      try {
        const temp = await this.downloadOnce(ref);
        const finalPath = await cache.commit(ref.sha256, temp, ref.bytes);
        logger.debug({ sha256: ref.sha256, bytes: ref.bytes, attempt }, 'audio downloaded');
        return { path: finalPath, fromCache: false };
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        logger.warn({ url: ref.url, sha256: ref.sha256, attempt, attempts, reason: lastError }, 'audio download failed');
      }
      if (attempt < attempts) await this.sleep(backoffMs * 2 ** (attempt - 1));
    }
    // Reason vocabulary of docs/protocol.md: `sha256 mismatch…` or `download failed: …`.
    const reason = lastError.startsWith('sha256 mismatch') ? lastError : `download failed: ${lastError}`;
    throw new DownloadError(`${reason} (${attempts} attempts)`);
  }

  private async downloadOnce(ref: AudioRef): Promise<string> {
    const fetchFn = this.options.fetch ?? ((url, init) => fetch(url, init));
    const signal = AbortSignal.any([this.lifetime.signal, AbortSignal.timeout(this.options.timeoutMs ?? 120_000)]);
    const temp = this.options.cache.newTempPath();
    const file = await open(temp, 'w');
    try {
      const response = await fetchFn(ref.url, { signal });
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`HTTP ${response.status} from ${ref.url}`);
      }
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of response.body) {
        bytes += chunk.byteLength;
        // Stop early: a wrong or hostile URL must not fill the disk.
        if (bytes > ref.bytes) throw new Error(`size mismatch: more than the expected ${ref.bytes} bytes`);
        hash.update(chunk);
        await file.write(chunk);
      }
      if (bytes !== ref.bytes) throw new Error(`size mismatch: expected ${ref.bytes} bytes, got ${bytes}`);
      const digest = hash.digest('hex');
      if (digest !== ref.sha256) throw new Error(`sha256 mismatch: expected ${ref.sha256}, got ${digest}`);
      await file.sync();
      await file.close();
      return temp;
    } catch (error) {
      await file.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  private async verifyCached(ref: AudioRef, filePath: string): Promise<boolean> {
    if (this.options.cache.bytesOf(ref.sha256) !== ref.bytes) return false;
    try {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
      return hash.digest('hex') === ref.sha256;
    } catch {
      return false;
    }
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.lifetime.signal;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
