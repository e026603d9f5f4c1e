/**
 * An emergency to every receiver in some areas, as an official sends it (a prepared message, the
 * default siren): how long from the request until receivers had the command, sounded the siren
 * (from their cache), started the spoken message (downloaded meanwhile), and until the server had
 * stored every receiver's report.
 */
import type { ApiClient } from '../../test/helpers/api-client.js';
import type { Fleet, FleetPlay } from '../fleet/fleet.js';
import { split, type Split } from '../stats.js';

export interface EmergencyResult {
  readonly receivers: number;
  /** Receivers that started the message (the rest never did within the wait). */
  readonly reached: number;
  readonly commandReceivedMs: Split;
  readonly toneStartedMs: Split;
  readonly messageStartedMs: Split;
  readonly finishedMs: Split;
  /** Request → the server's board shows every receiver `played`; null if it never did. */
  readonly allReportsStoredMs: number | null;
  readonly messageSeconds: number;
}

interface Board {
  readonly counts: { readonly played: number; readonly total: number };
}

const POLL_MS = 250;

export async function runEmergency(
  api: ApiClient,
  fleet: Fleet,
  options: { areaIds: readonly string[]; receivers: number; bulletinId: string; messageSeconds: number; timeoutMs: number },
): Promise<EmergencyResult> {
  const requestedAt = Date.now();
  const response = await api.post<{ id: string; broadcastId: string }>('/api/emergency', {
    bulletinId: options.bulletinId,
    target: { areaIds: options.areaIds },
    repeat: 1,
  });
  if (response.status !== 201) throw new Error(`emergency refused: ${response.status} ${JSON.stringify(response.body)}`);
  const { id, broadcastId } = response.body;

  const deadline = requestedAt + options.timeoutMs;
  let plays: FleetPlay[] = [];
  let allStoredAt: number | null = null;
  while (Date.now() < deadline) {
    if (allStoredAt === null) {
      const board = await api.get<Board>(`/api/emergency/${id}`);
      if (board.status === 200 && board.body.counts.played >= options.receivers) allStoredAt = Date.now();
    }
    plays = await fleet.collect(broadcastId);
    const finished = plays.filter((play) => play.finished !== undefined || play.failed !== undefined).length;
    if (allStoredAt !== null && finished >= options.receivers) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  // Stop it where it still plays, so the next scenario starts from quiet receivers.
  await api.post(`/api/emergency/${id}/stop`);
  const since = (field: 'received' | 'signalStarted' | 'messageStarted' | 'finished') =>
    split(plays, (play) => (play[field] === undefined ? undefined : play[field] - requestedAt));
  return {
    receivers: options.receivers,
    reached: plays.filter((play) => play.messageStarted !== undefined).length,
    commandReceivedMs: since('received'),
    toneStartedMs: since('signalStarted'),
    messageStartedMs: since('messageStarted'),
    finishedMs: since('finished'),
    allReportsStoredMs: allStoredAt === null ? null : allStoredAt - requestedAt,
    messageSeconds: options.messageSeconds,
  };
}
