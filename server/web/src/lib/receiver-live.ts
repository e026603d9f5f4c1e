/**
 * The receivers the user may see, kept current by the server's live feed (GET /api/live/devices,
 * the one the dashboard follows): the first message lists them all, later ones what changed.
 */
import { useState } from 'preact/hooks';
import { mergeDevices, type LiveDevice } from './live-devices.js';
import { useEventSource } from './use-event-source.js';

export interface LiveReceivers {
  readonly devices: ReadonlyMap<string, LiveDevice>;
  /** The first message arrived: an empty map now means there are no receivers. */
  readonly loaded: boolean;
  readonly connected: boolean;
}

export function useLiveReceivers(): LiveReceivers {
  const [state, setState] = useState<{ devices: Map<string, LiveDevice>; loaded: boolean }>({ devices: new Map(), loaded: false });
  const { connected } = useEventSource<LiveDevice[]>('/api/live/devices', 'devices', (update) =>
    // A reconnect starts again with the full list; until the first one, every message is the full list.
    setState((current) => ({ devices: mergeDevices(current.devices, update, !current.loaded), loaded: true })),
  );
  return { ...state, connected };
}

/** GET /api/devices/:id and the answers of the routes that change a receiver. */
export interface ReceiverView extends LiveDevice {
  readonly lat?: number | null;
  readonly lon?: number | null;
}

/** The receiver with what the live feed just said about it laid over what was known before. */
export function mergeReceiver(current: ReceiverView | undefined, live: LiveDevice): ReceiverView {
  return { ...current, ...live };
}
