/**
 * What a live-view client (the officials' console, over MQTT/WebSocket) may touch: what receivers
 * report about themselves, for receivers in its user's areas, and the server state. It never
 * publishes and never reads commands, config or schedules, so a leaked credential cannot be used
 * to steer or map the network.
 */
import { DEVICE_OUTBOUND_CHANNELS, type Topics } from '../../protocol/index.js';

/** A receiver's own reports: availability, playback events, telemetry. */
export const VIEWER_CHANNELS: readonly string[] = DEVICE_OUTBOUND_CHANNELS;

export interface ViewerAccess {
  readonly username: string;
  /** Area ids whose receivers the viewer may watch; null: every area. */
  readonly areas: ReadonlySet<string> | null;
  /** Epoch ms after which the credential no longer connects and its session is closed. */
  readonly expiresAt: number;
}

/** The area a registered receiver hangs in, or null when there is no such receiver. */
export type DeviceAreaLookup = (deviceId: string) => string | null;

/**
 * Exact device topics only, except for an unrestricted viewer, whose scope is every receiver
 * anyway: for it the `<root>/device/+/<channel>` wildcards are allowed, nothing broader.
 */
export function viewerMaySubscribe(topics: Topics, viewer: ViewerAccess, topicFilter: string, areaOf: DeviceAreaLookup): boolean {
  if (topicFilter === topics.serverState()) return true;
  if (viewer.areas === null && DEVICE_OUTBOUND_CHANNELS.some((channel) => topicFilter === topics.allDevices(channel))) return true;
  const parsed = topics.parse(topicFilter);
  if (parsed?.kind !== 'device' || !VIEWER_CHANNELS.includes(parsed.channel)) return false;
  const areaId = areaOf(parsed.deviceId);
  return areaId !== null && (viewer.areas === null || viewer.areas.has(areaId));
}

/** The filters to hand the console with its credential: every one of them is allowed by `viewerMaySubscribe`. */
export function viewerTopics(topics: Topics, areas: ReadonlySet<string> | null, deviceIdsInScope: readonly string[]): string[] {
  const devices =
    areas === null
      ? DEVICE_OUTBOUND_CHANNELS.map((channel) => topics.allDevices(channel))
      : deviceIdsInScope.flatMap((deviceId) => DEVICE_OUTBOUND_CHANNELS.map((channel) => topics.device(deviceId, channel)));
  return [topics.serverState(), ...devices];
}
