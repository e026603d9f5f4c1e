/**
 * What the server costs with a number of receivers connected and sending telemetry: resident
 * memory, CPU (share of one core) and event-loop delay over a quiet window.
 */
import type { BenchServer } from '../bench-server.js';

export interface FootprintResult {
  readonly connected: number;
  readonly rssMb: number;
  readonly cpuPercent: number;
  readonly eventLoopDelayP99Ms: number;
  readonly windowSeconds: number;
}

export async function runFootprint(server: BenchServer, connected: number, windowMs: number): Promise<FootprintResult> {
  const before = await server.sample();
  const startedAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await server.sample();
  const seconds = (performance.now() - startedAt) / 1000;
  return {
    connected,
    rssMb: Math.round(after.rssBytes / 2 ** 20),
    cpuPercent: Math.round(((after.cpuSeconds - before.cpuSeconds) / seconds) * 1000) / 10,
    eventLoopDelayP99Ms: Math.round(after.eventLoopDelayP99Ms * 10) / 10,
    windowSeconds: Math.round(seconds),
  };
}
