/**
 * Turns the bytes of a programme file into a plain value plus a way to find the line of any field,
 * so a validation error can say "line 14" rather than only `programmes.1.schedule.daily.times.0`.
 *
 * YAML is parsed with `yaml`'s Document API (it keeps source ranges). JSON is parsed with
 * JSON.parse, for JSON's own rules, and then also read as YAML (JSON is YAML 1.2's flow style) purely
 * to locate lines and to catch duplicate keys, which JSON.parse would silently collapse.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export type ProgrammeSourceFormat = 'yaml' | 'json';

/** A problem with the file as a whole (encoding, syntax); `line` is 1-based. */
export interface SourceProblem {
  readonly line?: number;
  readonly message: string;
}

export interface ProgrammeSource {
  readonly value: unknown;
  /** The line of the field at `path`, or of the nearest enclosing field that exists. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export type ParsedProgrammeSource = { ok: true; source: ProgrammeSource } | { ok: false; problems: SourceProblem[] };

export const sourceFormatOf = (fileName: string): ProgrammeSourceFormat | undefined => {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
};

const lineAtOffset = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

/** Strict UTF-8: a file saved in a legacy Vietnamese code page (Windows-1258, TCVN3) must not load as mojibake. */
export function decodeProgrammeFile(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: SourceProblem } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // Notepad on Windows writes a byte-order mark; JSON.parse rejects it.
    return { ok: true, text: text.replace(/^\uFEFF/, '') };
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const at = lossy.indexOf('\uFFFD');
    return {
      ok: false,
      problem: { line: lineAtOffset(lossy, Math.max(at, 0)), message: 'the file is not UTF-8 text; save it with UTF-8 encoding (Vietnamese legacy encodings such as TCVN3 or Windows-1258 are not supported)' },
    };
  }
}

/** `yaml` messages read "Map keys must be unique at line 8, column 5:\n\n<excerpt>"; keep the sentence. */
const shortYamlMessage = (message: string): string => (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();

function locator(doc: Document, lines: LineCounter): ProgrammeSource['lineOf'] {
  const lineOfNode = (node: { range?: readonly number[] | null | undefined } | null | undefined): number | undefined => {
    const start = node?.range?.[0];
    return start === undefined ? undefined : lines.linePos(start).line;
  };
  return (path) => {
    let node: unknown = doc.contents;
    let line = lineOfNode(doc.contents as Node | null);
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        // A key's own line reads best: for `schedule:` the value starts on the next line.
        line = lineOfNode(pair.key as Node) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!item) break;
        line = lineOfNode(item as Node) ?? line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  };
}

function parseYaml(text: string): { doc: Document; lines: LineCounter; problems: SourceProblem[] } {
  const lines = new LineCounter();
  // YAML 1.2 core schema (the default): 06:00 and 2026-03-01 stay strings, `yes`/`on` are not booleans.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const problems = doc.errors.map((error) => ({ line: error.linePos?.[0].line, message: shortYamlMessage(error.message) }));
  return { doc, lines, problems };
}

export function parseProgrammeSource(text: string, format: ProgrammeSourceFormat): ParsedProgrammeSource {
  if (text.trim() === '') return { ok: false, problems: [{ message: 'the file is empty; it needs a "programmes" list' }] };
  if (format === 'yaml') {
    const { doc, lines, problems } = parseYaml(text);
    // Only the first: one slip (a wrong indent) makes the parser report several more on the same spot.
    const first = problems[0];
    if (first) return { ok: false, problems: [{ ...first, message: `YAML syntax error: ${first.message}` }] };
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      return { ok: false, problems: [{ message: `YAML error: ${(error as Error).message}` }] };
    }
    return { ok: true, source: { value, lineOf: locator(doc, lines) } };
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const raw = (error as Error).message;
    // Node 20 says "… in JSON at position 16", newer V8 "… (line 2 column 7)"; neither for every error.
    const lineColumn = /\(line (\d+) column \d+\)/.exec(raw);
    const position = /at position (\d+)/.exec(raw);
    const line = lineColumn ? Number(lineColumn[1]) : position ? lineAtOffset(text, Number(position[1])) : parseYaml(text).problems[0]?.line;
    const message = raw
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ \(line \d+ column \d+\)$/, '');
    return { ok: false, problems: [{ ...(line === undefined ? {} : { line }), message: `JSON syntax error: ${message}` }] };
  }
  const { doc, lines, problems } = parseYaml(text);
  const duplicates = problems.filter((p) => p.message.startsWith('Map keys must be unique'));
  if (duplicates.length > 0) return { ok: false, problems: duplicates.map((p) => ({ ...p, message: 'JSON error: a key appears twice in the same object' })) };
  // If the YAML reading failed for some JSON-only reason, values still load; only line numbers are lost.
  return { ok: true, source: { value, lineOf: problems.length === 0 ? locator(doc, lines) : () => undefined } };
}
