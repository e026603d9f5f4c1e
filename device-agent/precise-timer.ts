/**
 * Timers on the server clock with millisecond precision. setTimeout alone fires late by the event
 * loop's lag (often 1–15 ms, more under load), and speakers within earshot must start within ~20 ms
 * of each other, so: a coarse timer to ~30 ms before the target, then a setImmediate spin that checks
 * the clock every loop turn. Targets are re-read from the clock on every wake-up, so a clock re-sync
 * between scheduling and firing moves the start with it.
 */
import type { Clock } from './clock.js';

export interface Timers {
  /** Calls `fn` once the server clock reaches `at` (immediately if already past). Returns a cancel function. */
  at(at: number, fn: () => void): () => void;
  /** Cancels everything. */
  clear(): void;
}

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Spin window before a target. */
const SPIN_MS = 30;
/** Coarse timers never sleep longer than this, so an offset change is noticed. */
const MAX_SLEEP_MS = 60_000;

export class PreciseTimers implements Timers {
  private entries: Entry[] = [];
  private seq = 0;
  private sleep: NodeJS.Timeout | undefined;
  private spin: NodeJS.Immediate | undefined;

  constructor(private readonly clock: Clock) {}

  at(at: number, fn: () => void): () => void {
    const entry: Entry = { at, fn, seq: this.seq++ };
    // Sorted insert; ties keep scheduling order.
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.at > at) i--;
    this.entries.splice(i, 0, entry);
    this.arm();
    return () => {
      const index = this.entries.indexOf(entry);
      if (index >= 0) {
        this.entries.splice(index, 1);
        this.arm();
      }
    };
  }

  clear(): void {
    this.entries = [];
    this.disarm();
  }

  private disarm(): void {
    clearTimeout(this.sleep);
    if (this.spin) clearImmediate(this.spin);
    this.sleep = undefined;
    this.spin = undefined;
  }

  private arm(): void {
    this.disarm();
    const next = this.entries[0];
    if (!next) return;
    const remaining = next.at - this.clock.now();
    if (remaining > SPIN_MS) {
      this.sleep = setTimeout(() => this.arm(), Math.min(remaining - SPIN_MS, MAX_SLEEP_MS));
    } else {
      this.spin = setImmediate(() => this.tick());
    }
  }

  private tick(): void {
    this.spin = undefined;
    const now = this.clock.now();
    // Fire everything due in this turn together, so plays due at the same instant are seen together.
    const due: Entry[] = [];
    while (this.entries.length > 0 && this.entries[0]!.at <= now) due.push(this.entries.shift()!);
    for (const entry of due) entry.fn();
    if (!this.spin && !this.sleep) this.arm();
  }
}
