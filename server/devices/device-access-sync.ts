/**
 * Keeps this instance's device directory in step with credentials changed through another server
 * instance on the same database: a token rotated, revoked or removed there stops working here
 * (and cuts the session off) within one interval.
 */
import type { Logger } from 'pino';

/** How late another instance's rotation or revocation may take effect here. */
export const DEVICE_ACCESS_REFRESH_MS = 3_000;

export interface RefreshableDirectory {
  refresh(): Promise<void>;
}

export class DeviceAccessSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly directory: RefreshableDirectory,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    // A slow database must not stack refreshes up.
    if (this.running) return;
    this.running = this.directory
      .refresh()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'refreshing device credentials failed; retrying'))
      .finally(() => {
        this.running = undefined;
      });
  }
}
