/** Summaries of measured values: the percentiles every benchmark figure is reported with. */

export interface Distribution {
  /** Values summarised (receivers that reported, say). */
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles (no interpolation: every figure is a value that was measured). */
export function distribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const round = (value: number) => Math.round(value * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]!) };
}

export function median(values: readonly number[]): number {
  return distribution(values)?.p50 ?? Number.NaN;
}

/** A figure as the sentinel receivers saw it (a receiver's view) and over the whole simulated fleet. */
export interface Split {
  readonly sentinels: Distribution | null;
  readonly all: Distribution | null;
}

export function split<T extends { readonly sentinel: boolean }>(items: readonly T[], value: (item: T) => number | undefined): Split {
  const values = (subset: readonly T[]) => subset.flatMap((item) => {
    const measured = value(item);
    return measured === undefined ? [] : [measured];
  });
  return { sentinels: distribution(values(items.filter((item) => item.sentinel))), all: distribution(values(items)) };
}
