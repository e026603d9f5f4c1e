/**
 * What to do with a valid alert: which info block to read, whether it is grave enough to go on air
 * at once, what to say, where, and which hazard it is. Pure.
 */
import type { CapAlert, CapInfo } from './cap-schema.js';

export interface CapPolicy {
  readonly severities: readonly string[];
  readonly urgencies: readonly string[];
  readonly certainties: readonly string[];
}

export const DEFAULT_CAP_POLICY: CapPolicy = Object.freeze({
  severities: ['Extreme', 'Severe'],
  urgencies: ['Immediate', 'Expected'],
  certainties: ['Observed', 'Likely'],
});

/** The Vietnamese info block (`vi`, `vi-VN`) when there is one, else the first. */
export function chooseInfo(alert: CapAlert): { readonly info: CapInfo; readonly index: number; readonly vietnamese: boolean } | null {
  const index = alert.info.findIndex((info) => /^vi(-|$)/i.test(info.language));
  if (index >= 0) return { info: alert.info[index]!, index, vietnamese: true };
  return alert.info[0] ? { info: alert.info[0], index: 0, vietnamese: false } : null;
}

export interface CapDecision {
  readonly action: 'broadcast' | 'draft';
  readonly reason: string;
  /** What is spoken: headline, description and instruction. */
  readonly text: string;
}

export function decideCapAction(info: CapInfo, policy: CapPolicy): CapDecision {
  const grave = policy.severities.includes(info.severity) && policy.urgencies.includes(info.urgency) && policy.certainties.includes(info.certainty);
  const levels = `${info.severity}/${info.urgency}/${info.certainty}`;
  return {
    action: grave ? 'broadcast' : 'draft',
    reason: grave
      ? `${levels} meets the broadcast policy: sent as an emergency`
      : `${levels} is below the broadcast policy (${policy.severities.join('|')} + ${policy.urgencies.join('|')} + ${policy.certainties.join('|')}): a draft bulletin for an official to review`,
    text: spokenText(info),
  };
}

function spokenText(info: CapInfo): string {
  const parts = [info.headline ?? info.event, info.description, info.instruction]
    .map((part) => part?.replace(/\s+/g, ' ').trim())
    .filter((part): part is string => Boolean(part));
  return parts.map((part) => (/[.!?…]$/.test(part) ? part : `${part}.`)).join(' ');
}

export interface AreaMatcher {
  readonly areaDesc: string;
  readonly geocodes: readonly string[];
}

export function areaMatchers(info: CapInfo): AreaMatcher[] {
  return info.area.map((area) => ({ areaDesc: area.areaDesc, geocodes: area.geocode.map((code) => code.value) }));
}

/** For matching `<areaDesc>` to our area names: Unicode NFC, lower case, single spaces. */
export function normaliseAreaName(name: string): string {
  return name.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();
}

const HAZARD_WORDS: readonly [string, RegExp][] = [
  ['tsunami', /sóng thần|tsunami/i],
  ['landslide', /sạt lở|lở đất|landslide|mudslide/i],
  ['flood', /lũ|lụt|ngập|flood/i],
  ['storm', /bão|áp thấp nhiệt đới|storm|typhoon|cyclone|tropical depression/i],
  ['fire', /cháy|hỏa hoạn|fire/i],
];

/** Our hazard key, from the event, headline and event codes; `other` when none is recognised. */
export function hazardOf(info: CapInfo): string {
  const words = [info.event, info.headline ?? '', ...info.eventCode.map((code) => code.value)].join(' ').normalize('NFC');
  return HAZARD_WORDS.find(([, pattern]) => pattern.test(words))?.[0] ?? (info.category.includes('Fire') ? 'fire' : 'other');
}
