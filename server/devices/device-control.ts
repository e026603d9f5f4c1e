/**
 * What an official changes on a receiver from the console: its name and area, its volume, and
 * stopping what it plays. Each change that the receiver keeps is also written into its retained
 * config, so a receiver that restarts or reconnects converges on it; what must happen now (volume,
 * stop) goes as a command as well.
 */
import { DEVICE_CHANNEL_FLAGS, encodePayload, type StopCommand, type Topics, type VolumeCommand } from '../../protocol/index.js';
import { newId } from '../ids.js';
import type { MessageBus } from '../mqtt/message-bus.js';
import type { DeviceConfigPublisher } from './device-config-publisher.js';
import type { DeviceChanges, DeviceRegistry, DeviceView } from './device-registry.js';

/** Told which receivers changed, so live views show it without waiting for the next report. */
export interface DeviceChangeListener {
  noteChanged(deviceIds: readonly string[]): void;
}

export interface StopRequest {
  readonly commandId: string;
  /** The broadcast the stop names; null: whatever the receiver plays. */
  readonly broadcastId: string | null;
}

export class DeviceControl {
  constructor(
    private readonly devices: DeviceRegistry,
    private readonly configPublisher: DeviceConfigPublisher,
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly changes: DeviceChangeListener,
  ) {}

  /**
   * Renames and/or moves the receiver. The new config names its new area path: the agent then
   * subscribes to the command topics of its new areas (which the ACL now allows) and drops the old ones.
   */
  async update(id: string, changes: DeviceChanges): Promise<DeviceView> {
    const device = await this.devices.update(id, changes);
    await this.publishConfig(id);
    this.changes.noteChanged([id]);
    return device;
  }

  /** Applies the volume now (command) and for good (retained config, in case the receiver restarts). */
  async setVolume(id: string, volume: number): Promise<DeviceView> {
    const device = await this.devices.setVolume(id, volume);
    const command: VolumeCommand = { type: 'volume', commandId: newId(), volume, issuedAt: Date.now() };
    await this.bus.publish(this.topics.device(id, 'command'), encodePayload(command), DEVICE_CHANNEL_FLAGS.command);
    await this.publishConfig(id);
    this.changes.noteChanged([id]);
    return device;
  }

  /**
   * Stops what the receiver plays. Naming the broadcast the server last saw on air means a stop
   * that arrives late cannot cut off something the official never saw playing.
   */
  async stop(id: string, broadcastId: string | null): Promise<StopRequest> {
    const command: StopCommand = { type: 'stop', commandId: newId(), issuedAt: Date.now(), ...(broadcastId ? { broadcastId } : {}) };
    await this.bus.publish(this.topics.device(id, 'command'), encodePayload(command), DEVICE_CHANNEL_FLAGS.command);
    return { commandId: command.commandId, broadcastId };
  }

  private async publishConfig(id: string): Promise<void> {
    const [profile] = await this.devices.profiles([id]);
    if (profile) await this.configPublisher.publish(profile);
  }
}
