/**
 * Before any rule runs: words composed to NFC (an editor may send "ệ" as e + two combining marks,
 * and rules are written in precomposed letters), and characters nobody sees removed: zero-width
 * spaces, soft hyphens, direction marks, variation selectors, control characters, and unpaired
 * surrogates (no engine can be sent them). Removing them first means "UB\u200BND" reads as the
 * "UBND" it looks like. Each edit is a piece that maps the cleaned text back to the input.
 */
import type { FlaggedToken } from './normalizer-types.js';
import type { MappedPiece } from './text-mapping.js';

export interface CleanedInput {
  readonly text: string;
  readonly pieces: readonly MappedPiece[];
  readonly flags: readonly FlaggedToken[];
}

// Invisible: format characters, variation selectors, C0/C1 controls other than tab and line breaks,
// and unpaired surrogates (paired ones are one astral code point and never match this range).
const INVISIBLE_CLASS = String.raw`\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF`;
const NEEDS_CLEANING = new RegExp(String.raw`[\p{M}${INVISIBLE_CLASS}]`, 'u');
/**
 * A word with whatever invisible characters sit inside or beside it is cleaned as one run, so that
 * removing them and composing happen together: "e\u200B\u0301" must become "é", as a second pass
 * would make it anyway.
 */
const RUN = new RegExp(String.raw`[\p{L}\p{N}\p{M}${INVISIBLE_CLASS}]+`, 'gu');
const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, 'gu');
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;

export function cleanInput(input: string): CleanedInput {
  if (!NEEDS_CLEANING.test(input)) {
    return { text: input, pieces: [unchanged(0, input.length, 0)], flags: [] };
  }
  const pieces: MappedPiece[] = [];
  const flags: FlaggedToken[] = [];
  const out: string[] = [];
  let cleanLength = 0;
  let copiedUpTo = 0;
  const emit = (originalEnd: number, replacement: string | null, rule: string) => {
    const original = input.slice(copiedUpTo, originalEnd);
    const text = replacement ?? original;
    pieces.push({
      originalStart: copiedUpTo,
      originalEnd,
      currentStart: cleanLength,
      currentEnd: cleanLength + text.length,
      changed: replacement !== null,
      rule,
    });
    out.push(text);
    cleanLength += text.length;
    copiedUpTo = originalEnd;
  };
  for (const found of input.matchAll(RUN)) {
    const run = found[0];
    const start = found.index;
    const withoutInvisible = run.replace(INVISIBLE, '');
    const replacement = withoutInvisible.normalize('NFC');
    if (replacement === run) continue;
    let invalid = false;
    for (const surrogate of run.matchAll(LONE_SURROGATE)) {
      invalid = true;
      flags.push({ token: surrogate[0], index: start + surrogate.index, code: 'invalid-character', reason: 'an unpaired surrogate is not a character; it was removed' });
    }
    // Only the part that differs is an edit: "1\u200BV" changes at the zero-width space, not at "1".
    const { prefix, suffix } = sharedEnds(run, replacement);
    if (start + prefix > copiedUpTo) emit(start + prefix, null, '');
    const rule = invalid ? 'unicode.invalid' : withoutInvisible === run ? 'unicode.compose' : 'unicode.invisible';
    emit(start + run.length - suffix, replacement.slice(prefix, replacement.length - suffix), rule);
  }
  if (copiedUpTo < input.length || pieces.length === 0) emit(input.length, null, '');
  return { text: out.join(''), pieces, flags };
}

function unchanged(originalStart: number, originalEnd: number, currentStart: number): MappedPiece {
  return { originalStart, originalEnd, currentStart, currentEnd: currentStart + originalEnd - originalStart, changed: false, rule: '' };
}

/** Lengths of the common start and end of two strings, never splitting a surrogate pair. */
function sharedEnds(a: string, b: string): { prefix: number; suffix: number } {
  const limit = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a[prefix] === b[prefix]) prefix++;
  if (prefix > 0 && isHighSurrogate(a.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (suffix < limit - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  if (suffix > 0 && isLowSurrogate(a.charCodeAt(a.length - suffix))) suffix--;
  return { prefix, suffix };
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
