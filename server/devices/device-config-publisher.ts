/**
 * Publishes each receiver's retained config (area path, volume, time zone, heartbeat, server URL).
 * Called for every device at start-up, because an embedded broker keeps retained messages in memory.
 */
import { DEVICE_CHANNEL_FLAGS, encodePayload, type DeviceConfig, type SignalRef, type Topics } from '../../protocol/index.js';
import type { MessageBus } from '../mqtt/message-bus.js';
import type { DeviceProfile } from './device-registry.js';

export interface DeviceConfigDefaults {
  readonly timezone: string;
  readonly heartbeatSeconds: number;
  readonly serverUrl: { readonly value: string };
}

/** Emergency settings carried in the config; absent, receivers play emergencies at their normal volume and cache no signals. */
export interface EmergencyConfigSource {
  /** Attention signals rendered so far, for receivers to cache. */
  signals(): readonly SignalRef[];
  /** Resolves the emergency volume of an area path (root first): the nearest area's setting, if any. */
  emergencyVolumes(): Promise<(areaPath: readonly string[]) => number | undefined>;
}

export class DeviceConfigPublisher {
  private emergency: EmergencyConfigSource | undefined;

  constructor(
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly defaults: DeviceConfigDefaults,
  ) {}

  useEmergencySettings(source: EmergencyConfigSource): void {
    this.emergency = source;
  }

  publish(profile: DeviceProfile): Promise<void> {
    return this.publishAll([profile]);
  }

  async publishAll(profiles: readonly DeviceProfile[]): Promise<void> {
    const volumeOf = (await this.emergency?.emergencyVolumes()) ?? (() => undefined);
    const signals = this.emergency?.signals() ?? [];
    for (const profile of profiles) await this.publishOne(profile, volumeOf(profile.areaPath), signals);
  }

  private async publishOne(profile: DeviceProfile, emergencyVolume: number | undefined, signals: readonly SignalRef[]): Promise<void> {
    const config: DeviceConfig = {
      deviceId: profile.id,
      name: profile.name,
      areaPath: [...profile.areaPath],
      volume: profile.volume,
      timezone: this.defaults.timezone,
      heartbeatSeconds: this.defaults.heartbeatSeconds,
      serverUrl: this.defaults.serverUrl.value,
      revision: Date.now(),
      ...(emergencyVolume !== undefined ? { emergencyVolume } : {}),
      ...(signals.length > 0 ? { signals: [...signals] } : {}),
    };
    await this.bus.publish(this.topics.device(profile.id, 'config'), encodePayload(config), DEVICE_CHANNEL_FLAGS.config);
  }
}
