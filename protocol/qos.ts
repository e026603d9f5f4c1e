/** QoS and retain flags per channel, the single source for publishers on both sides. */
import type { DeviceChannel } from './topics.js';

export interface PublishFlags {
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

export const DEVICE_CHANNEL_FLAGS: Readonly<Record<DeviceChannel, PublishFlags>> = Object.freeze({
  availability: { qos: 1, retain: true },
  config: { qos: 1, retain: true },
  schedule: { qos: 1, retain: true },
  command: { qos: 1, retain: false },
  event: { qos: 1, retain: false },
  telemetry: { qos: 0, retain: false },
});

export const SERVER_STATE_FLAGS: PublishFlags = Object.freeze({ qos: 1, retain: true });
export const AREA_COMMAND_FLAGS: PublishFlags = Object.freeze({ qos: 1, retain: false });
