/** Runs a real device agent as a child process, the way a receiver runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface AgentProcessOptions {
  readonly brokerUrl: string;
  readonly deviceId: string;
  readonly token: string;
  readonly dataDir: string;
  readonly playLog: string;
  readonly topicRoot?: string;
  readonly env?: Record<string, string>;
}

export interface PlayLogLine {
  readonly broadcastId: string;
  readonly sha256: string;
  readonly startedAt: number;
  /** The OS clock when playback started, never skewed: the true start time on this machine. */
  readonly systemTime: number;
  readonly endedAt: number;
  readonly outcome: 'completed' | 'interrupted';
}

export interface AgentProcess {
  readonly child: ChildProcess;
  output(): string;
  plays(): Promise<PlayLogLine[]>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startAgentProcess(options: AgentProcessOptions): AgentProcess {
  const args = [
    '--import',
    'tsx',
    path.join(root, 'device-agent', 'main.ts'),
    '--broker-url',
    options.brokerUrl,
    '--device-id',
    options.deviceId,
    '--data-dir',
    options.dataDir,
    '--player',
    `file:${options.playLog}`,
  ];
  if (options.topicRoot) args.push('--topic-root', options.topicRoot);
  const child = spawn(process.execPath, args, {
    cwd: root,
    // The token goes through the environment, never the command line (visible in `ps`).
    env: { ...process.env, AGENT_TOKEN: options.token, AGENT_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    plays: async () => {
      const text = await readFile(options.playLog, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as PlayLogLine);
    },
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
