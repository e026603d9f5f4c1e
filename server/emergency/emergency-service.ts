/**
 * Emergencies on demand. One request renders the message (or takes a bulletin or a recording),
 * opens an approved emergency broadcast and sends its first airing to every receiver in the target
 * at once: the attention signal first, from the receivers' cache, the message after it, repeated.
 * Then, every second:
 * - receivers that have not started an airing a few seconds after its start get it again, by name;
 * - a standing alert (a cadence: storm bulletins every 2 h on the hour) airs again at each slot,
 *   until a newer alert for the same hazard and areas supersedes it, it is stopped, or it ends;
 * - an emergency whose time is over is marked so.
 * Every state change is audited and announced to the live board (onChange).
 */
import type { Logger } from 'pino';
import type { PlayCommand } from '../../protocol/index.js';
import type { AreaService } from '../areas/area-service.js';
import type { AccessScope } from '../auth/access-scope.js';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config.js';
import type { BroadcastService, BroadcastTarget } from '../broadcasts/broadcast-service.js';
import type { BulletinService, VoiceSettings } from '../broadcasts/bulletin-service.js';
import type { PrismaClient } from '../db/database.js';
import type { EmergencyState } from '../db/generated/enums.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import { ACTIVE_DELIVERY_STATES } from '../dispatch/dispatcher.js';
import { buildPlayCommand, type PlayOptions, type StoredAudio } from '../dispatch/play-command-builder.js';
import { conflict, notFound, validationError } from '../errors.js';
import { newId } from '../ids.js';
import type { PublicUrl } from '../public-url.js';
import { cadenceProblem, nextAiring, parseEvery, type Cadence } from './cadence.js';
import { topmostAreas, type AiringAudience, type EmergencyFanout } from './emergency-fanout.js';
import type { SignalCatalogue } from './signal-catalogue.js';

export interface EmergencyTarget extends BroadcastTarget {
  /** Every receiver the sender may reach. */
  readonly all?: boolean | undefined;
}

export type EmergencyContent =
  | ({ readonly kind: 'text'; readonly text: string; readonly title?: string | undefined } & VoiceSettings)
  | { readonly kind: 'bulletin'; readonly bulletinId: string }
  | { readonly kind: 'upload'; readonly filePath: string; readonly originalName: string; readonly title?: string | undefined };

export interface EmergencyRequest {
  readonly content: EmergencyContent;
  readonly target: EmergencyTarget;
  /** Times the message plays in each airing. */
  readonly repeat?: number | undefined;
  readonly gapSeconds?: number | undefined;
  /** A signal of GET /api/emergency/signals; null: none; absent: the default. */
  readonly tone?: string | null | undefined;
  /** storm, flood, landslide, tsunami, fire, other: a standing alert supersedes an older one for the same hazard and areas. */
  readonly hazard?: string | undefined;
  /** How long an airing may still play on a receiver that comes back online. */
  readonly validityMinutes?: number | undefined;
  /** Makes it a standing alert that airs again at every slot. */
  readonly cadence?: { readonly every: string; readonly alignTo?: 'hour' | 'none' | undefined } | undefined;
  /** When a standing alert ends if nothing supersedes or stops it. */
  readonly until?: Date | undefined;
}

export interface EmergencyOrigin {
  readonly capAlertId?: string;
  /** Emergencies superseded by this one regardless of hazard (a CAP Update names the alert it replaces). */
  readonly supersedes?: readonly string[];
}

/** The `emergency` settings of the configuration (README: EMERGENCY_*), plus the zone and tick. */
export type EmergencyOptions = Config['emergency'] & {
  /** Aligned standing-alert slots count from this zone's midnight. */
  readonly timezone: string;
  readonly tickMs: number;
};

export interface EmergencyDependencies {
  readonly prisma: PrismaClient;
  readonly areas: AreaService;
  readonly devices: DeviceRegistry;
  readonly bulletins: BulletinService;
  readonly broadcasts: BroadcastService;
  readonly signals: SignalCatalogue;
  readonly fanout: EmergencyFanout;
  readonly audit: AuditLog;
  readonly publicUrl: PublicUrl;
  readonly logger: Logger;
}

