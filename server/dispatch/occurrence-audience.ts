/**
 * Resolves who hears an occurrence: every receiver of the target, minus those whose area's quiet
 * hours cover it (emergencies ignore quiet hours). Quiet hours are set per area and inherited.
 */
import type { AreaService } from '../areas/area-service.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import { effectiveQuietHours, overlapsQuietHours } from '../scheduling/quiet-hours.js';
import type { QuietHours } from '../scheduling/recurrence-spec.js';
import type { OccurrenceAudience } from './dispatcher.js';

export class QuietHoursAudience implements OccurrenceAudience {
  constructor(
    private readonly devices: DeviceRegistry,
    private readonly areas: AreaService,
    private readonly timezone: string,
  ) {}

  async resolve(
    target: { areaIds?: readonly string[]; deviceIds?: readonly string[] },
    window: { startAt: Date; endAt: Date; priority: string },
  ): Promise<{ deviceIds: string[]; blocked: { deviceId: string; reason: string }[] }> {
    const all = await this.devices.resolveTargets(target, { ignoreUnknown: true });
    if (window.priority === 'emergency') return { deviceIds: all, blocked: [] };
    const quietByArea = await this.quietHoursByArea();
    if (quietByArea.size === 0) return { deviceIds: all, blocked: [] };
    const deviceIds: string[] = [];
    const blocked: { deviceId: string; reason: string }[] = [];
    for (const deviceId of all) {
      const quiet = effectiveQuietHours(this.devices.accessOf(deviceId)?.areaPath ?? [], quietByArea);
      if (quiet && overlapsQuietHours(window.startAt, window.endAt, quiet, this.timezone)) {
        blocked.push({ deviceId, reason: `quiet hours ${quiet.start}–${quiet.end}` });
      } else {
        deviceIds.push(deviceId);
      }
    }
    return { deviceIds, blocked };
  }

  private async quietHoursByArea(): Promise<Map<string, QuietHours | null>> {
    const areas = await this.areas.all();
    return new Map(areas.filter((a) => a.quietHours).map((a) => [a.id, a.quietHours]));
  }
}
