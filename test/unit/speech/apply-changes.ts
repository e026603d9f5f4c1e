import type { Change } from '../../../server/speech/vietnamese-normalizer.js';

/**
 * Applies a change list to the text it was made from, checking that it is well formed: in order,
 * not overlapping, and each `from` really at its index.
 */
export function applyChanges(text: string, changes: readonly Change[]): string {
  let result = '';
  let copiedUpTo = 0;
  for (const change of changes) {
    if (change.index < copiedUpTo) throw new Error(`change at ${change.index} overlaps the one before`);
    if (text.slice(change.index, change.index + change.from.length) !== change.from) {
      throw new Error(`change at ${change.index} claims ${JSON.stringify(change.from)} but the input has ${JSON.stringify(text.slice(change.index, change.index + change.from.length))}`);
    }
    result += text.slice(copiedUpTo, change.index) + change.to;
    copiedUpTo = change.index + change.from.length;
  }
  return result + text.slice(copiedUpTo);
}
