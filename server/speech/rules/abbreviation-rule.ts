/**
 * Abbreviations from DEFAULT_ABBREVIATIONS and the caller's own, tried where a word starts; the
 * longest key that fits wins ("PCCC&CNCH" before "PCCC"). Keys are grouped by their first two
 * characters, so a word is tested only against the few keys that could match it.
 */
import type { Rule } from '../rule.js';
import { escapeRegExp, matchAt } from '../text-context.js';

export function abbreviationRule(abbreviations: ReadonlyMap<string, string>): Rule | null {
  const readings = new Map<string, string>();
  for (const [key, spoken] of abbreviations) if (key.trim() !== '') readings.set(key.normalize('NFC'), spoken);
  if (readings.size === 0) return null;
  const byStart = new Map<string, string[]>();
  for (const key of readings.keys()) {
    const start = key.slice(0, Math.min(2, key.length));
    byStart.set(start, [...(byStart.get(start) ?? []), key]);
  }
  const patterns = new Map([...byStart].map(([start, keys]) => [start, keyPattern(keys)]));
  return {
    name: 'abbreviation',
    startsOn: ['word'],
    match(text, at) {
      for (const start of [text.slice(at, at + 2), text.slice(at, at + 1)]) {
        const pattern = patterns.get(start);
        const found = pattern ? matchAt(pattern, text, at) : null;
        const spoken = found ? readings.get(found[0]) : undefined;
        if (found && spoken !== undefined) return { length: found[0].length, spoken };
      }
      return null;
    },
  };
}

function keyPattern(keys: readonly string[]): RegExp {
  const alternatives = [...keys]
    .sort((a, b) => b.length - a.length)
    .map((key) => {
      const escaped = escapeRegExp(key);
      // A title before a name ("TP. Huế") ends in a dot that only belongs to it when a name follows.
      return key.endsWith('.') ? `${escaped}(?=[ \\t]*[\\p{Lu}\\p{N}])` : `${escaped}(?![\\p{L}\\p{M}\\p{N}])`;
    });
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${alternatives.join('|')})`, 'uy');
}
