/**
 * Units and currencies written after a number, and how they are said. Only read after a number or
 * after a slash that follows one: a bare "m" or "km" elsewhere is left alone.
 */
import { escapeRegExp } from './text-context.js';

export type UnitKind = 'currency' | 'magnitude' | 'measure' | 'percent';

export interface UnitReading {
  readonly spoken: string;
  readonly kind: UnitKind;
}

const unit = (spoken: string, kind: UnitKind): UnitReading => ({ spoken, kind });

/** Keys are matched case-sensitively: "K" and "k" both mean thousand, but "M" is not "m". */
export const UNITS: ReadonlyMap<string, UnitReading> = new Map([
  ['đ', unit('đồng', 'currency')],
  ['Đ', unit('đồng', 'currency')],
  ['đồng', unit('đồng', 'currency')],
  ['VNĐ', unit('đồng', 'currency')],
  ['VND', unit('đồng', 'currency')],
  ['vnđ', unit('đồng', 'currency')],
  ['vnd', unit('đồng', 'currency')],
  ['Vnđ', unit('đồng', 'currency')],
  ['USD', unit('đô la Mỹ', 'currency')],
  ['usd', unit('đô la Mỹ', 'currency')],
  ['$', unit('đô la', 'currency')],
  ['€', unit('ơ rô', 'currency')],
  ['EUR', unit('ơ rô', 'currency')],
  ['k', unit('nghìn', 'magnitude')],
  ['K', unit('nghìn', 'magnitude')],
  ['tr', unit('triệu', 'magnitude')],
  ['km/h', unit('ki lô mét trên giờ', 'measure')],
  ['m/s', unit('mét trên giây', 'measure')],
  ['km²', unit('ki lô mét vuông', 'measure')],
  ['km2', unit('ki lô mét vuông', 'measure')],
  ['km', unit('ki lô mét', 'measure')],
  ['m²', unit('mét vuông', 'measure')],
  ['m2', unit('mét vuông', 'measure')],
  ['m³', unit('mét khối', 'measure')],
  ['m3', unit('mét khối', 'measure')],
  ['m', unit('mét', 'measure')],
  ['dm', unit('đề xi mét', 'measure')],
  ['cm', unit('xăng ti mét', 'measure')],
  ['mm', unit('mi li mét', 'measure')],
  ['ha', unit('héc ta', 'measure')],
  ['kg', unit('ki lô gam', 'measure')],
  ['g', unit('gam', 'measure')],
  ['mg', unit('mi li gam', 'measure')],
  ['ml', unit('mi li lít', 'measure')],
  ['l', unit('lít', 'measure')],
  ['lít', unit('lít', 'measure')],
  ['tấn', unit('tấn', 'measure')],
  ['tạ', unit('tạ', 'measure')],
  ['yến', unit('yến', 'measure')],
  ['sào', unit('sào', 'measure')],
  ['°C', unit('độ xê', 'measure')],
  ['ºC', unit('độ xê', 'measure')],
  // "30oC": the degree sign lost when copying from a word processor.
  ['oC', unit('độ xê', 'measure')],
  ['°F', unit('độ ép', 'measure')],
  ['°', unit('độ', 'measure')],
  ['độ C', unit('độ xê', 'measure')],
  ['độ', unit('độ', 'measure')],
  ['h', unit('giờ', 'measure')],
  ['kWh', unit('ki lô oát giờ', 'measure')],
  ['kW', unit('ki lô oát', 'measure')],
  ['MW', unit('mê ga oát', 'measure')],
  ['W', unit('oát', 'measure')],
  ['%', unit('phần trăm', 'percent')],
  ['‰', unit('phần nghìn', 'percent')],
]);

/** Said after a slash: "50.000đ/cp" is "… đồng một cổ phiếu". */
export const PER_WORDS: ReadonlyMap<string, string> = new Map([
  ['cp', 'cổ phiếu'],
  ['CP', 'cổ phiếu'],
  ['ng', 'người'],
  ['th', 'tháng'],
]);

const KEYS_LONGEST_FIRST = [...UNITS.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');

const FIRST_CHARACTERS = new Set([...UNITS.keys()].map((key) => key[0]));

/** Cheap test before UNIT_AFTER_NUMBER, which most numbers fail: can a unit start here, after up to two spaces? */
export function mayStartUnit(text: string, at: number): boolean {
  let index = at;
  while (index < at + 2 && (text[index] === ' ' || text[index] === '\t')) index++;
  return FIRST_CHARACTERS.has(text[index]);
}

/** A unit right after a number: at most two spaces between, and no letter or digit straight after it. */
export const UNIT_AFTER_NUMBER = new RegExp(`[ \\t]{0,2}(${KEYS_LONGEST_FIRST})(?![\\p{L}\\p{M}\\p{N}])`, 'uy');

/** A unit right after a slash, with nothing between. */
export const UNIT_AFTER_SLASH = new RegExp(`(${KEYS_LONGEST_FIRST})(?![\\p{L}\\p{M}\\p{N}])`, 'uy');
