/**
 * Turns a Vietnamese bulletin into the text a speech engine should read: numbers, money, dates,
 * times, phone numbers, document numbers, list numbering, units and abbreviations written out as
 * words; punctuation reduced to pauses. Every rewrite is reported as a change at its position in
 * the input, and anything the rules cannot read with confidence is kept and flagged: a misread
 * bulletin is worse than none. Pure and synchronous; see docs/speech.md.
 */
import { TextMapping } from './text-mapping.js';
import { cleanInput } from './input-cleaning.js';
import type { FlaggedToken, NormalizedText, NormalizeOptions } from './normalizer-types.js';
import { scan } from './rule-scanner.js';
import { buildRuleSet, type RuleSet } from './rule-set.js';

export { DEFAULT_ABBREVIATIONS } from './default-abbreviations.js';
export { pronunciationEntryProblem } from './rules/dictionary-rule.js';
export type { Change, FlagCode, FlaggedToken, NormalizedText, NormalizeOptions, NumberDialect, PronunciationEntry } from './normalizer-types.js';

/**
 * Passes until the text stops changing. One pass nearly always settles it; a second is needed
 * only where a reading lands against its neighbour and they form something new ("$.vn" after
 * "1" becomes "một đô la.vn", an address). Running to a fixed point is what makes the result
 * idempotent by construction, which the property tests check.
 */
const MAX_PASSES = 4;

export function normalizeVietnamese(text: string, options: NormalizeOptions = {}): NormalizedText {
  const ruleSet = ruleSetFor(options);
  // The dictionary reads what was written, once: a reading that contains its own word ("Khang" →
  // "Khang Thượng") must not be read again in the passes that settle the built-in rules.
  const settlingRuleSet = options.dictionary?.length ? ruleSetFor({ ...options, dictionary: [] }) : ruleSet;
  const cleaned = cleanInput(text);
  let current = cleaned.text;
  let mapping = new TextMapping(text, cleaned.text, cleaned.pieces);
  let changes = mapping.composeChanges([]);
  const flagged = new Map<string, FlaggedToken>(cleaned.flags.map((flag) => [flagKey(flag), flag]));
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const scanned = scan(current, (pass === 0 ? ruleSet : settlingRuleSet).rules);
    for (const found of scanned.flags) {
      const flag = mapping.flag(found, pass > 0);
      if (flag) flagged.set(flagKey(flag), flag);
    }
    if (scanned.changes.length === 0) break;
    changes = mapping.composeChanges(scanned.changes);
    ({ text: current, mapping } = TextMapping.afterChanges(text, changes));
  }
  return {
    spokenText: current,
    changes,
    flagged: [...ruleSet.problems, ...[...flagged.values()].sort((a, b) => a.index - b.index)],
  };
}

function flagKey(flag: FlaggedToken): string {
  return `${flag.index}:${flag.token.length}:${flag.code}`;
}

/**
 * Compiling a dictionary builds regular expressions. Callers build a fresh options object for each
 * bulletin from the same stored entries, so compiled rules are remembered by content, not by object;
 * the most recently used few are kept.
 */
const MAX_REMEMBERED_RULE_SETS = 16;
const ruleSets = new Map<string, RuleSet>();

function ruleSetFor(options: NormalizeOptions): RuleSet {
  const key = JSON.stringify([
    options.dialect ?? 'northern',
    (options.dictionary ?? []).map((entry) => [entry.kind, entry.match, entry.spoken]),
    [...(options.abbreviations ?? [])],
  ]);
  let ruleSet = ruleSets.get(key);
  if (ruleSet) {
    ruleSets.delete(key);
  } else {
    ruleSet = buildRuleSet(options);
    if (ruleSets.size >= MAX_REMEMBERED_RULE_SETS) ruleSets.delete(ruleSets.keys().next().value!);
  }
  ruleSets.set(key, ruleSet);
  return ruleSet;
}
