/**
 * CAP 1.2 alerts from warning systems (server/cap/ parses and validates them; docs/cap.md). Each
 * alert is recorded with what was done and why:
 * - invalid: refused (400, the element named), recorded as `rejected`;
 * - the same sender and identifier again: the first outcome, nothing done twice;
 * - Draft, System, Ack and Error, or no area of ours: `recorded` only;
 * - Test and Exercise: only to areas marked as test areas, never to a real speaker otherwise;
 * - Cancel: stops the emergencies of the alerts it references (`cancelled`);
 * - Alert and Update: the Vietnamese info block when there is one; severe, urgent and certain
 *   enough (the policy) → an emergency at once (an Update supersedes the alert it references);
 *   otherwise a draft bulletin for an official to review.
 */
import type { Logger } from 'pino';
import { areaMatchers, chooseInfo, decideCapAction, hazardOf, normaliseAreaName, parseCapAlert, type CapAlert, type CapPolicy } from '../cap/index.js';
import type { AreaRecord, AreaService } from '../areas/area-service.js';
import type { Actor } from '../auth/actor.js';
import type { BulletinService } from '../broadcasts/bulletin-service.js';
import type { PrismaClient } from '../db/database.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import type { EmergencyService } from './emergency-service.js';

export type CapOutcome = 'broadcast' | 'updated' | 'draft' | 'cancelled' | 'recorded' | 'rejected';

export interface CapResult {
  readonly id: string;
  readonly identifier: string | null;
  readonly outcome: CapOutcome;
  readonly reason: string;
  readonly emergencyId: string | null;
  readonly bulletinId: string | null;
  readonly areaIds: readonly string[];
  /** `<area>` blocks that matched none of our areas. */
  readonly unmatchedAreas: readonly string[];
  /** Language of the info block used; `vietnamese` false when there was none in Vietnamese. */
  readonly info: { readonly language: string; readonly vietnamese: boolean } | null;
  /** True when this sender and identifier had been received before: nothing was done again. */
  readonly duplicate: boolean;
}

export interface CapIntakeDependencies {
  readonly prisma: PrismaClient;
  readonly areas: AreaService;
  readonly bulletins: BulletinService;
  readonly emergencies: EmergencyService;
  readonly logger: Logger;
}

const MINUTE_MS = 60_000;

export class CapIntake {
  constructor(
    private readonly deps: CapIntakeDependencies,
    private readonly policy: CapPolicy,
  ) {}

  async submit(xml: string, actor: Actor): Promise<CapResult> {
    const parsed = parseCapAlert(xml);
    if (!parsed.ok) {
      const reason = parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      await this.record({ xml, actor, outcome: 'rejected', reason });
      throw new AppError('INVALID_CAP', 400, `the CAP alert is not valid: ${reason}`, parsed.errors.map((e) => ({ field: e.path, message: e.message })));
    }
    const alert = parsed.alert;
    const earlier = await this.deps.prisma.capAlert.findUnique({ where: { sender_identifier: { sender: alert.sender, identifier: alert.identifier } } });
    if (earlier) return { ...(await this.resultOf(earlier.id)), duplicate: true };
    const result = await this.act(alert, actor);
    const id = await this.record({ xml, actor, alert, ...result });
    this.deps.logger.info({ capId: id, identifier: alert.identifier, sender: alert.sender, outcome: result.outcome, reason: result.reason }, 'CAP alert handled');
    return this.resultOf(id);
  }

