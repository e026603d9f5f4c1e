/** A Mosquitto broker of the test's own, on a free port, that the test can stop and start again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, waitForPort } from './free-port.js';

export const MOSQUITTO_BINARY =
  ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/opt/homebrew/sbin/mosquitto'].find((p) => existsSync(p)) ?? 'mosquitto';

export interface MosquittoOptions {
  readonly dir: string;
  readonly port?: number;
  /** Extra configuration lines (password_file, acl_file…); without them anonymous clients are allowed. */
  readonly lines?: readonly string[];
}

export interface MosquittoProcess {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  /** SIGHUP: Mosquitto reloads its configuration, password file and ACL. */
  reload(): void;
  /** SIGKILL: the broker vanishes as on a power cut, keeping nothing. */
  kill(): Promise<void>;
}

export async function mosquittoProcess(options: MosquittoOptions): Promise<MosquittoProcess> {
  const port = options.port ?? (await freePort());
  const conf = path.join(options.dir, `mosquitto-${port}.conf`);
  const lines = options.lines ?? ['allow_anonymous true'];
  await writeFile(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      ...lines,
      'persistence false',
      'log_dest none',
      // Mosquitto started as root drops to its own user, which could not read the test's files.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    start: async () => {
      child = spawn(MOSQUITTO_BINARY, ['-c', conf], { stdio: 'ignore' });
      await waitForPort(port);
    },
    reload: () => {
      if (!child || child.exitCode !== null) throw new Error('mosquitto is not running');
      child.kill('SIGHUP');
    },
    kill: async () => {
      const running = child;
      if (!running || running.exitCode !== null) return;
      await new Promise((resolve) => {
        running.once('exit', resolve);
        running.kill('SIGKILL');
      });
    },
  };
}
