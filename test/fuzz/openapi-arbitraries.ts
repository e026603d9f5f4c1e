/**
 * fast-check arbitraries for requests to the routes an OpenAPI document describes: values that
 * follow each JSON schema (to get past validation into the handlers), values just off it, and
 * plainly hostile ones; paths, query strings, bodies and content types to match.
 */
import fc from 'fast-check';

export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly nullable?: boolean;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
}

interface OpenApiParameter {
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly name: string;
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

interface OpenApiOperation {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> };
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
}

export interface Operation {
  readonly method: string;
  /** As the document writes it, with `{name}` placeholders. */
  readonly path: string;
  readonly pathParams: readonly OpenApiParameter[];
  readonly queryParams: readonly OpenApiParameter[];
  readonly body: JsonSchema | undefined;
}

/** Ids that exist on the server, by kind (`area`, `bulletin`…): `bulletinId` and `areaIds` take theirs, `id` any. */
export type KnownIds = Readonly<Record<string, readonly string[]>>;

function idsFor(known: KnownIds, name: string): readonly string[] {
  const kind = /^([a-z]+)Ids?$/.exec(name)?.[1];
  return (kind && known[kind]) || Object.values(known).flat();
}

export interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly payload: string | Buffer | undefined;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: operation.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

/** Strings and numbers at the edges of what JSON, JavaScript, URLs and PostgreSQL can hold. */
const HOSTILE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udc00x', '😀', 'ß'.repeat(3), '../../etc/passwd', '..\\..\\boot.ini', '%00', '%', '%zz',
  "' OR 1=1 --", '<script>alert(1)</script>', '${7*7}', '__proto__', 'constructor', 'x'.repeat(10_000), '\r\nX-Injected: 1',
  '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '1970-01-01T00:00:00Z', 'NaN', 'Infinity', '-0', '1e309',
];
const HOSTILE_NUMBERS = [-1, 0, -0, 0.5, 1e-300, 2 ** 31 - 1, 2 ** 31, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 8.64e15 + 1, 1e308, -1e308];

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(null),
  fc.boolean(),
  fc.constant(Object.fromEntries([['__proto__', { polluted: true }]])),
);

/**
 * A value the schema accepts, as far as a generator can tell. `known` are ids that exist on the
 * server: string fields (mostly those named like ids) often take one, so the fuzzing reaches past
 * "not found" into the handlers. `name` is the property's, or the array's the value sits in.
 */
export function conforming(schema: JsonSchema | undefined, known: KnownIds, depth = 0, name = ''): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  const nullable = (arbitrary: fc.Arbitrary<unknown>) => (schema.nullable ? fc.oneof(arbitrary, fc.constant(null)) : arbitrary);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return nullable(fc.constantFrom(...schema.enum));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return nullable(fc.oneof(...alternatives.map((s) => conforming(s, known, depth + 1, name))));
  if (schema.allOf?.length) return conforming(Object.assign({}, ...schema.allOf) as JsonSchema, known, depth + 1, name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return nullable(objectOf(schema, known, depth));
    case 'array':
      return nullable(
        fc.array(conforming(schema.items, known, depth + 1, name), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) }),
      );
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1e6;
      const max = schema.maximum ?? 1e6;
      const inRange = type === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
      return nullable(fc.oneof(inRange, fc.constantFrom(min, max)));
    }
    case 'boolean':
      return nullable(fc.boolean());
    case 'string':
      return nullable(stringOf(schema, known, name));
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: JsonSchema, known: KnownIds, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  const model = Object.fromEntries(keys.map((key) => [key, conforming(properties[key], known, depth + 1, key)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => keys.includes(key)) });
}

const DAY_MS = 86_400_000;

function stringOf(schema: JsonSchema, known: KnownIds, name: string): fc.Arbitrary<string> {
  const choices: fc.WeightedArbitrary<string>[] = [];
  if (schema.format === 'date-time') {
    // Mostly the days around now, where schedules and windows make sense; sometimes anywhere.
    const now = Date.now();
    choices.push({ weight: 4, arbitrary: fc.integer({ min: now - 3 * DAY_MS, max: now + 10 * DAY_MS }).map((ms) => new Date(ms).toISOString()) });
    choices.push({ weight: 1, arbitrary: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(2200, 0, 1)) }).map((d) => d.toISOString()) });
  }
  if (schema.pattern) {
    try {
      choices.push({ weight: 1, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) });
    } catch {
      // a pattern fast-check cannot generate from: the other choices still apply
    }
  }
  if (choices.length === 0) {
    choices.push({ weight: 1, arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) }) });
    const ids = idsFor(known, name);
    if (ids.length > 0) choices.push({ weight: /ids?$/i.test(name) ? 4 : 1, arbitrary: fc.constantFrom(...ids) });
  }
  return fc.oneof(...choices);
}

/** Off the schema by a little: a required key missing, one value swapped for a hostile one, an unknown key added. */
export function nearly(schema: JsonSchema | undefined, known: KnownIds): fc.Arbitrary<unknown> {
  return conforming(schema, known).chain((value) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return fc.oneof(fc.constant(value), hostileValue);
    const keys = Object.keys(value);
    return fc.oneof(
      fc.constantFrom(...(keys.length ? keys : ['x'])).map((key) => omit(value as Record<string, unknown>, key)),
      fc.tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), hostileValue).map(([key, bad]) => ({ ...value, [key]: bad })),
      fc.tuple(fc.string({ maxLength: 12 }), hostileValue).map(([key, bad]) => ({ ...value, [key]: bad })),
    );
  });
}

