/**
 * The rules in the order they are asked. Order is precedence: the caller's dictionary first, then
 * what needs the most context (line-start numbering, addresses, document numbers, phones, dates,
 * times) before plain numbers, abbreviations, punctuation, and finally the rules that keep and
 * flag what nothing else could read.
 */
import { DEFAULT_ABBREVIATIONS } from './default-abbreviations.js';
import type { FlaggedToken, NormalizeOptions, NumberDialect } from './normalizer-types.js';
import type { Rule } from './rule.js';
import { RulesByStart } from './rule-scanner.js';
import { abbreviationRule } from './rules/abbreviation-rule.js';
import { dateRule } from './rules/date-rule.js';
import { compileDictionary } from './rules/dictionary-rule.js';
import { legalReferenceRule } from './rules/legal-reference-rule.js';
import { listMarkerRule } from './rules/list-marker-rule.js';
import { ordinalRule } from './rules/ordinal-rule.js';
import { pauseRule } from './rules/pause-rules.js';
import { phoneRule } from './rules/phone-rule.js';
import { quantityRule } from './rules/quantity-rule.js';
import { slashRule, symbolRule, unknownSymbolRule } from './rules/symbol-rules.js';
import { timeRule } from './rules/time-rule.js';
import { unknownTokenRule } from './rules/unknown-token-rule.js';
import { vehiclePlateRule } from './rules/vehicle-plate-rule.js';
import { webAddressRule } from './rules/web-address-rule.js';

export interface RuleSet {
  readonly rules: RulesByStart;
  /** Dictionary entries that could not be used, reported with every result. */
  readonly problems: readonly FlaggedToken[];
}

export function buildRuleSet(options: NormalizeOptions): RuleSet {
  const dialect: NumberDialect = options.dialect ?? 'northern';
  const abbreviations = options.abbreviations ? new Map([...DEFAULT_ABBREVIATIONS, ...options.abbreviations]) : DEFAULT_ABBREVIATIONS;
  const dictionary = compileDictionary(options.dictionary ?? []);
  const rules: (Rule | null)[] = [
    dictionary.rule,
    listMarkerRule(dialect),
    webAddressRule(),
    legalReferenceRule(dialect, abbreviations),
    vehiclePlateRule(),
    phoneRule(),
    ordinalRule(dialect),
    dateRule(dialect),
    timeRule(dialect),
    quantityRule(dialect),
    abbreviationRule(abbreviations),
    pauseRule(),
    slashRule(),
    symbolRule(),
    unknownSymbolRule(),
    unknownTokenRule(),
  ];
  return { rules: new RulesByStart(rules.filter((rule): rule is Rule => rule !== null)), problems: dictionary.problems };
}
