/**
 * The live board of an emergency: where its latest airing has and has not played, receiver by
 * receiver, with the counts, and a feed that tells watchers when it changed (for server-sent
 * events). Changes are coalesced: a burst of reports from hundreds of receivers is one update per
 * `throttleMs`, not one per report.
 */
import type { PlaybackEvent } from '../../protocol/index.js';
import type { AccessScope } from '../auth/access-scope.js';
import type { PrismaClient } from '../db/database.js';
import type { DeliveryState } from '../db/generated/enums.js';
import type { EmergencyService, EmergencySummary } from './emergency-service.js';

/** What an official reads: every receiver ends played, failed (why), offline, or stopped. */
export const BOARD_STATES = ['pending', 'received', 'ready', 'playing', 'played', 'failed', 'offline', 'stopped'] as const;
export type BoardState = (typeof BOARD_STATES)[number];

export function boardStateOf(state: DeliveryState, online: boolean): BoardState {
  switch (state) {
    case 'pending':
    case 'sent':
      return online ? 'pending' : 'offline';
    case 'received':
      return 'received';
    case 'downloaded':
      return 'ready';
    case 'playing':
    case 'preempted':
      return 'playing';
    case 'played':
      return 'played';
    case 'missed':
      return 'offline';
    case 'cancelled':
      return 'stopped';
    case 'failed':
    case 'expired':
      return 'failed';
  }
}

export interface BoardReceiver {
  readonly deviceId: string;
  readonly name: string;
  readonly areaId: string;
  readonly online: boolean;
  readonly state: BoardState;
  readonly deliveryState: DeliveryState;
  readonly sentAt: Date | null;
  /** When it started: the attention signal, when there is one. */
  readonly startedAt: Date | null;
  readonly messageStartedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly error: string | null;
}

export interface BoardAiring {
  readonly occurrenceId: string;
  readonly startAt: Date;
  readonly expiresAt: Date;
  readonly counts: Readonly<Record<BoardState, number>>;
}

export interface EmergencyBoardView {
  readonly emergency: EmergencySummary;
  /** Every airing, newest first (a standing alert airs many times). */
  readonly airings: readonly BoardAiring[];
  /** The latest airing's counts and receivers. */
  readonly counts: Readonly<Record<BoardState, number>> & { readonly total: number };
  readonly receivers: readonly BoardReceiver[];
}

export type BoardWatcher = () => void;

export class EmergencyBoard {
  private readonly watchers = new Map<string, Set<BoardWatcher>>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly emergencyOfBroadcast = new Map<string, string | null>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly emergencies: EmergencyService,
    private readonly throttleMs: number,
  ) {
    emergencies.onChange((emergencyId, broadcastId) => {
      this.emergencyOfBroadcast.set(broadcastId, emergencyId);
      this.touch(emergencyId);
    });
  }

  async view(id: string, scope: AccessScope): Promise<EmergencyBoardView> {
    const emergency = await this.emergencies.get(id, scope);
    const deliveries = await this.prisma.delivery.findMany({
      where: { broadcastId: emergency.broadcastId },
      select: {
        occurrenceId: true,
        deviceId: true,
        state: true,
        sentAt: true,
        startedAt: true,
        messageStartedAt: true,
        finishedAt: true,
        error: true,
        device: { select: { name: true, areaId: true, online: true } },
      },
      orderBy: { deviceId: 'asc' },
    });
    const occurrences = await this.prisma.occurrence.findMany({
      where: { broadcastId: emergency.broadcastId },
      orderBy: { startAt: 'desc' },
      select: { id: true, startAt: true, expiresAt: true },
    });
    const airings = occurrences.map((occurrence) => ({
      occurrenceId: occurrence.id,
      startAt: occurrence.startAt,
      expiresAt: occurrence.expiresAt,
      counts: countStates(deliveries.filter((d) => d.occurrenceId === occurrence.id).map((d) => boardStateOf(d.state, d.device.online))),
    }));
    const latest = occurrences[0]?.id;
    const receivers = deliveries
      .filter((d) => d.occurrenceId === latest)
      .map((d) => ({
        deviceId: d.deviceId,
        name: d.device.name,
        areaId: d.device.areaId,
        online: d.device.online,
        state: boardStateOf(d.state, d.device.online),
        deliveryState: d.state,
        sentAt: d.sentAt,
        startedAt: d.startedAt,
        messageStartedAt: d.messageStartedAt,
        finishedAt: d.finishedAt,
        error: d.error,
      }));
    return { emergency, airings, counts: { ...countStates(receivers.map((r) => r.state)), total: receivers.length }, receivers };
  }

  /** Calls `watcher` (at most once per throttle period) whenever the emergency's board may have changed. */
  watch(emergencyId: string, watcher: BoardWatcher): () => void {
    const set = this.watchers.get(emergencyId) ?? new Set<BoardWatcher>();
    set.add(watcher);
    this.watchers.set(emergencyId, set);
    return () => {
      set.delete(watcher);
      if (set.size === 0) this.watchers.delete(emergencyId);
    };
  }

  /** Fed with every playback report the server stores. */
  noteEvent(_deviceId: string, event: PlaybackEvent): void {
    if (this.watchers.size === 0) return;
    const known = this.emergencyOfBroadcast.get(event.broadcastId);
    if (known !== undefined) {
      if (known) this.touch(known);
      return;
    }
    void this.emergencies.idOfBroadcast(event.broadcastId).then((emergencyId) => {
      this.emergencyOfBroadcast.set(event.broadcastId, emergencyId);
      if (emergencyId) this.touch(emergencyId);
    });
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.watchers.clear();
  }

  private touch(emergencyId: string): void {
    if (!this.watchers.has(emergencyId) || this.pending.has(emergencyId)) return;
    this.pending.set(
      emergencyId,
      setTimeout(() => {
        this.pending.delete(emergencyId);
        for (const watcher of this.watchers.get(emergencyId) ?? []) watcher();
      }, this.throttleMs),
    );
  }
}

function countStates(states: readonly BoardState[]): Record<BoardState, number> {
  const counts = Object.fromEntries(BOARD_STATES.map((state) => [state, 0])) as Record<BoardState, number>;
  for (const state of states) counts[state]++;
  return counts;
}
