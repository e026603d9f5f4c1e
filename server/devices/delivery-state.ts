/**
 * How a playback event moves a delivery forward. Pure, so the rules are tested without a database.
 * States only move forward: an event replayed late from an agent's outbox never undoes a later one.
 */
import type { PlaybackEvent } from '../../protocol/index.js';
import type { DeliveryState } from '../db/generated/enums.js';

/**
 * `preempted` is not terminal: the agent restarts a preempted play from the beginning when the
 * higher-priority one has ended, if it is still before its expiry (docs/scheduling.md).
 */
export const TERMINAL_STATES: ReadonlySet<DeliveryState> = new Set(['played', 'failed', 'missed', 'expired', 'cancelled']);

const RANK: Readonly<Record<DeliveryState, number>> = {
  pending: 0,
  sent: 1,
  received: 2,
  downloaded: 3,
  playing: 4,
  preempted: 4,
  played: 5,
  failed: 5,
  missed: 5,
  expired: 5,
  cancelled: 5,
};

/** Failure reasons that have a state of their own ("cancelled" and "cancelled by a stop command"). */
function stateForFailure(reason: string): DeliveryState {
  if (reason === 'expired') return 'expired';
  if (reason.startsWith('cancelled')) return 'cancelled';
  return 'failed';
}

export interface DeliveryPatch {
  state?: DeliveryState;
  receivedAt?: Date;
  downloadedAt?: Date;
  startedAt?: Date;
  messageStartedAt?: Date;
  finishedAt?: Date;
  error?: string;
}

export interface DeliverySnapshot {
  readonly state: DeliveryState;
}

export function applyEvent(current: DeliverySnapshot, event: PlaybackEvent): { state: DeliveryState; patch: DeliveryPatch } {
  const at = new Date(event.at);
  const patch: DeliveryPatch = {};
  let next: DeliveryState | undefined;
  switch (event.type) {
    case 'received':
      next = 'received';
      patch.receivedAt = at;
      break;
    case 'downloaded':
      next = 'downloaded';
      patch.downloadedAt = at;
      break;
    case 'started':
      next = 'playing';
      patch.startedAt = at;
      break;
    case 'finished':
      patch.finishedAt = at;
      if (event.outcome === 'completed') next = 'played';
      else if (current.state !== 'preempted') {
        next = 'failed';
        patch.error = 'interrupted';
      }
      break;
    case 'preempted':
      next = 'preempted';
      patch.error = event.byBroadcastId ? `preempted by ${event.byBroadcastId}` : 'preempted';
      break;
    case 'failed':
      next = stateForFailure(event.reason);
      patch.error = event.reason;
      break;
    case 'part':
      // Only a timestamp: the delivery is already `playing` from the `started` of its first part.
      if (event.part === 'message' && event.index === 0) patch.messageStartedAt = at;
      break;
  }
  const mayMove = next !== undefined && !TERMINAL_STATES.has(current.state) && RANK[next] >= RANK[current.state];
  if (!mayMove) {
    // Keep the timestamps (a late `started` still tells when it started), not the state or error.
    const { state: _state, error: _error, ...timestamps } = patch;
    return { state: current.state, patch: timestamps };
  }
  return { state: next!, patch: { ...patch, state: next! } };
}
