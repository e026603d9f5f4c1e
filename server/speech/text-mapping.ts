/**
 * Puts changes made to an intermediate text (after cleaning, or after an earlier pass) back in
 * terms of the caller's text: one list of changes, by position in the input, which applied in
 * order to the input give the new text. A change that covers an earlier edit absorbs it
 * ("UB\u200BND" → "ủy ban nhân dân" is one change); earlier edits elsewhere stay as they were.
 */
import type { Change, FlaggedToken } from './normalizer-types.js';
import type { ScannedChange, ScannedFlag } from './rule-scanner.js';

/** A stretch of the input and what it became in the current text; unchanged stretches have `changed: false`. */
export interface MappedPiece {
  readonly originalStart: number;
  readonly originalEnd: number;
  readonly currentStart: number;
  readonly currentEnd: number;
  readonly changed: boolean;
  /** The rule that made a changed piece. */
  readonly rule: string;
}

interface Span {
  readonly currentStart: number;
  readonly currentEnd: number;
}

export class TextMapping {
  private readonly filled: readonly MappedPiece[];

  /** `pieces` partition `original` and say what each part became in `current`. */
  constructor(
    private readonly original: string,
    private readonly current: string,
    private readonly pieces: readonly MappedPiece[],
  ) {
    // Removals occupy no current text; lookups by position skip them.
    this.filled = pieces.filter((piece) => piece.currentEnd > piece.currentStart);
  }

  /** The mapping from the original to the text these changes (in original positions) produce. */
  static afterChanges(original: string, changes: readonly Change[]): { text: string; mapping: TextMapping } {
    const pieces: MappedPiece[] = [];
    const out: string[] = [];
    let originalAt = 0;
    let currentAt = 0;
    const push = (originalEnd: number, text: string, changed: boolean, rule: string) => {
      pieces.push({ originalStart: originalAt, originalEnd, currentStart: currentAt, currentEnd: currentAt + text.length, changed, rule });
      out.push(text);
      originalAt = originalEnd;
      currentAt += text.length;
    };
    for (const change of changes) {
      if (change.index > originalAt) push(change.index, original.slice(originalAt, change.index), false, '');
      push(change.index + change.from.length, change.to, true, change.rule);
    }
    if (originalAt < original.length || pieces.length === 0) push(original.length, original.slice(originalAt), false, '');
    const text = out.join('');
    return { text, mapping: new TextMapping(original, text, pieces) };
  }

  composeChanges(scanned: readonly ScannedChange[]): Change[] {
    const pieces = this.pieces;
    const groups = this.groupOverlapping(scanned);
    const changes: Change[] = [];
    for (const group of groups) {
      const first = group.members[0]!;
      let to = this.current.slice(group.currentStart, first.index);
      group.members.forEach((member, position) => {
        to += member.to;
        const next = group.members[position + 1];
        to += this.current.slice(member.index + member.from.length, next ? next.index : group.currentEnd);
      });
      const start = this.originalStart(group.currentStart);
      const end = this.originalEnd(group.currentEnd);
      changes.push({ from: this.original.slice(start, end), to, rule: this.earlierRule(start, end) ?? first.rule, index: start });
    }
    const covered = changes.map((change) => [change.index, change.index + change.from.length] as const);
    let cursor = 0;
    for (const piece of pieces) {
      if (!piece.changed) continue;
      while (cursor < covered.length && covered[cursor]![1] <= piece.originalStart) cursor++;
      const cover = covered[cursor];
      const absorbed = cover !== undefined && cover[0] <= piece.originalStart && piece.originalEnd <= cover[1];
      if (absorbed) continue;
      changes.push({
        from: this.original.slice(piece.originalStart, piece.originalEnd),
        to: this.current.slice(piece.currentStart, piece.currentEnd),
        rule: piece.rule,
        index: piece.originalStart,
      });
    }
    return changes.sort((a, b) => a.index - b.index);
  }

  /**
   * A change that rewrites an earlier rule's reading keeps that rule's name: a dictionary entry whose
   * reading has digits ("QL1A" → "quốc lộ 1 a") is still the dictionary's change once the digits are
   * read. Cleaning edits do not name a change: "UB\u200BND" → "ủy ban nhân dân" is an abbreviation.
   */
  private earlierRule(start: number, end: number): string | undefined {
    let low = 0;
    let high = this.pieces.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.pieces[middle]!.originalStart < start) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < this.pieces.length && this.pieces[index]!.originalStart < end; index++) {
      const piece = this.pieces[index]!;
      if (piece.changed && !piece.rule.startsWith('unicode.') && piece.originalEnd <= end) return piece.rule;
    }
    return undefined;
  }

  /**
   * The flag in terms of the input; with `outsideChanges`, null for text an earlier pass wrote: that
   * pass has already judged it, and its reading is not what the official typed.
   */
  flag(flag: ScannedFlag, outsideChanges = false): FlaggedToken | null {
    if (outsideChanges && this.touchesChange(flag.index, flag.index + Math.max(1, flag.length))) return null;
    const span = this.extend({ currentStart: flag.index, currentEnd: flag.index + Math.max(1, flag.length) });
    const start = this.originalStart(span.currentStart);
    const end = this.originalEnd(span.currentEnd);
    return { token: this.original.slice(start, end), index: start, code: flag.code, reason: flag.reason };
  }

  private touchesChange(currentStart: number, currentEnd: number): boolean {
    for (let position = currentStart; position < currentEnd; position++) {
      const piece = this.pieceContaining(position);
      if (piece?.changed) return true;
      if (piece) position = piece.currentEnd - 1;
    }
    return false;
  }

  /** Changes grouped where widening them to whole earlier edits makes them touch. */
  private groupOverlapping(scanned: readonly ScannedChange[]) {
    const groups: { currentStart: number; currentEnd: number; members: ScannedChange[] }[] = [];
    for (const change of scanned) {
      const span = this.extend({ currentStart: change.index, currentEnd: change.index + change.from.length });
      const last = groups[groups.length - 1];
      if (last && span.currentStart < last.currentEnd) {
        last.currentEnd = Math.max(last.currentEnd, span.currentEnd);
        last.members.push(change);
      } else {
        groups.push({ currentStart: span.currentStart, currentEnd: span.currentEnd, members: [change] });
      }
    }
    return groups;
  }

  /** Widens a span that cuts through an earlier edit to the whole edit. */
  private extend(span: Span): Span {
    let { currentStart, currentEnd } = span;
    const atStart = this.pieceContaining(currentStart);
    if (atStart?.changed) currentStart = atStart.currentStart;
    const atEnd = this.pieceContaining(currentEnd - 1);
    if (atEnd?.changed) currentEnd = atEnd.currentEnd;
    return { currentStart, currentEnd };
  }

  private originalStart(currentPosition: number): number {
    const piece = this.pieceContaining(currentPosition);
    if (!piece) return this.original.length;
    return piece.changed ? piece.originalStart : piece.originalStart + (currentPosition - piece.currentStart);
  }

  private originalEnd(currentPosition: number): number {
    const piece = this.pieceContaining(currentPosition - 1);
    if (!piece) return 0;
    return piece.changed ? piece.originalEnd : piece.originalStart + (currentPosition - piece.currentStart);
  }

  private pieceContaining(currentPosition: number): MappedPiece | undefined {
    let low = 0;
    let high = this.filled.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const piece = this.filled[middle]!;
      if (currentPosition < piece.currentStart) high = middle - 1;
      else if (currentPosition >= piece.currentEnd) low = middle + 1;
      else return piece;
    }
    return undefined;
  }
}
