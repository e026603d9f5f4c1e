/**
 * Keeps the config's attention signals downloaded and pinned in the audio cache, so an emergency
 * starts with sound while its message is still downloading (sound first: docs/DESIGN "Things that
 * make this product good"). A lease is held per file (by sha256) until a config no longer lists it.
 * A failed download holds nothing, so the next update() (the next config, or a reconnect) tries again.
 * No MQTT, no disk of its own: the audio source is injected (fleet simulator, tests).
 */
import type { Logger } from 'pino';
import type { SignalRef } from '../protocol/index.js';
import type { AudioSource } from './downloader.js';

interface Lease {
  readonly name: string;
  readonly release: () => void;
  cached: boolean;
}

export class PinnedSignals {
  private readonly leases = new Map<string, Lease>();
  private closed = false;

  constructor(
    private readonly audio: AudioSource,
    private readonly logger: Logger,
  ) {}

  /** Fetches and pins every listed signal not held yet, and unpins the ones no longer listed. */
  update(signals: readonly SignalRef[]): void {
    if (this.closed) return;
    const wanted = new Map(signals.map((signal) => [signal.audio.sha256, signal]));
    for (const [sha256, lease] of this.leases) {
      if (wanted.has(sha256)) continue;
      this.drop(sha256, lease);
      this.logger.info({ signal: lease.name, sha256 }, 'attention signal no longer listed; unpinned');
    }
    for (const [sha256, signal] of wanted) {
      if (this.leases.has(sha256)) continue;
      const prepared = this.audio.prepare(signal.audio);
      const lease: Lease = { name: signal.name, release: prepared.release, cached: false };
      this.leases.set(sha256, lease);
      prepared.ready.then(
        (result) => {
          if (this.leases.get(sha256) !== lease) return;
          lease.cached = true;
          this.logger.info({ signal: signal.name, sha256, fromCache: result.fromCache }, 'attention signal cached');
        },
        (error: unknown) => {
          if (this.leases.get(sha256) !== lease) return;
          this.drop(sha256, lease);
          if (this.closed) return;
          this.logger.warn(
            { signal: signal.name, sha256, reason: error instanceof Error ? error.message : String(error) },
            'attention signal not cached; will try again with the next config or reconnect',
          );
        },
      );
    }
  }

  /** sha256 of the signals held (downloading or cached), for diagnostics and tests. */
  held(): { readonly sha256: string; readonly name: string; readonly cached: boolean }[] {
    return [...this.leases].map(([sha256, lease]) => ({ sha256, name: lease.name, cached: lease.cached }));
  }

  /** Agent stop: lets every pin go. */
  close(): void {
    this.closed = true;
    for (const [sha256, lease] of this.leases) this.drop(sha256, lease);
  }

  private drop(sha256: string, lease: Lease): void {
    this.leases.delete(sha256);
    lease.release();
  }
}
