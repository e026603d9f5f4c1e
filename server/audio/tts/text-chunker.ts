/**
 * Splits text for engines with a per-request size limit (Google: 5,000 bytes of input). Chunks are
 * cut where a speaker would pause anyway: after sentences, then clauses, then words; a word is cut
 * only when it alone exceeds the limit, and then between grapheme clusters, never inside a character.
 */

/** Under Google's 5,000-byte limit with room for the request's own framing. */
export const DEFAULT_MAX_CHUNK_BYTES = 4_800;

// Each entry splits a piece that is still too long into smaller pieces, keeping the separator
// (punctuation plus following whitespace) attached to the left piece so nothing is lost.
const SENTENCE_END = /((?<=[.!?…;。][\p{Pe}\p{Pf}"']*)\s+|\s*\n\s*)/u;
const CLAUSE_END = /((?<=[,:，、])\s+|\s+(?=[–—]\s))/u;
const WORD_GAP = /(\s+)/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function chunkText(text: string, maxBytes: number = DEFAULT_MAX_CHUNK_BYTES): string[] {
  // Four bytes is the longest UTF-8 encoding of one code point; below that some text could never fit.
  if (!Number.isInteger(maxBytes) || maxBytes < 4) throw new RangeError(`maxBytes must be an integer ≥ 4, got ${maxBytes}`);
  const pieces = fit(text, 0, maxBytes);
  const chunks: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const piece of pieces) {
    const pieceBytes = utf8Bytes(piece);
    // A piece's trailing separator is trimmed if the chunk ends there, so only its text must fit.
    if (current && currentBytes + utf8Bytes(piece.trimEnd()) > maxBytes) {
      pushTrimmed(chunks, current);
      current = '';
      currentBytes = 0;
    }
    current += piece;
    currentBytes += pieceBytes;
  }
  pushTrimmed(chunks, current);
  return chunks;
}

function fit(text: string, level: number, maxBytes: number): string[] {
  if (utf8Bytes(text.trimEnd()) <= maxBytes) return [text];
  const parts = splitAt(text, level);
  if (parts.length <= 1) return level < 4 ? fit(text, level + 1, maxBytes) : [text];
  return parts.flatMap((part) => fit(part, level + 1, maxBytes));
}

function splitAt(text: string, level: number): string[] {
  switch (level) {
    case 0:
      return splitKeepingSeparators(text, SENTENCE_END);
    case 1:
      return splitKeepingSeparators(text, CLAUSE_END);
    case 2:
      return splitKeepingSeparators(text, WORD_GAP);
    case 3:
      return Array.from(graphemes.segment(text), (segment) => segment.segment);
    default:
      // A single grapheme cluster over the limit (a pile of combining marks): code points, still whole characters.
      return Array.from(text);
  }
}

function splitKeepingSeparators(text: string, separator: RegExp): string[] {
  const parts = text.split(separator);
  const pieces: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const piece = (parts[i] ?? '') + (parts[i + 1] ?? '');
    if (piece) pieces.push(piece);
  }
  return pieces;
}

function pushTrimmed(chunks: string[], chunk: string): void {
  const trimmed = chunk.trim();
  if (trimmed) chunks.push(trimmed);
}
