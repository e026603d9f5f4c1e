/**
 * What a benchmark run measures, at full scale (by hand, results committed) or quick (CI: every
 * scenario at a small size, so the benchmark cannot rot).
 */
export interface BenchPlan {
  readonly quick: boolean;
  /** Receivers connected at each stage; the server's footprint is measured at every one. */
  readonly stages: readonly number[];
  /** Stages at which an emergency goes to every connected receiver. */
  readonly emergencyAt: readonly number[];
  /** The stage of the scheduled broadcast (start skew, burst of reports), and of the Mosquitto / PostgreSQL comparison. */
  readonly compareAt: number;
  readonly receiversPerCommune: number;
  readonly emergencyMessageSeconds: number;
  readonly scheduledMessageSeconds: number;
  readonly scheduledLeadMs: number;
  readonly footprintWindowMs: number;
  readonly renderSeconds: number;
  readonly renderColdRuns: number;
  readonly renderCachedRuns: number;
  readonly receiversPerProcess: number;
  readonly startPerSecond: number;
  /** Clock re-syncs per second before the scheduled broadcast (8 time requests each). */
  readonly resyncPerSecond: number;
  /** Every n-th receiver is a sentinel, in a process of its own (see bench/fleet/fleet.ts). */
  readonly sentinelEvery: number;
}

export const FULL_PLAN: BenchPlan = {
  quick: false,
  stages: [1_000, 5_000, 10_000],
  emergencyAt: [1_000, 5_000, 10_000],
  compareAt: 5_000,
  receiversPerCommune: 1_000,
  emergencyMessageSeconds: 30,
  scheduledMessageSeconds: 5,
  scheduledLeadMs: 20_000,
  footprintWindowMs: 30_000,
  renderSeconds: 60,
  renderColdRuns: 3,
  renderCachedRuns: 5,
  receiversPerProcess: 2_500,
  startPerSecond: 400,
  resyncPerSecond: 250,
  sentinelEvery: 50,
};

export const QUICK_PLAN: BenchPlan = {
  quick: true,
  stages: [20, 40],
  emergencyAt: [40],
  compareAt: 40,
  receiversPerCommune: 20,
  emergencyMessageSeconds: 4,
  scheduledMessageSeconds: 2,
  scheduledLeadMs: 6_000,
  footprintWindowMs: 3_000,
  renderSeconds: 60,
  renderColdRuns: 1,
  renderCachedRuns: 2,
  receiversPerProcess: 2_500,
  startPerSecond: 100,
  resyncPerSecond: 50,
  sentinelEvery: 5,
};

/** The targets the issue set for this 2-core machine, checked against a full run. */
export interface Target {
  readonly name: string;
  readonly limit: number;
  readonly unit: string;
}
