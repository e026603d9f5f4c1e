/**
 * The caller's pronunciation dictionary (place names, ethnic groups, local abbreviations), tried
 * before every built-in rule. Word entries are one case-insensitive pattern; pattern entries are
 * tried one by one. Where several match at a place the longest match wins, then the earliest entry.
 */
import type { FlaggedToken, PronunciationEntry } from '../normalizer-types.js';
import type { Rule, RuleMatch } from '../rule.js';
import { escapeRegExp, matchAt } from '../text-context.js';

interface CompiledPattern {
  readonly order: number;
  readonly pattern: RegExp;
  readonly spoken: string;
}

interface WordReading {
  readonly order: number;
  readonly spoken: string;
}

export interface CompiledDictionary {
  readonly rule: Rule | null;
  readonly problems: readonly FlaggedToken[];
}

const SLASHED = /^\/([\s\S]*)\/([a-z]*)$/;
const WORD_BOUNDARY_BEFORE = '(?<![\\p{L}\\p{M}\\p{N}])';
const WORD_BOUNDARY_AFTER = '(?![\\p{L}\\p{M}\\p{N}])';

/** Why an entry cannot be used, or null; for validating entries when they are saved. */
export function pronunciationEntryProblem(entry: PronunciationEntry): string | null {
  if (entry.match.trim() === '') return 'the text to match is empty';
  if (entry.kind === 'pattern') {
    const compiled = compilePattern(entry.match);
    if (typeof compiled === 'string') return compiled;
    if (compiled.test('')) return 'the pattern matches empty text, so it would never read anything';
  }
  return null;
}

export function compileDictionary(entries: readonly PronunciationEntry[]): CompiledDictionary {
  const problems: FlaggedToken[] = [];
  const words = new Map<string, WordReading>();
  const patterns: CompiledPattern[] = [];
  entries.forEach((entry, order) => {
    const problem = pronunciationEntryProblem(entry);
    if (problem) {
      problems.push({ token: entry.match, index: -1, code: 'dictionary-entry', reason: `dictionary entry not used: ${problem}` });
      return;
    }
    if (entry.kind === 'word') {
      const key = wordKey(entry.match);
      if (!words.has(key)) words.set(key, { order, spoken: entry.spoken });
    } else {
      const compiled = compilePattern(entry.match) as RegExp;
      patterns.push({ order, pattern: new RegExp(compiled.source, `${compiled.flags.replace(/[gy]/g, '')}y`), spoken: entry.spoken });
    }
  });
  if (words.size === 0 && patterns.length === 0) return { rule: null, problems };

  const wordPattern = words.size > 0 ? wordAlternation([...words.keys()]) : null;
  const lookUpWord = (found: string): WordReading | undefined => words.get(wordKey(found)) ?? [...words.entries()].find(([key]) => wordAlternation([key]).test(found))?.[1];

  const rule: Rule = {
    name: 'dictionary',
    startsOn: patterns.length > 0 ? ['digit', 'word', 'other'] : ['digit', 'word'],
    match(text, at): RuleMatch | null {
      const candidates: { length: number; order: number; spoken: string }[] = [];
      if (wordPattern) {
        const found = matchAt(wordPattern, text, at);
        const reading = found ? lookUpWord(found[0]) : undefined;
        if (found && reading) candidates.push({ length: found[0].length, order: reading.order, spoken: reading.spoken });
      }
      for (const { order, pattern, spoken } of patterns) {
        const found = matchAt(pattern, text, at);
        if (found && found[0].length > 0) candidates.push({ length: found[0].length, order, spoken: substitute(spoken, found) });
      }
      const best = candidates.sort((a, b) => b.length - a.length || a.order - b.order)[0];
      return best ? { length: best.length, spoken: best.spoken } : null;
    },
  };
  return { rule, problems };
}

function wordKey(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

function wordAlternation(keys: readonly string[]): RegExp {
  const alternatives = [...keys]
    .sort((a, b) => b.length - a.length)
    .map((key) => key.split(' ').map(escapeRegExp).join('\\s+'));
  return new RegExp(`${WORD_BOUNDARY_BEFORE}(?:${alternatives.join('|')})${WORD_BOUNDARY_AFTER}`, 'iuy');
}

/** Bare source, or `/source/flags`; Unicode mode when the source allows it, so `\p{L}` works. */
function compilePattern(match: string): RegExp | string {
  const slashed = SLASHED.exec(match);
  const source = slashed ? slashed[1]! : match;
  const flags = slashed ? slashed[2]! : '';
  const attempts = flags.includes('u') || flags.includes('v') ? [flags] : [`${flags}u`, flags];
  let error = '';
  for (const attempt of attempts) {
    try {
      return new RegExp(source, attempt.replace(/[gy]/g, ''));
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
  }
  return `not a valid regular expression (${error})`;
}

/** `$1`, `$<name>`, `$&` and `$$` in a pattern entry's reading, as String.prototype.replace has them. */
function substitute(spoken: string, found: RegExpExecArray): string {
  return spoken.replace(/\$(\$|&|\d{1,2}|<[^>]*>)/g, (whole, token: string) => {
    if (token === '$') return '$';
    if (token === '&') return found[0];
    if (token.startsWith('<')) return found.groups?.[token.slice(1, -1)] ?? '';
    const group = Number(token);
    return group > 0 && group < found.length ? found[group] ?? '' : whole;
  });
}
