/**
 * Zod issues → errors a district IT person can act on: the file, the dotted field, the line, and a
 * sentence that says what is expected ("must be a 24-hour time such as 06:30", "unknown key
 * "time"; did you mean "times"?") rather than zod's developer wording.
 */
import type { z } from 'zod';

export interface ProgrammeFileError {
  /** The programme file, as the catalogue names it (`schedules/xa-van-son.yaml`). */
  readonly path: string;
  /** Dotted path inside the file (`programmes.1.schedule.daily.times.0`); '' for the file as a whole. */
  readonly field: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
  readonly message: string;
}

/** `schedules/xa-van-son.yaml: programmes.1.schedule.daily.times.0 (line 14): must be a 24-hour time such as 06:30` */
export function formatProgrammeFileError(error: ProgrammeFileError): string {
  const where = error.line === undefined ? '' : ` (line ${error.line})`;
  return error.field === '' ? `${error.path}${where}: ${error.message}` : `${error.path}: ${error.field}${where}: ${error.message}`;
}

export const dottedField = (path: readonly PropertyKey[]): string => path.map(String).join('.');

const describeValue = (value: unknown): string => {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'object') return 'a group of fields';
  return typeof value;
};

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of key: value fields',
};

const plural = (n: number | bigint, word: string): string => `${n} ${word}${Number(n) === 1 ? '' : 's'}`;

/**
 * Per-parse error map: consulted only where a schema gave no message of its own, so the friendly
 * messages of recurrence-spec.ts ("must be a 24-hour time such as 06:30") come through untouched.
 */
export const friendlyErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (issue.input === null) return `is empty; it must be ${expected}`;
      // YAML reads 0600 as a number and yes as a string; quoting is the usual fix.
      const hint = issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean') ? '; put the value in quotes' : '';
      return `must be ${expected} (found ${describeValue(issue.input)})${hint}`;
    }
    case 'too_small': {
      const min = issue.minimum;
      if (issue.origin === 'string') return Number(min) <= 1 ? 'must not be empty' : `must be at least ${plural(min, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${plural(min, 'item')}`;
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${min}`;
    }
    case 'too_big': {
      const max = issue.maximum;
      if (issue.origin === 'string') {
        const found = typeof issue.input === 'string' ? ` (found ${issue.input.length})` : '';
        return `must be at most ${plural(max, 'character')}${found}`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') return `allows at most ${plural(max, 'item')}`;
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${max}`;
    }
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')} (found ${describeValue(issue.input)})`;
    case 'invalid_format':
      return 'has the wrong format';
    case 'invalid_union':
      return 'is not valid here';
    default:
      return undefined;
  }
};

/** Levenshtein distance, small inputs only (keys of one object). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The keys an object schema accepts at `path` inside `schema`, following lists, optionals, defaults and pipes. */
export function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  const unwrap = (s: z.ZodType): z.ZodType => {
    let inner = s;
    for (let guard = 0; guard < 20; guard++) {
      const def = inner.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'pipe') inner = def['in'] as z.ZodType;
      else if (def['innerType'] !== undefined) inner = def['innerType'] as z.ZodType;
      else break;
    }
    return inner;
  };
  for (const segment of path) {
    if (!current) return [];
    const node = unwrap(current);
    const def = node.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') current = (node as unknown as z.ZodObject).shape[String(segment)] as z.ZodType | undefined;
    else if (def.type === 'array') current = def['element'] as z.ZodType;
    else return [];
  }
  if (!current) return [];
  const node = unwrap(current);
  return node.def.type === 'object' ? Object.keys((node as unknown as z.ZodObject).shape) : [];
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const lower = key.toLowerCase();
  const best = allowed
    .map((candidate) => ({ candidate, d: candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  if (best && best.d <= Math.max(1, Math.floor(best.candidate.length / 3))) return `unknown key "${key}"; did you mean "${best.candidate}"?`;
  return allowed.length > 0 ? `unknown key "${key}"; allowed here: ${allowed.join(', ')}` : `unknown key "${key}"`;
}

/** One zod issue may name several unknown keys; each becomes its own error on its own line. */
export function issueToErrors(
  issue: z.core.$ZodIssue,
  schema: z.ZodType,
  filePath: string,
  lineOf: (path: readonly PropertyKey[]) => number | undefined,
): ProgrammeFileError[] {
  const at = (path: readonly PropertyKey[], message: string): ProgrammeFileError => {
    const line = lineOf(path);
    return { path: filePath, field: dottedField(path), ...(line === undefined ? {} : { line }), message };
  };
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(schema, issue.path);
    return issue.keys.map((key) => at([...issue.path, key], unknownKeyMessage(key, allowed)));
  }
  return [at(issue.path, issue.message)];
}
