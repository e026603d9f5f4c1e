/**
 * A scheduled broadcast to thousands of receivers at once: how closely they started together, and
 * what the burst of playback reports it causes (received, downloaded, started, finished from every
 * receiver, on top of their telemetry) does to the server: event-loop delay, and how long after
 * the last receiver finished the server had every report stored.
 *
 * Start skew is taken from when each receiver's start timer fired on its own clock, read on this
 * host's clock (which the server shares): its clock-sync error plus its timer's lateness, which is
 * what separates speakers in the field. The `started` events' times are reported too; they also
 * hold the simulator's cost of starting thousands of receivers in one process one after another.
 */
import type { ApiClient } from '../../test/helpers/api-client.js';
import type { BenchServer } from '../bench-server.js';
import type { Fleet, FleetPlay } from '../fleet/fleet.js';
import { median, split, type Split } from '../stats.js';

export interface ScheduledStartResult {
  readonly receivers: number;
  readonly started: number;
  /** |timer fired − the median over the sentinels|, ms: how far apart receivers started. */
  readonly startSkewMs: Split;
  /** Timer fired − startAt, ms. */
  readonly startLatenessMs: Split;
  /** `started` event time − startAt, ms (for the whole fleet this includes the simulator's serial start-up cost). */
  readonly reportedStartLatenessMs: Split;
  readonly eventsReported: number;
  /** Last receiver finished → the server had every delivery `played`; null if it never did. */
  readonly allStoredAfterLastFinishMs: number | null;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
}

interface BroadcastRow {
  readonly id: string;
  readonly summary: Partial<Record<string, number>>;
}

const POLL_MS = 250;

export async function runScheduledStart(
  server: BenchServer,
  fleet: Fleet,
  options: { areaIds: readonly string[]; receivers: number; bulletinId: string; leadMs: number; timeoutMs: number },
): Promise<ScheduledStartResult> {
  const api: ApiClient = server.api;
  const eventsBefore = (await fleet.status()).eventsPublished;
  await server.sample(); // starts the event-loop delay window
  const startAt = Date.now() + options.leadMs;
  const response = await api.post<{ id: string }>('/api/broadcasts', {
    bulletinId: options.bulletinId,
    target: { areaIds: options.areaIds },
    startAt: new Date(startAt).toISOString(),
  });
  if (response.status !== 201) throw new Error(`broadcast refused: ${response.status} ${JSON.stringify(response.body)}`);
  const broadcastId = response.body.id;

  const deadline = startAt + options.timeoutMs;
  let plays: FleetPlay[] = [];
  let allStoredAt: number | null = null;
  while (Date.now() < deadline) {
    plays = await fleet.collect(broadcastId, startAt);
    const finished = plays.filter((play) => play.finished !== undefined || play.failed !== undefined).length;
    if (finished >= options.receivers) {
      const list = await api.get<BroadcastRow[]>('/api/broadcasts');
      const row = list.body.find((broadcast) => broadcast.id === broadcastId);
      if ((row?.summary.played ?? 0) >= options.receivers) {
        allStoredAt = Date.now();
        break;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const window = await server.sample();
  const centre = median(plays.flatMap((play) => (play.sentinel && play.startTimerFiredAt !== undefined ? [play.startTimerFiredAt] : [])));
  const lastFinished = Math.max(...plays.map((play) => play.finished ?? 0));
  return {
    receivers: options.receivers,
    started: plays.filter((play) => play.started !== undefined).length,
    startSkewMs: split(plays, (play) => (play.startTimerFiredAt === undefined ? undefined : Math.abs(play.startTimerFiredAt - centre))),
    startLatenessMs: split(plays, (play) => (play.startTimerFiredAt === undefined ? undefined : play.startTimerFiredAt - startAt)),
    reportedStartLatenessMs: split(plays, (play) => (play.started === undefined ? undefined : play.started - startAt)),
    eventsReported: (await fleet.status()).eventsPublished - eventsBefore,
    allStoredAfterLastFinishMs: allStoredAt === null || lastFinished === 0 ? null : allStoredAt - lastFinished,
    eventLoopDelayP99Ms: Math.round(window.eventLoopDelayP99Ms * 10) / 10,
    eventLoopDelayMaxMs: Math.round(window.eventLoopDelayMaxMs * 10) / 10,
  };
}
