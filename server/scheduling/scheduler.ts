/**
 * The scheduler's tick (run by the leader only): plan occurrences of active broadcasts up to the
 * planning horizon, send those starting within the lead time, and record as missed those whose
 * time passed more than the grace period ago while no server was running. A tick only claims work
 * and hands it to the dispatcher.
 *
 * Claiming is an UPDATE … WHERE state = 'planned', so even two ticks racing (a deposed leader that
 * has not noticed yet) send an occurrence once.
 */
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/database.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { newId } from '../ids.js';
import { expandOccurrences } from './occurrence-expander.js';
import type { Recurrence, Repeat } from './recurrence-spec.js';

export interface SchedulerOptions {
  /** Send an occurrence this long before it starts, so receivers download ahead. */
  readonly leadMs: number;
  /** An occurrence missed by the server (down at the time) is still sent if less late than this. */
  readonly graceMs: number;
  /** How far ahead occurrences are written to the database. */
  readonly horizonMs: number;
  readonly tickMs: number;
}

export interface TickReport {
  readonly planned: number;
  readonly dispatched: number;
  readonly missed: number;
}

const SWEEP_EVERY_TICKS = 15;

interface PlannableBroadcast {
  readonly id: string;
  readonly startAt: Date | null;
  readonly recurrence: unknown;
  readonly repeat: unknown;
  readonly slotOffsetMs: number;
  readonly ttlSeconds: number;
  readonly plannedUntil: Date | null;
  readonly revision: number;
  readonly bulletin: { readonly audio: { readonly durationMs: number } };
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private again = false;
  private ticks = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly dispatcher: Dispatcher,
    private readonly options: SchedulerOptions,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.kick(), this.options.tickMs);
    void this.kick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  isRunning(): boolean {
    return this.timer !== undefined;
  }

  /** Runs a tick now (after the current one), e.g. right after a broadcast was created; resolves when it ran. */
  kick(): Promise<void> {
    if (!this.timer) return Promise.resolve();
    this.again = true;
    const run = this.running.then(async () => {
      if (!this.again) return;
      this.again = false;
      await this.tick().catch((error: unknown) => this.logger.error({ err: error }, 'scheduler tick failed'));
    });
    this.running = run;
    return run;
  }

  async tick(now = this.clock()): Promise<TickReport> {
    const planned = await this.plan(now);
    const missed = await this.recordMissed(now);
    const dispatched = await this.dispatchDue(now);
    if (++this.ticks % SWEEP_EVERY_TICKS === 0) await this.dispatcher.sweepExpired(now);
    return { planned, dispatched, missed };
  }

  /** Writes the occurrences of every active broadcast up to now + horizon. */
  async plan(now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + this.options.horizonMs);
    // Top up a broadcast's plan once a quarter of the horizon has passed, not on every tick.
    const stale = new Date(horizon.getTime() - this.options.horizonMs / 4);
    const broadcasts = await this.prisma.broadcast.findMany({
      // Nothing waiting for approval, rejected, or merely offered to communes is ever planned.
      where: {
        status: 'scheduled',
        approvalState: 'approved',
        distribution: 'direct',
        OR: [{ plannedUntil: null }, { plannedUntil: { lt: stale } }],
      },
      select: {
        id: true,
        startAt: true,
        recurrence: true,
        repeat: true,
        slotOffsetMs: true,
        ttlSeconds: true,
        plannedUntil: true,
        revision: true,
        bulletin: { select: { audio: { select: { durationMs: true } } } },
      },
    });
    let created = 0;
    for (const broadcast of broadcasts) {
      try {
        created += await this.planBroadcast(broadcast, now, horizon);
      } catch (error) {
        // One broadcast that cannot be expanded (a stored rule no longer valid) must not stop the others.
        this.logger.error({ err: error, broadcastId: broadcast.id }, 'planning a broadcast failed');
      }
    }
    return created;
  }

  private async planBroadcast(broadcast: PlannableBroadcast, now: Date, horizon: Date): Promise<number> {
    const from = broadcast.plannedUntil ?? new Date(now.getTime() - this.options.graceMs);
    const durationMs = broadcast.bulletin.audio.durationMs;
    const plays = expandOccurrences(
      {
        ...(broadcast.recurrence ? { recurrence: broadcast.recurrence as Recurrence } : { startAt: broadcast.startAt ?? now }),
        ...(broadcast.repeat ? { repeat: broadcast.repeat as Repeat } : {}),
        durationMs,
      },
      { from: new Date(from.getTime() - broadcast.slotOffsetMs), to: new Date(horizon.getTime() - broadcast.slotOffsetMs) },
    );
    let created = 0;
    if (plays.length > 0) {
      const result = await this.prisma.occurrence.createMany({
        data: plays.map((play) => {
          const startAt = new Date(play.startAt.getTime() + broadcast.slotOffsetMs);
          return {
            id: newId(),
            broadcastId: broadcast.id,
            slotAt: play.slotAt,
            startAt,
            expiresAt: new Date(startAt.getTime() + durationMs + broadcast.ttlSeconds * 1_000),
            repeatIndex: play.repeatIndex,
            revision: broadcast.revision,
            bulletinId: play.bulletinOverride ?? null,
          };
        }),
        // (broadcast, revision, startAt) is unique: a plan written twice (a deposed leader racing its successor) lands once.
        skipDuplicates: true,
      });
      created = result.count;
    }
    await this.prisma.broadcast.update({ where: { id: broadcast.id }, data: { plannedUntil: horizon } });
    return created;
  }

  /** Occurrences whose time passed beyond the grace period while nobody sent them. */
  private async recordMissed(now: Date): Promise<number> {
    const late = await this.prisma.occurrence.findMany({
      where: { state: 'planned', startAt: { lt: new Date(now.getTime() - this.options.graceMs) } },
      select: { id: true, startAt: true },
    });
    for (const occurrence of late) {
      const lateSeconds = Math.round((now.getTime() - occurrence.startAt.getTime()) / 1_000);
      const reason = `not sent: no server was running at its time (${lateSeconds} s late, grace ${this.options.graceMs / 1_000} s)`;
      const claimed = await this.prisma.occurrence.updateMany({
        where: { id: occurrence.id, state: 'planned' },
        data: { state: 'missed', note: reason },
      });
      if (claimed.count === 1) await this.dispatcher.recordMissed(occurrence.id, reason);
    }
    if (late.length > 0) this.logger.warn({ count: late.length }, 'occurrences missed while no server was running');
    return late.length;
  }

  private async dispatchDue(now: Date): Promise<number> {
    const due = await this.prisma.occurrence.findMany({
      where: { state: 'planned', startAt: { lte: new Date(now.getTime() + this.options.leadMs) } },
      orderBy: { startAt: 'asc' },
      select: { id: true },
    });
    let dispatched = 0;
    for (const { id } of due) {
      const claimed = await this.prisma.occurrence.updateMany({
        where: { id, state: 'planned' },
        data: { state: 'dispatched', dispatchedAt: now },
      });
      if (claimed.count !== 1) continue;
      try {
        await this.dispatcher.dispatchOccurrence(id);
        dispatched++;
      } catch (error) {
        this.logger.error({ err: error, occurrenceId: id }, 'dispatch failed; will retry');
        await this.prisma.occurrence.updateMany({ where: { id, state: 'dispatched' }, data: { state: 'planned', dispatchedAt: null } });
      }
    }
    return dispatched;
  }
}
