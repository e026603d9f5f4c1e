import { defineConfig } from 'vitest/config';

/**
 * Files that assert start times within 30 ms run one at a time, after everything else: on two cores
 * a neighbouring file's ffmpeg or agent processes could otherwise delay a receiver by that much,
 * and the tests would measure the machine rather than the product.
 */
const TIMING = [
  'test/integration/scheduling/synchronized-start.test.ts',
  'test/integration/scheduling/broker-outage.test.ts',
  'test/integration/agent/start-time.test.ts',
  // A server restarted within a 12 s window before the start: a loaded neighbour can eat the window.
  'test/integration/scheduling/server-restart.test.ts',
  // Twenty agents asserting the siren within 1.5 s of the request.
  'test/e2e/emergency-fleet.test.ts',
];

const shared = {
  globalSetup: ['test/helpers/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: TIMING,
          // Two cores, but files spend much of their time waiting for real playback: three at once keep both busy.
          maxWorkers: 3,
          // Files share a worker's loaded modules (each builds its own server): importing the server anew for every file cost minutes.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'timing',
          include: TIMING,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
