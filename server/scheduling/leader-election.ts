/**
 * One server instance owns the clock: it holds a PostgreSQL session-level advisory lock and runs
 * the scheduler; the others serve HTTP and retry the lock every `retryMs`. When the leader dies its
 * database session ends, PostgreSQL releases the lock, and a follower takes over at its next try.
 */
import type { Logger } from 'pino';

export interface LockSession {
  /** Non-blocking: true when this session now holds the lock. */
  tryLock(): Promise<boolean>;
  /** Resolves when the session is gone (connection lost): leadership is lost with it. */
  readonly lost: Promise<void>;
  close(): Promise<void>;
}

export interface LeaderElectionOptions {
  readonly openSession: () => Promise<LockSession>;
  readonly onElected: () => Promise<void>;
  readonly onDeposed: () => Promise<void>;
  readonly retryMs: number;
  readonly logger: Logger;
}

export class LeaderElection {
  private session: LockSession | undefined;
  private timer: NodeJS.Timeout | undefined;
  private leader = false;
  private stopped = false;
  private attempt: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaderElectionOptions) {}

  isLeader(): boolean {
    return this.leader;
  }

  /** Tries once at once, then every retryMs until elected. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tryOnce();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.attempt;
    if (this.leader) {
      this.leader = false;
      await this.options.onDeposed();
    }
    await this.session?.close().catch(() => {});
    this.session = undefined;
  }

  private tryOnce(): Promise<void> {
    this.attempt = this.attempt.then(async () => {
      if (this.stopped || this.leader) return;
      try {
        this.session ??= await this.openSession();
        if (await this.session.tryLock()) {
          this.leader = true;
          this.options.logger.info('elected: this instance runs the scheduler');
          await this.options.onElected();
          return;
        }
      } catch (error) {
        this.options.logger.warn({ err: error }, 'leader election attempt failed');
        await this.session?.close().catch(() => {});
        this.session = undefined;
      }
      this.scheduleRetry();
    });
    return this.attempt;
  }

  private async openSession(): Promise<LockSession> {
    const session = await this.options.openSession();
    void session.lost.then(() => this.onSessionLost(session));
    return session;
  }

  private async onSessionLost(session: LockSession): Promise<void> {
    if (this.session !== session) return;
    this.session = undefined;
    if (this.leader) {
      this.leader = false;
      this.options.logger.error('lost the database session holding the scheduler lock: stepping down');
      await this.options.onDeposed();
    }
    if (!this.stopped) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tryOnce(), this.options.retryMs);
  }
}
