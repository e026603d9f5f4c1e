/**
 * Playback backed by child processes (ffplay, or ffmpeg piped into aplay). stop() sends SIGTERM and,
 * if a process ignores it, SIGKILL a second later, so a preempting emergency is never blocked by a
 * hung player.
 */
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Playback, PlaybackOutcome } from './player.js';

const KILL_GRACE_MS = 1_000;

export class PlayerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlayerError';
  }
}

/**
 * Wraps processes that together play one file; the last one is the audio sink. Resolves `completed`
 * when the sink exits 0, `interrupted` after stop(), and rejects (with the sink's stderr tail) otherwise.
 */
export function processPlayback(processes: readonly ChildProcess[], label: string): Playback {
  let stopped = false;
  const sink = processes[processes.length - 1]!;
  let stderr = '';
  for (const child of processes) {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-500);
    });
  }
  const done = new Promise<PlaybackOutcome>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: PlaybackOutcome | Error) => {
      if (settled) return;
      settled = true;
      for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    for (const child of processes) {
      child.on('error', (error) => settle(stopped ? 'interrupted' : new PlayerError(`${label} could not run: ${error.message}`)));
    }
    sink.on('close', (code, signal) => {
      if (stopped) settle('interrupted');
      else if (code === 0) settle('completed');
      else settle(new PlayerError(`${label} exited with ${signal ?? `code ${code}`}${stderr ? `: ${stderr.trim()}` : ''}`));
    });
  });
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const child of processes) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killer.unref();
      child.once('close', () => clearTimeout(killer));
    }
  };
  return { done, stop };
}

/** Full path of an executable found on PATH, or null. */
export async function findOnPath(command: string, envPath = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