export interface EmergencySummary {
  readonly id: string;
  readonly broadcastId: string;
  readonly bulletinId: string;
  readonly title: string;
  readonly state: EmergencyState;
  readonly hazard: string | null;
  readonly signal: { readonly name: string; readonly pattern: unknown; readonly sha256: string } | null;
  readonly repeat: number;
  readonly gapSeconds: number;
  readonly validityMinutes: number;
  readonly cadence: Cadence | null;
  readonly target: BroadcastTarget;
  readonly areaIds: readonly string[];
  readonly nextAiringAt: Date | null;
  readonly endsAt: Date;
  readonly endedAt: Date | null;
  readonly endedBy: string | null;
  readonly endReason: string | null;
  readonly supersededById: string | null;
  readonly capAlertId: string | null;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

export type EmergencyChangeListener = (emergencyId: string, broadcastId: string) => void;

/** Receivers named in a log line; the rest are counted. */
const LOGGED_DEVICE_IDS = 10;
const MINUTE_MS = 60_000;
/** Delivery states that mean a receiver has not started an airing yet. */
const NOT_STARTED = ['pending', 'sent', 'received', 'downloaded'] as const;

export class EmergencyService {
  private readonly prisma: PrismaClient;
  private readonly listeners: EmergencyChangeListener[] = [];
  /** `occurrenceId:deviceId` → follow-ups sent. */
  private readonly resends = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly deps: EmergencyDependencies,
    private readonly options: EmergencyOptions,
  ) {
    this.prisma = deps.prisma;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'emergency tick failed'))
        .finally(() => (this.ticking = undefined));
    }, this.options.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  onChange(listener: EmergencyChangeListener): void {
    this.listeners.push(listener);
  }

  async send(request: EmergencyRequest, actor: Actor, origin: EmergencyOrigin = {}): Promise<EmergencySummary> {
    const requestedAt = Date.now();
    const plan = this.validate(request);
    const target = await this.resolveTarget(request.target, actor);
    // Refuse before rendering anything: a sender without the right leaves no bulletin behind.
    const [, signal] = await Promise.all([
      this.deps.broadcasts.emergencyReach(target, actor),
      plan.tone === null ? Promise.resolve(null) : this.deps.signals.resolve(plan.tone, 'tone'),
    ]);
    const bulletinId = await this.bulletinFor(request.content, actor);
    const ttlSeconds = Math.round(plan.validityMinutes * 60);
    const broadcast = await this.deps.broadcasts.openEmergency({ bulletinId, target, ttlSeconds }, actor);
    const id = newId();
    const firstAiring = new Date(Date.now() + this.options.startLeadMs);
    const endsAt = plan.cadence
      ? (request.until ?? new Date(firstAiring.getTime() + this.options.standingMaxMinutes * MINUTE_MS))
      : new Date(firstAiring.getTime() + ttlSeconds * 1_000);
    if (endsAt.getTime() <= firstAiring.getTime()) throw validationError('until must be in the future', [{ field: 'until', message: 'must be in the future' }]);
    await this.prisma.emergency.create({
      data: {
        id,
        broadcastId: broadcast.id,
        hazard: plan.hazard,
        signal: signal ? { name: signal.ref.name, pattern: signal.pattern, sha256: signal.audio.sha256 } : undefined,
        repeatCount: plan.repeat,
        gapSeconds: plan.gapSeconds,
        validitySeconds: ttlSeconds,
        cadence: plan.cadence ? { ...plan.cadence } : undefined,
        nextAiringAt: plan.cadence ? nextAiring(plan.cadence, firstAiring, firstAiring, this.options.timezone) : null,
        endsAt,
        capAlertId: origin.capAlertId ?? null,
        createdBy: actor.user?.id ?? null,
      },
    });
    await this.audit(actor, id, 'sent', { broadcastId: broadcast.id, target, hazard: plan.hazard, tone: plan.tone, repeat: plan.repeat, cadence: plan.cadence });
    await this.supersedeOlder(id, plan.hazard, plan.cadence !== null, broadcast.areaIds, origin.supersedes ?? [], actor);
    const airing = Date.now();
    await this.air(id, firstAiring);
    this.deps.logger.info({ emergencyId: id, broadcastId: broadcast.id, preparedMs: airing - requestedAt, airedMs: Date.now() - airing }, 'emergency sent');
    return this.summary(id);
  }

  /** Ends an emergency everywhere: what plays stops, what has not started never will. */
  async stopEmergency(id: string, actor: Actor, reason = 'stopped by an official'): Promise<EmergencySummary> {
    const emergency = await this.visible(id, actor.scope);
    await this.deps.broadcasts.emergencyReach(emergency.target, actor);
    if (emergency.state === 'active') await this.end(id, 'stopped', actor, reason);
    return this.summary(id);
  }

  async get(id: string, scope: AccessScope): Promise<EmergencySummary> {
    return this.visible(id, scope);
  }

  /** The newest first, active ones before ended ones. */
  async list(scope: AccessScope, limit = 50): Promise<EmergencySummary[]> {
    const visible = scope.visibleAreas;
    const broadcasts = visible
      ? await this.prisma.broadcast.findMany({ where: { priority: 'emergency', areaIds: { hasSome: [...visible] } }, select: { id: true } })
      : null;
    const rows = await this.prisma.emergency.findMany({
      where: broadcasts ? { broadcastId: { in: broadcasts.map((b) => b.id) } } : {},
      orderBy: [{ state: 'asc' }, { createdAt: 'desc' }],
      take: limit,
      select: { id: true },
    });
    return Promise.all(rows.map((row) => this.summary(row.id)));
  }

  /** The emergency whose broadcast this is, if any (for the live board's change feed). */
  async idOfBroadcast(broadcastId: string): Promise<string | null> {
    const row = await this.prisma.emergency.findUnique({ where: { broadcastId }, select: { id: true } });
    return row?.id ?? null;
  }

  // ── the tick ───────────────────────────────────────────────────────────────

  async tick(now = new Date()): Promise<void> {
    await this.endOverdue(now);
    await this.airDue(now);
    await this.followUp(now);
  }

  private async endOverdue(now: Date): Promise<void> {
    const overdue = await this.prisma.emergency.findMany({ where: { state: 'active', endsAt: { lte: now } }, select: { id: true } });
    for (const { id } of overdue) await this.end(id, 'expired', SYSTEM_ACTOR, 'its time is over');
  }

  /** Standing alerts whose next slot is near: claimed by moving nextAiringAt on, so one instance airs each slot. */
  private async airDue(now: Date): Promise<void> {
    const due = await this.prisma.emergency.findMany({
      where: { state: 'active', nextAiringAt: { lte: new Date(now.getTime() + this.options.startLeadMs) } },
      select: { id: true, nextAiringAt: true, cadence: true, createdAt: true, endsAt: true },
    });
    for (const emergency of due) {
      const slot = emergency.nextAiringAt!;
      const cadence = emergency.cadence as unknown as Cadence;
      const following = nextAiring(cadence, slot, emergency.createdAt, this.options.timezone);
      const claimed = await this.prisma.emergency.updateMany({
        where: { id: emergency.id, nextAiringAt: slot, state: 'active' },
        data: { nextAiringAt: following < emergency.endsAt ? following : null },
      });
      if (claimed.count === 1 && slot < emergency.endsAt) await this.air(emergency.id, slot < now ? new Date(now.getTime() + this.options.startLeadMs) : slot);
    }
  }

  /** Receivers online but not started a while after an airing's start get the command again. */
  private async followUp(now: Date): Promise<void> {
    const waitingHere = { state: { in: [...NOT_STARTED] }, device: { online: true } };
    const airings = await this.prisma.occurrence.findMany({
      where: {
        state: 'dispatched',
        expiresAt: { gt: now },
        startAt: { lt: new Date(now.getTime() - this.options.resendAfterMs) },
        broadcast: { priority: 'emergency', status: 'dispatched' },
        deliveries: { some: waitingHere },
      },
      select: { id: true, startAt: true, deliveries: { where: waitingHere, select: { deviceId: true } } },
    });
    for (const airing of airings) {
      const due = airing.deliveries
        .map(({ deviceId }) => ({ deviceId, key: `${airing.id}:${deviceId}`, sent: this.resends.get(`${airing.id}:${deviceId}`) ?? 0 }))
        .filter(({ sent }) => sent < this.options.maxResends && now.getTime() - airing.startAt.getTime() >= (sent + 1) * this.options.resendAfterMs);
      if (due.length === 0) continue;
      for (const { key, sent } of due) this.resends.set(key, sent + 1);
      const command = await this.commandFor(airing.id, now);
      await this.deps.fanout.resend(command, due.map((d) => d.deviceId));
      // A count and a few names: thousands of ids would make one log line of hundreds of kilobytes.
      this.deps.logger.warn(
        { occurrenceId: airing.id, receivers: due.length, some: due.slice(0, LOGGED_DEVICE_IDS).map((d) => d.deviceId) },
        'emergency command sent again to receivers that have not started it',
      );
    }
  }

  // ── airings ────────────────────────────────────────────────────────────────

  private async air(id: string, startAt: Date): Promise<void> {
    const emergency = await this.prisma.emergency.findUniqueOrThrow({ where: { id } });
    const broadcast = await this.prisma.broadcast.findUniqueOrThrow({ where: { id: emergency.broadcastId }, select: { id: true, target: true } });
    const signal = emergency.signal as { name: string; sha256: string } | null;
    const signalAudio = signal ? await this.storedAudio(signal.sha256) : null;
    const playOptions: PlayOptions = {
      ...(signal && signalAudio ? { signal: { name: signal.name, audio: signalAudio } } : {}),
      repeat: { count: emergency.repeatCount, gapMs: emergency.gapSeconds * 1_000 },
    };
    const validityEnd = startAt.getTime() + emergency.validitySeconds * 1_000;
    // A standing alert's airing gives way to the next one: an old airing never plays after a newer one.
    const expiresAt = new Date(Math.min(validityEnd, emergency.nextAiringAt?.getTime() ?? validityEnd, emergency.cadence ? emergency.endsAt.getTime() : validityEnd));
    const index = await this.prisma.occurrence.count({ where: { broadcastId: broadcast.id } });
    const occurrenceId = newId();
    await this.prisma.occurrence.create({
      data: {
        id: occurrenceId,
        broadcastId: broadcast.id,
        slotAt: startAt,
        startAt,
        expiresAt,
        revision: index,
        repeatIndex: index,
        state: 'dispatched',
        dispatchedAt: new Date(),
        playOptions: playOptions as object,
      },
    });
    const command = await this.commandFor(occurrenceId, new Date());
    const audience = await this.audienceOf(broadcast.target as BroadcastTarget);
    const sent = await this.deps.fanout.send(command, audience);
    await this.audit(SYSTEM_ACTOR, id, 'aired', { occurrenceId, startAt, expiresAt, receivers: audience.deviceIds.length, publishes: sent.publishes, offline: sent.offline });
    this.changed(id, broadcast.id);
  }

  private async audienceOf(target: BroadcastTarget): Promise<AiringAudience> {
    const areas = await this.deps.areas.all();
    const deviceIds = await this.deps.devices.resolveTargets(target, { ignoreUnknown: true, areas });
    const areaIds = topmostAreas(target.areaIds ?? [], areas);
    const covered = await this.deps.areas.subtreeOf(areaIds, { ignoreUnknown: true, areas });
    const named = target.deviceIds ?? [];
    const rows = named.length > 0 ? await this.prisma.device.findMany({ where: { id: { in: [...named] } }, select: { id: true, areaId: true } }) : [];
    return { deviceIds, areaIds, directDeviceIds: rows.filter((row) => !covered.has(row.areaId)).map((row) => row.id) };
  }

  private async commandFor(occurrenceId: string, now: Date): Promise<PlayCommand> {
    const occurrence = await this.prisma.occurrence.findUniqueOrThrow({
      where: { id: occurrenceId },
      select: {
        id: true,
        startAt: true,
        expiresAt: true,
        playOptions: true,
        broadcast: { select: { id: true, bulletin: { select: { audio: { select: { sha256: true, bytes: true, durationMs: true, mime: true } } } } } },
      },
    });
    return buildPlayCommand(
      {
        id: occurrence.id,
        broadcastId: occurrence.broadcast.id,
        priority: 'emergency',
        startAt: occurrence.startAt,
        expiresAt: occurrence.expiresAt,
        audio: occurrence.broadcast.bulletin.audio,
        playOptions: occurrence.playOptions as PlayOptions | null,
      },
      this.deps.publicUrl.value,
      now.getTime(),
    );
  }

  // ── ending ─────────────────────────────────────────────────────────────────

  private async end(id: string, state: Exclude<EmergencyState, 'active'>, actor: Actor, reason: string, supersededById?: string): Promise<void> {
    const now = new Date();
    const ended = await this.prisma.emergency.updateMany({
      where: { id, state: 'active' },
      data: { state, endedAt: now, endedBy: actor.user?.id ?? null, endReason: reason, nextAiringAt: null, supersededById: supersededById ?? null },
    });
    if (ended.count !== 1) return;
    const emergency = await this.prisma.emergency.findUniqueOrThrow({ where: { id }, select: { broadcastId: true } });
    const broadcast = await this.prisma.broadcast.findUniqueOrThrow({ where: { id: emergency.broadcastId }, select: { target: true } });
    if (state !== 'expired') {
      // Stopped or superseded: cut what plays and withdraw what has not started, everywhere.
      await this.prisma.delivery.updateMany({
        where: { broadcastId: emergency.broadcastId, state: { in: [...ACTIVE_DELIVERY_STATES, 'preempted'] } },
        data: { state: 'cancelled', error: reason, updatedAt: now },
      });
      await this.deps.fanout.stop(emergency.broadcastId, await this.audienceOf(broadcast.target as BroadcastTarget));
    } else {
      await this.deps.fanout.settleExpired(emergency.broadcastId, now);
    }
    await this.deps.broadcasts.closeEmergency(emergency.broadcastId, state === 'expired' ? 'completed' : 'cancelled');
    await this.audit(actor, id, state, { reason, ...(supersededById ? { supersededById } : {}) });
    this.changed(id, emergency.broadcastId);
  }

  /**
   * A standing alert replaces the active standing alerts for the same hazard whose areas overlap
   * its own (the latest bulletin is the one re-aired), plus any the caller names (a CAP Update).
   */
  private async supersedeOlder(id: string, hazard: string | null, standing: boolean, areaIds: readonly string[], named: readonly string[], actor: Actor): Promise<void> {
    const candidates = await this.prisma.emergency.findMany({
      where: { state: 'active', id: { not: id }, OR: [{ id: { in: [...named] } }, ...(standing && hazard ? [{ hazard }] : [])] },
      select: { id: true, broadcastId: true, cadence: true },
    });
    const reach = await this.deps.areas.subtreeOf(areaIds, { ignoreUnknown: true });
    for (const candidate of candidates) {
      if (!named.includes(candidate.id)) {
        if (candidate.cadence === null) continue;
        const other = await this.prisma.broadcast.findUniqueOrThrow({ where: { id: candidate.broadcastId }, select: { areaIds: true } });
        const otherReach = await this.deps.areas.subtreeOf(other.areaIds, { ignoreUnknown: true });
        if (![...otherReach].some((areaId) => reach.has(areaId))) continue;
      }
      await this.end(candidate.id, 'superseded', actor, `superseded by emergency ${id}`, id);
    }
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  private validate(request: EmergencyRequest) {
    const repeat = request.repeat ?? this.options.defaultRepeat;
    const gapSeconds = request.gapSeconds ?? this.options.defaultGapSeconds;
    const validityMinutes = request.validityMinutes ?? this.options.defaultValidityMinutes;
    let cadence: Cadence | null = null;
    if (request.cadence) {
      const everyMinutes = parseEvery(request.cadence.every);
      if (everyMinutes === null) throw validationError('cadence.every: write a period such as 2h, 30m or 15m', [{ field: 'cadence.every', message: 'write a period such as 2h, 30m or 15m' }]);
      cadence = { everyMinutes, alignTo: request.cadence.alignTo ?? 'hour' };
      const problem = cadenceProblem(cadence);
      if (problem) throw validationError(`cadence.every: ${problem}`, [{ field: 'cadence.every', message: problem }]);
    }
    if (request.until && !cadence) throw validationError('until applies to a standing alert (with a cadence)', [{ field: 'until', message: 'needs a cadence' }]);
    return {
      repeat,
      gapSeconds,
      validityMinutes,
      cadence,
      hazard: request.hazard ?? null,
      tone: request.tone === undefined ? this.options.defaultSignal : request.tone,
    };
  }

  /** `all` is everything the sender may reach: the whole network for an admin, their area otherwise. */
  private async resolveTarget(target: EmergencyTarget, actor: Actor): Promise<BroadcastTarget> {
    const given = (target.areaIds?.length ?? 0) + (target.deviceIds?.length ?? 0);
    if (target.all && given > 0) throw validationError('target: give all, or areaIds and deviceIds, not both', [{ field: 'target.all', message: 'not together with areaIds or deviceIds' }]);
    if (!target.all) {
      if (given === 0) throw validationError('target: name areaIds, deviceIds or all', [{ field: 'target', message: 'name areaIds, deviceIds or all' }]);
      return { areaIds: target.areaIds ?? [], deviceIds: target.deviceIds ?? [] };
    }
    const root = actor.scope.rootAreaId;
    if (root) return { areaIds: [root] };
    const tops = (await this.deps.areas.all()).filter((area) => area.parentId === null).map((area) => area.id);
    if (tops.length === 0) throw conflict('there are no areas to send to', 'target.all');
    return { areaIds: tops };
  }

  private async bulletinFor(content: EmergencyContent, actor: Actor): Promise<string> {
    const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
    switch (content.kind) {
      case 'bulletin':
        return (await this.deps.bulletins.get(content.bulletinId, 'bulletinId', actor.scope)).id;
      case 'upload':
        return (await this.deps.bulletins.createFromUpload(content.title ?? `Khẩn cấp ${stamp}`, content.filePath, content.originalName, actor)).id;
      case 'text': {
        const { kind: _kind, title, ...speech } = content;
        return (await this.deps.bulletins.createFromText({ ...speech, title: title ?? `Khẩn cấp ${stamp}` }, actor)).id;
      }
    }
  }

  private async storedAudio(sha256: string): Promise<StoredAudio | null> {
    return this.prisma.audio.findUnique({ where: { sha256 }, select: { sha256: true, bytes: true, durationMs: true, mime: true } });
  }

  private async visible(id: string, scope: AccessScope): Promise<EmergencySummary> {
    const summary = await this.summary(id);
    const visible = scope.unrestricted || summary.areaIds.some((areaId) => scope.concernsArea(areaId));
    if (!visible) throw notFound('emergency', id);
    return summary;
  }

  async summary(id: string): Promise<EmergencySummary> {
    const row = await this.prisma.emergency.findUnique({ where: { id } });
    if (!row) throw notFound('emergency', id);
    const broadcast = await this.prisma.broadcast.findUniqueOrThrow({
      where: { id: row.broadcastId },
      select: { bulletinId: true, target: true, areaIds: true, bulletin: { select: { title: true } } },
    });
    return {
      id: row.id,
      broadcastId: row.broadcastId,
      bulletinId: broadcast.bulletinId,
      title: broadcast.bulletin.title,
      state: row.state,
      hazard: row.hazard,
      signal: row.signal as EmergencySummary['signal'],
      repeat: row.repeatCount,
      gapSeconds: row.gapSeconds,
      validityMinutes: row.validitySeconds / 60,
      cadence: row.cadence as unknown as Cadence | null,
      target: broadcast.target as BroadcastTarget,
      areaIds: broadcast.areaIds,
      nextAiringAt: row.nextAiringAt,
      endsAt: row.endsAt,
      endedAt: row.endedAt,
      endedBy: row.endedBy,
      endReason: row.endReason,
      supersededById: row.supersededById,
      capAlertId: row.capAlertId,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
    };
  }

  private async audit(actor: Actor, emergencyId: string, what: string, details: object): Promise<void> {
    await this.deps.audit.record({
      userId: actor.user?.id ?? null,
      username: actor.user?.username ?? 'system',
      ip: null,
      method: 'EVENT',
      route: `emergency:${what}`,
      entityId: emergencyId,
      statusCode: 200,
      summary: { request: details, outcome: { state: what } },
    });
  }

  private changed(emergencyId: string, broadcastId: string): void {
    for (const listener of this.listeners) listener(emergencyId, broadcastId);
  }
}
