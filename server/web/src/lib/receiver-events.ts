/**
 * A receiver's recent playback events (GET /api/devices/:id/events) as an official reads them:
 * what happened, how it ended, and how it should look (a failure in red, a stop in amber).
 */

export interface ReceiverEvent {
  readonly seq: number;
  readonly type: string;
  readonly broadcastId: string;
  readonly bulletinTitle: string | null;
  readonly at: string;
  readonly reason: string | null;
  readonly outcome: string | null;
  readonly part: string | null;
}

/** The event types of protocol/schemas.ts playbackEventSchema; anything newer shows as `other`. */
export const EVENT_KINDS = ['received', 'downloaded', 'started', 'part', 'finished', 'interrupted', 'failed', 'preempted', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What to call the event: a finished play that was cut off is told apart from one that ran to the end. */
export function eventKind(event: Pick<ReceiverEvent, 'type' | 'outcome'>): EventKind {
  if (event.type === 'finished') return event.outcome === 'interrupted' ? 'interrupted' : 'finished';
  return (EVENT_KINDS as readonly string[]).includes(event.type) ? (event.type as EventKind) : 'other';
}

/** The badge class (styles.css) of each kind. */
export function eventTone(kind: EventKind): string {
  switch (kind) {
    case 'finished':
      return 'played';
    case 'failed':
      return 'failed';
    case 'interrupted':
    case 'preempted':
      return 'interrupted';
    case 'started':
    case 'part':
      return 'playing';
    case 'received':
    case 'downloaded':
      return 'received';
    default:
      return '';
  }
}

/** Which part of an emergency began (signal, then message), when the event says. */
export function eventPart(event: Pick<ReceiverEvent, 'part'>): 'signal' | 'message' | null {
  return event.part === 'signal' || event.part === 'message' ? event.part : null;
}

/**
 * Whether the events are worth reading again: the live feed changed what the receiver plays, its
 * last play, or its link. A change of volume or of "last seen" alone adds no event.
 */
export function eventsRevision(device: { readonly online: boolean; readonly playing: string | null; readonly lastPlay?: { readonly at: string } | null }): string {
  return `${device.online}|${device.playing ?? ''}|${device.lastPlay?.at ?? ''}`;
}