  private async act(alert: CapAlert, actor: Actor): Promise<Action> {
    if (alert.status === 'Draft' || alert.status === 'System') return { outcome: 'recorded', reason: `status ${alert.status} is recorded, never broadcast` };
    if (alert.msgType === 'Ack' || alert.msgType === 'Error') return { outcome: 'recorded', reason: `msgType ${alert.msgType} is recorded, never broadcast` };
    const referenced = await this.referencedEmergencies(alert);
    if (alert.msgType === 'Cancel') {
      for (const emergencyId of referenced) await this.deps.emergencies.stopEmergency(emergencyId, actor, `cancelled by CAP alert ${alert.identifier}`);
      return {
        outcome: 'cancelled',
        reason: referenced.length > 0 ? `stopped ${referenced.length} emergency broadcast(s) of the referenced alert(s)` : 'no emergency of the referenced alert(s) was still running',
        emergencyId: referenced[0] ?? null,
      };
    }
    const choice = chooseInfo(alert);
    if (!choice) return { outcome: 'recorded', reason: 'the alert has no info block to broadcast' };
    const { info } = choice;
    const infoSummary = { language: info.language, vietnamese: choice.vietnamese };
    const matched = await this.matchAreas(info);
    if (matched.areaIds.length === 0) {
      return { outcome: 'recorded', reason: 'no <area> matches an area of ours (by geocode or name)', unmatchedAreas: matched.unmatched, info: infoSummary };
    }
    let areaIds = matched.areaIds;
    if (alert.status === 'Test' || alert.status === 'Exercise') {
      areaIds = matched.areas.filter((area) => area.isTestArea).map((area) => area.id);
      if (areaIds.length === 0) {
        return { outcome: 'recorded', reason: `status ${alert.status} plays only in test areas, and none of the matched areas is one`, unmatchedAreas: matched.unmatched, info: infoSummary };
      }
    }
    const expires = info.expires ? new Date(info.expires).getTime() : null;
    if (expires !== null && expires <= Date.now()) return { outcome: 'recorded', reason: 'the alert had expired when it arrived', info: infoSummary };
    const decision = decideCapAction(info, this.policy);
    const title = (info.headline ?? info.event).slice(0, 300);
    if (decision.action === 'draft') {
      const bulletin = await this.deps.bulletins.createFromText({ title, text: decision.text }, actor);
      return { outcome: 'draft', reason: decision.reason, bulletinId: bulletin.id, areaIds, unmatchedAreas: matched.unmatched, info: infoSummary };
    }
    const validityMinutes = expires === null ? undefined : Math.max(0.1, Math.min(30, (expires - Date.now()) / MINUTE_MS));
    const emergency = await this.deps.emergencies.send(
      { content: { kind: 'text', text: decision.text, title }, target: { areaIds }, hazard: hazardOf(info), validityMinutes },
      actor,
      { supersedes: referenced },
    );
    return {
      outcome: alert.msgType === 'Update' ? 'updated' : 'broadcast',
      reason: alert.msgType === 'Update' && referenced.length > 0 ? `${decision.reason}; supersedes the referenced alert's emergency` : decision.reason,
      emergencyId: emergency.id,
      bulletinId: emergency.bulletinId,
      areaIds,
      unmatchedAreas: matched.unmatched,
      info: infoSummary,
    };
  }

  /** Our areas named by the info's `<area>` blocks: a geocode equal to an area code, or the area's name. */
  private async matchAreas(info: Parameters<typeof areaMatchers>[0]): Promise<{ areaIds: string[]; areas: AreaRecord[]; unmatched: string[] }> {
    const all = await this.deps.areas.all();
    const byCode = new Map(all.filter((area) => area.code).map((area) => [area.code!.toLowerCase(), area]));
    const byName = new Map(all.map((area) => [normaliseAreaName(area.name), area]));
    const found = new Map<string, AreaRecord>();
    const unmatched: string[] = [];
    for (const matcher of areaMatchers(info)) {
      const area = matcher.geocodes.map((code) => byCode.get(code.toLowerCase())).find((hit) => hit) ?? byName.get(normaliseAreaName(matcher.areaDesc));
      if (area) found.set(area.id, area);
      else unmatched.push(matcher.areaDesc);
    }
    return { areaIds: [...found.keys()], areas: [...found.values()], unmatched };
  }

  private async referencedEmergencies(alert: CapAlert): Promise<string[]> {
    if (alert.references.length === 0) return [];
    const rows = await this.deps.prisma.capAlert.findMany({
      where: { OR: alert.references.map((reference) => ({ sender: reference.sender, identifier: reference.identifier })), emergencyId: { not: null } },
      select: { emergencyId: true },
    });
    return rows.map((row) => row.emergencyId!);
  }

  private async record(entry: { xml: string; actor: Actor; alert?: CapAlert } & Action): Promise<string> {
    const id = newId();
    const { alert } = entry;
    await this.deps.prisma.capAlert.create({
      data: {
        id,
        sender: alert?.sender ?? null,
        identifier: alert?.identifier ?? null,
        sent: alert ? new Date(alert.sent) : null,
        status: alert?.status ?? null,
        msgType: alert?.msgType ?? null,
        references: alert ? alert.references.map((r) => `${r.sender},${r.identifier},${r.sent}`).join(' ') || null : null,
        outcome: entry.outcome,
        reason: entry.reason,
        emergencyId: entry.emergencyId ?? null,
        bulletinId: entry.bulletinId ?? null,
        areaIds: [...(entry.areaIds ?? [])],
        xml: entry.xml,
        receivedBy: entry.actor.user?.id ?? null,
        details: { unmatchedAreas: entry.unmatchedAreas ?? [], info: entry.info ?? null },
      },
    });
    return id;
  }

  private async resultOf(id: string): Promise<CapResult> {
    const row = await this.deps.prisma.capAlert.findUniqueOrThrow({ where: { id } });
    const details = row.details as { unmatchedAreas: string[]; info: CapResult['info'] };
    return {
      id: row.id,
      identifier: row.identifier,
      outcome: row.outcome as CapOutcome,
      reason: row.reason,
      emergencyId: row.emergencyId,
      bulletinId: row.bulletinId,
      areaIds: row.areaIds,
      unmatchedAreas: details.unmatchedAreas,
      info: details.info,
      duplicate: false,
    };
  }
}

interface Action {
  readonly outcome: CapOutcome;
  readonly reason: string;
  readonly emergencyId?: string | null;
  readonly bulletinId?: string | null;
  readonly areaIds?: readonly string[];
  readonly unmatchedAreas?: readonly string[];
  readonly info?: CapResult['info'];
}