function omit(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

/** encodeURIComponent refuses lone surrogates; those go as the bytes UTF-8 would give them instead. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  }
}

/** A raw path segment: encoded values, or raw percent sequences a URL parser has to cope with. */
function pathSegment(parameter: OpenApiParameter, known: KnownIds): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: conforming(parameter.schema, known, 0, parameter.name).map((value) => encodeSegment(String(value))) },
    { weight: 2, arbitrary: fc.constantFrom(...idsFor(known, parameter.name), 'x') },
    fc.constantFrom(...HOSTILE_STRINGS).map(encodeSegment),
    fc.constantFrom('%', '%zz', '%00', '%2e%2e', '..', '.', '%2F', '%C0%AF', '%ED%A0%80', '%FF'),
    fc.string({ unit: 'binary', maxLength: 40 }).map(encodeSegment),
  );
}

function queryString(parameters: readonly OpenApiParameter[], known: KnownIds): fc.Arbitrary<string> {
  const declared = fc
    .record(
      Object.fromEntries(
        parameters.map((p) => [p.name, fc.oneof({ weight: 6, arbitrary: conforming(p.schema, known, 0, p.name) }, hostileValue, fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }))]),
      ),
      { requiredKeys: parameters.filter((p) => p.required).map((p) => p.name) },
    )
    .map((values) => {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(values)) {
        for (const item of Array.isArray(value) ? value : [value]) search.append(key, typeof item === 'string' ? item : JSON.stringify(item) ?? '');
      }
      return search.toString();
    });
  return fc.oneof(
    { weight: 4, arbitrary: declared },
    fc.constant(''),
    fc.constantFrom('%', 'a=%zz', 'limit=%FF', '&&&=', 'limit=1e999', 'from[]=1&from[]=2', '__proto__[polluted]=1', 'constructor[prototype][x]=1', `q=${'x'.repeat(5000)}`),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 20 }), { maxKeys: 4 }).map((d) => new URLSearchParams(d).toString()),
  );
}

const MALFORMED_JSON = ['{', '{"a":', '[1,2', '{"a":1}}', 'nul', "{'a':1}", '{"a":01}', '\uFEFF{}', '{"a":"\\ud800"}', '{"__proto__":{"x":1}}', '9'.repeat(400), `${'['.repeat(10_000)}${']'.repeat(10_000)}`];
const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=zz', 'application/octet-stream', 'application/xml', '*/*', 'garbage', ';;;', 'application/json, text/plain',
];

function multipartBody(known: KnownIds): fc.Arbitrary<{ contentType: string; payload: Buffer }> {
  return fc
    .record({
      title: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...HOSTILE_STRINGS)),
      filename: fc.oneof(fc.constantFrom('a.mp3', '../../x.wav', 'a\u0000.ogg', '.mp3', 'no-extension', `${'n'.repeat(300)}.flac`), fc.string({ maxLength: 20 })),
      fieldname: fc.constantFrom('file', 'file', 'other', '__proto__'),
      content: fc.uint8Array({ maxLength: 2_000 }),
      truncate: fc.boolean(),
    })
    .map(({ title, filename, fieldname, content, truncate }) => {
      const boundary = 'fuzzboundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${fieldname}"; filename="${filename}"\r\nContent-Type: audio/mpeg\r\n\r\n`),
        Buffer.from(content),
        Buffer.from(truncate ? '' : `\r\n--${boundary}--\r\n`),
      ]);
      return { contentType: `multipart/form-data; boundary=${boundary}`, payload: body };
    });
}

function bodyOf(schema: JsonSchema | undefined, known: KnownIds): fc.Arbitrary<{ contentType: string | undefined; payload: string | Buffer | undefined }> {
  const json = (value: fc.Arbitrary<unknown>) => value.map((v) => ({ contentType: 'application/json', payload: JSON.stringify(v) ?? 'null' }));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({ contentType: undefined, payload: undefined }) },
    { weight: 4, arbitrary: json(conforming(schema, known)) },
    { weight: 4, arbitrary: json(nearly(schema, known)) },
    { weight: 1, arbitrary: json(fc.jsonValue({ maxDepth: 4 })) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((payload) => ({ contentType: 'application/json', payload })) },
    {
      weight: 2,
      arbitrary: fc.record({
        contentType: fc.constantFrom(...CONTENT_TYPES),
        payload: fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), conforming(schema, known).map((v) => JSON.stringify(v) ?? '')),
      }),
    },
    { weight: 1, arbitrary: multipartBody(known) },
  );
}

export function requestFor(operation: Operation, known: KnownIds): fc.Arbitrary<FuzzRequest> {
  const segments = fc.tuple(...operation.pathParams.map((p) => pathSegment(p, known)));
  return fc.record({ segments, query: queryString(operation.queryParams, known), body: bodyOf(operation.body, known) }).map(({ segments, query, body }) => {
    let path = operation.path;
    operation.pathParams.forEach((parameter, index) => {
      path = path.replace(`{${parameter.name}}`, segments[index] ?? '');
    });
    return { method: operation.method, url: query ? `${path}?${query}` : path, contentType: body.contentType, payload: body.payload };
  });
}
