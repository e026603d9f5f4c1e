/** The server as a real process (npm start), for tests that kill and restart it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './api-client.js';

const root = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  readonly url: string;
  output(): string;
  /** Waits until /readyz answers 200. */
  ready(timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The env must name DATA_DIR; SCHEDULES_DIR defaults to an empty folder inside it. `nodeArgs`: e.g. `--cpu-prof` (the benchmark's profiling). */
export function startServerProcess(env: Record<string, string>, httpPort: number, nodeArgs: readonly string[] = []): ServerProcess {
  const schedulesDir = env.SCHEDULES_DIR ?? path.join(env.DATA_DIR ?? '.', 'schedules');
  mkdirSync(schedulesDir, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(root, 'server', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      SCHEDULES_DIR: schedulesDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${httpPort}`;
  return {
    url,
    output: () => output,
    ready: async (timeoutMs = 30_000) => {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
          return (await fetch(`${url}/readyz`)).status === 200;
        },
        { timeoutMs, what: `server on ${url} ready` },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${output}`);
      });
    },
    kill: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
