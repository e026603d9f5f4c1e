/**
 * Publishes each receiver's retained config (area path, volume, time zone, heartbeat, server URL).
 * Called for every device at start-up, because an embedded broker keeps retained messages in memory.
 */
import { DEVICE_CHANNEL_FLAGS, encodePayload, type DeviceConfig, type Topics } from '../../protocol/index.js';
import type { MessageBus } from '../mqtt/message-bus.js';
import type { DeviceProfile } from './device-registry.js';

export interface DeviceConfigDefaults {
  readonly timezone: string;
  readonly heartbeatSeconds: number;
  readonly serverUrl: { readonly value: string };
}

export class DeviceConfigPublisher {
  constructor(
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly defaults: DeviceConfigDefaults,
  ) {}

  async publish(profile: DeviceProfile): Promise<void> {
    const config: DeviceConfig = {
      deviceId: profile.id,
      name: profile.name,
      areaPath: [...profile.areaPath],
      volume: profile.volume,
      timezone: this.defaults.timezone,
      heartbeatSeconds: this.defaults.heartbeatSeconds,
      serverUrl: this.defaults.serverUrl.value,
      revision: Date.now(),
    };
    await this.bus.publish(this.topics.device(profile.id, 'config'), encodePayload(config), DEVICE_CHANNEL_FLAGS.config);
  }

  async publishAll(profiles: readonly DeviceProfile[]): Promise<void> {
    for (const profile of profiles) await this.publish(profile);
  }
}
