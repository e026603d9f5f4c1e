/**
 * CAP 1.2 XML → a validated alert, or the list of what is wrong, each naming the element. Before
 * any parsing a document with a DOCTYPE or ENTITY declaration is refused: CAP never needs one, and
 * it is how XML external entity (XXE) and entity-expansion ("billion laughs") attacks begin; the
 * parser itself runs with entity processing off as a second guard.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CAP_NAMESPACE, capAlertSchema, type CapAlert } from './cap-schema.js';

/** Real alerts are a few kilobytes; a long multi-language one stays far below this. */
export const CAP_MAX_BYTES = 256 * 1024;

export interface CapProblem {
  /** The element, e.g. `alert.info[0].urgency`. */
  readonly path: string;
  readonly message: string;
}

export type CapParseResult = { readonly ok: true; readonly alert: CapAlert } | { readonly ok: false; readonly errors: readonly CapProblem[] };

/** Elements that may repeat: always arrays, even when there is one. */
const REPEATED = new Set(['info', 'category', 'responseType', 'eventCode', 'parameter', 'resource', 'area', 'polygon', 'circle', 'geocode']);

const fail = (path: string, message: string): CapParseResult => ({ ok: false, errors: [{ path, message }] });

export function parseCapAlert(xml: string | Buffer): CapParseResult {
  const bytes = typeof xml === 'string' ? Buffer.byteLength(xml) : xml.length;
  if (bytes > CAP_MAX_BYTES) return fail('alert', `the document is ${bytes} bytes, over the limit of ${CAP_MAX_BYTES}`);
  const source = typeof xml === 'string' ? xml : xml.toString('utf8');
  if (/<!DOCTYPE/i.test(source) || /<!ENTITY/i.test(source)) {
    return fail('alert', 'DOCTYPE and ENTITY declarations are not allowed (CAP needs none; they enable XXE and entity-expansion attacks)');
  }
  const valid = XMLValidator.validate(source);
  if (valid !== true) return fail('alert', `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);

  const withPrefixes = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: false, parseTagValue: false }).parse(source) as Record<string, unknown>;
  const rootName = Object.keys(withPrefixes).find((key) => !key.startsWith('?'));
  const [prefix, local] = rootName?.includes(':') ? rootName.split(':', 2) : [undefined, rootName];
  if (local !== 'alert') return fail(rootName ?? '(root)', 'the root element must be a CAP <alert>');
  const root = withPrefixes[rootName!] as Record<string, unknown> | string;
  const namespace = typeof root === 'object' ? root[prefix ? `@xmlns:${prefix}` : '@xmlns'] : undefined;
  if (namespace !== CAP_NAMESPACE) return fail('alert', `the namespace must be ${CAP_NAMESPACE} (got ${namespace === undefined ? 'none' : JSON.stringify(namespace)})`);

  const tree = new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    processEntities: false,
    parseTagValue: false,
    isArray: (name) => REPEATED.has(name),
  }).parse(source) as { alert?: unknown };
  const parsed = capAlertSchema.safeParse(tree.alert ?? {});
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => ({ path: elementPath(issue.path), message: issue.message })) };
  }
  return { ok: true, alert: parsed.data };
}

function elementPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${String(part)}`), 'alert');
}
