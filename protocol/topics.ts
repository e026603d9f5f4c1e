/**
 * Every MQTT topic of the product, built and parsed in one place.
 * Layout: `<root>/server/state`, `<root>/device/<id>/<channel>`, `<root>/area/<areaId>/command`.
 * See docs/protocol.md for QoS and retain flags per topic.
 */

export const DEFAULT_TOPIC_ROOT = 'loa';

/** Channels a device publishes on. */
export const DEVICE_OUTBOUND_CHANNELS = ['availability', 'event', 'telemetry'] as const;
/** Channels the server publishes to a single device. */
export const DEVICE_INBOUND_CHANNELS = ['config', 'schedule', 'command'] as const;

export type DeviceOutboundChannel = (typeof DEVICE_OUTBOUND_CHANNELS)[number];
export type DeviceInboundChannel = (typeof DEVICE_INBOUND_CHANNELS)[number];
export type DeviceChannel = DeviceOutboundChannel | DeviceInboundChannel;

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

/** Ids become topic segments, so they must not contain MQTT wildcards or separators. */
export function isValidTopicSegment(value: string): boolean {
  return SEGMENT.test(value);
}

function segment(value: string, what: string): string {
  if (!isValidTopicSegment(value)) {
    throw new TypeError(`${what} "${value}" cannot be used in an MQTT topic (allowed: A-Z a-z 0-9 _ -, 1-64 chars)`);
  }
  return value;
}

export interface Topics {
  readonly root: string;
  serverState(): string;
  device(deviceId: string, channel: DeviceChannel): string;
  areaCommand(areaId: string): string;
  /** Wildcard for everything devices publish (server subscription). */
  allDevices(channel: DeviceOutboundChannel): string;
  parse(topic: string): ParsedTopic | null;
}

export type ParsedTopic =
  | { kind: 'serverState' }
  | { kind: 'device'; deviceId: string; channel: DeviceChannel }
  | { kind: 'areaCommand'; areaId: string };

const CHANNELS = new Set<string>([...DEVICE_OUTBOUND_CHANNELS, ...DEVICE_INBOUND_CHANNELS]);

export function createTopics(root: string = DEFAULT_TOPIC_ROOT): Topics {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(root)) {
    throw new TypeError(`MQTT topic root "${root}" must be slash-separated plain segments without wildcards`);
  }
  const rootDepth = root.split('/').length;
  return Object.freeze({
    root,
    serverState: () => `${root}/server/state`,
    device: (deviceId: string, channel: DeviceChannel) => `${root}/device/${segment(deviceId, 'device id')}/${channel}`,
    areaCommand: (areaId: string) => `${root}/area/${segment(areaId, 'area id')}/command`,
    allDevices: (channel: DeviceOutboundChannel) => `${root}/device/+/${channel}`,
    parse(topic: string): ParsedTopic | null {
      if (!topic.startsWith(`${root}/`)) return null;
      const parts = topic.split('/').slice(rootDepth);
      if (parts.length === 2 && parts[0] === 'server' && parts[1] === 'state') return { kind: 'serverState' };
      if (parts.length === 3 && parts[0] === 'device' && isValidTopicSegment(parts[1]!) && CHANNELS.has(parts[2]!)) {
        return { kind: 'device', deviceId: parts[1]!, channel: parts[2] as DeviceChannel };
      }
      if (parts.length === 3 && parts[0] === 'area' && isValidTopicSegment(parts[1]!) && parts[2] === 'command') {
        return { kind: 'areaCommand', areaId: parts[1]! };
      }
      return null;
    },
  });
}

/** MQTT topic filter matching with `+` and `#` wildcards (MQTT 3.1.1 §4.7). */
export function topicMatches(filter: string, topic: string): boolean {
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  for (let i = 0; i < filterLevels.length; i++) {
    const level = filterLevels[i];
    if (level === '#') return true;
    if (i >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}
