/**
 * A fleet of simulated receivers spread over a few worker processes (fleet-worker.ts), each
 * receiver a real DeviceAgent with its own credentials. Receivers can be added in stages (1,000,
 * then 5,000…) and what they reported about a broadcast collected from every worker.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ReceiverCredential, ReceiverPlay, ToWorker, WorkerSettings, WorkerStatus } from './fleet-messages.js';

const WORKER = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));
/** By URL, so workers load TypeScript whatever directory the fleet was started from. */
const TSX_LOADER = import.meta.resolve('tsx');

export interface FleetOptions extends Omit<WorkerSettings, 'startPerSecond'> {
  /** Worker processes; receivers are dealt to them in turn. */
  readonly processes: number;
  /**
   * Every n-th receiver runs in a process of its own with few others (0: none). Thousands of
   * receivers in one process wait for each other's work, which real receivers never do; these
   * sentinels see the server and broker as a receiver in the field does, and the fleet is the load.
   */
  readonly sentinelEvery?: number;
  /** Receivers started per second across the whole fleet. */
  readonly startPerSecond: number;
  /** Heap limit of each worker (MiB): thousands of MQTT sessions per process need more than the default. */
  readonly workerHeapMb?: number;
}

export interface FleetStatus extends WorkerStatus {
  readonly processes: number;
}

export interface FleetPlay extends ReceiverPlay {
  /** Measured by a sentinel receiver (see FleetOptions.sentinelEvery). */
  readonly sentinel: boolean;
}

interface Worker {
  readonly child: ChildProcess;
  readonly sentinel: boolean;
  readonly pending: Map<number, (message: FromWorker) => void>;
  error?: string;
}

export class Fleet {
  private readonly workers: Worker[] = [];
  private nextRequest = 1;
  private dealt = 0;
  private bulkDealt = 0;

  constructor(private readonly options: FleetOptions) {}

  start(): void {
    const sentinels = (this.options.sentinelEvery ?? 0) > 0 ? 1 : 0;
    for (let index = 0; index < this.options.processes + sentinels; index++) {
      const child = fork(WORKER, [], {
        execArgv: ['--import', TSX_LOADER, `--max-old-space-size=${this.options.workerHeapMb ?? 4096}`],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const worker: Worker = { child, pending: new Map(), sentinel: index === this.options.processes };
      child.on('message', (message: FromWorker) => {
        if (message.type === 'error') worker.error = message.message;
        if ('requestId' in message) {
          worker.pending.get(message.requestId)?.(message);
          worker.pending.delete(message.requestId);
        }
      });
      child.on('exit', (code) => {
        if (code !== 0 && code !== null) worker.error ??= `worker exited with code ${code}`;
        for (const resolve of worker.pending.values()) resolve({ type: 'error', message: worker.error ?? 'worker exited' });
        worker.pending.clear();
      });
      this.workers.push(worker);
    }
  }

  /** Starts these receivers (in the background, at the configured rate); see waitUntilConnected(). */
  add(receivers: readonly ReceiverCredential[]): void {
    const shares: ReceiverCredential[][] = this.workers.map(() => []);
    const every = this.options.sentinelEvery ?? 0;
    const bulk = this.workers.filter((worker) => !worker.sentinel).length;
    for (const receiver of receivers) {
      const sentinel = every > 0 && this.dealt++ % every === 0;
      shares[sentinel ? this.workers.length - 1 : this.bulkDealt++ % bulk]!.push(receiver);
    }
    const perWorkerRate = this.options.startPerSecond / this.workers.length;
    const settings: WorkerSettings = { ...this.options, startPerSecond: perWorkerRate };
    this.workers.forEach((worker, index) => {
      if (shares[index]!.length > 0) this.tell(worker, { type: 'add', settings, receivers: shares[index]! });
    });
  }

  async status(): Promise<FleetStatus> {
    const statuses = await Promise.all(this.workers.map((worker) => this.ask<Extract<FromWorker, { type: 'status' }>>(worker, (requestId) => ({ type: 'status', requestId }))));
    return statuses.reduce<FleetStatus>(
      (total, { status }) => ({
        processes: total.processes,
        started: total.started + status.started,
        connected: total.connected + status.connected,
        eventsPublished: total.eventsPublished + status.eventsPublished,
        clocksSynced: total.clocksSynced + status.clocksSynced,
        rssBytes: total.rssBytes + status.rssBytes,
      }),
      { processes: this.workers.length, started: 0, connected: 0, eventsPublished: 0, clocksSynced: 0, rssBytes: 0 },
    );
  }

  /** Resolves once `count` receivers are connected with synced clocks; rejects after `timeoutMs`. */
  async waitUntilConnected(count: number, timeoutMs: number, onProgress?: (status: FleetStatus) => void): Promise<FleetStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const failed = this.workers.find((worker) => worker.error);
      if (failed) throw new Error(`fleet worker failed: ${failed.error}`);
      const status = await this.status();
      onProgress?.(status);
      if (status.connected >= count && status.clocksSynced >= count) return status;
      if (Date.now() > deadline) throw new Error(`only ${status.connected} of ${count} receivers connected (${status.clocksSynced} clocks synced) after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /**
   * Every receiver measures its clock again, at `perSecond` across the fleet. Their first sync
   * happened while the whole fleet was starting at once, a load no real receiver sees; in the
   * field each re-syncs every few minutes at its own moment.
   */
  async resyncClocks(perSecond: number): Promise<void> {
    const share = perSecond / Math.max(1, this.workers.length);
    await Promise.all(this.workers.map((worker) => this.ask(worker, (requestId) => ({ type: 'resync', requestId, perSecond: share }))));
  }

  /** Every receiver's record of the broadcast; with `startAt`, also when each one's start timer fired. */
  async collect(broadcastId: string, startAt?: number): Promise<FleetPlay[]> {
    const answers = await Promise.all(
      this.workers.map(async (worker) => {
        const answer = await this.ask<Extract<FromWorker, { type: 'collected' }>>(worker, (requestId) => ({
          type: 'collect',
          requestId,
          broadcastId,
          ...(startAt === undefined ? {} : { startAt }),
        }));
        return answer.plays.map((play) => ({ ...play, sentinel: worker.sentinel }));
      }),
    );
    return answers.flat();
  }

  /** Stops every receiver cleanly (availability offline) and the workers with them. */
  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.child.exitCode !== null || !worker.child.connected) return resolve();
            const timer = setTimeout(() => worker.child.kill('SIGKILL'), 30_000);
            worker.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            this.tell(worker, { type: 'stop' });
          }),
      ),
    );
    this.workers.length = 0;
  }

  private tell(worker: Worker, message: ToWorker): void {
    if (worker.child.connected) worker.child.send(message);
  }

  private ask<T extends FromWorker>(worker: Worker, build: (requestId: number) => ToWorker): Promise<T> {
    const requestId = this.nextRequest++;
    return new Promise<T>((resolve, reject) => {
      if (!worker.child.connected) return reject(new Error(worker.error ?? 'worker is not running'));
      worker.pending.set(requestId, (message) => (message.type === 'error' ? reject(new Error(message.message)) : resolve(message as T)));
      this.tell(worker, build(requestId));
    });
  }
}
