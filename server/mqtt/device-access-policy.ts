/**
 * Which topics a receiver may touch. One policy, used by the embedded broker's hooks and by the
 * generated Mosquitto ACL, so the two can never disagree.
 */
import { DEVICE_INBOUND_CHANNELS, DEVICE_OUTBOUND_CHANNELS, type Topics } from '../../protocol/index.js';

export interface DeviceAccess {
  readonly deviceId: string;
  /** Area ids from the root down to the device's own area. */
  readonly areaPath: readonly string[];
}

export function publishableTopics(topics: Topics, deviceId: string): string[] {
  return DEVICE_OUTBOUND_CHANNELS.map((channel) => topics.device(deviceId, channel));
}

export function subscribableTopics(topics: Topics, access: DeviceAccess): string[] {
  return [
    ...DEVICE_INBOUND_CHANNELS.map((channel) => topics.device(access.deviceId, channel)),
    ...access.areaPath.map((areaId) => topics.areaCommand(areaId)),
    topics.serverState(),
  ];
}

/** Exact-match only: a device never needs wildcards, and allowing them would leak other devices' topics. */
export function maySubscribe(topics: Topics, access: DeviceAccess, topicFilter: string): boolean {
  return subscribableTopics(topics, access).includes(topicFilter);
}

export function mayPublish(topics: Topics, deviceId: string, topic: string): boolean {
  return publishableTopics(topics, deviceId).includes(topic);
}
