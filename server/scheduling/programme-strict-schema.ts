/**
 * A deep "strict" copy of a zod schema: every object inside it, however deeply nested in optionals,
 * defaults, arrays, unions or pipes, rejects unknown keys instead of silently dropping them.
 *
 * Why: programme files are typed by hand, and a typo such as `validUntill:` or `daily: {time: …}`
 * would otherwise vanish without a trace (zod objects strip unknown keys by default). The shared
 * recurrence schema (recurrence-spec.ts) is deliberately non-strict because the HTTP API owns it, so
 * the loader makes its own strict copy rather than changing it.
 *
 * Copies keep each schema's refinements, defaults and messages: only `catchall` changes. It relies
 * on zod 4's `def` + `clone(def)` (public on every classic schema); the unit tests pin that behaviour.
 */
import { z } from 'zod';

/** Wrapper kinds whose only child is `def.innerType`. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch', 'success']);

/** A copy of `def` that keeps its getters (a default's `defaultValue` is a getter that clones per parse). */
function copyDef(def: object, overrides: Record<string, unknown>): Record<string, unknown> {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(def)) as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

export function strictDeep<T extends z.ZodType>(schema: T): T {
  const def = schema.def as unknown as Record<string, unknown> & { type: string };
  const clone = (overrides: Record<string, unknown>): T => schema.clone(copyDef(def, overrides) as never) as T;
  switch (def.type) {
    case 'object': {
      const shape = (schema as unknown as z.ZodObject).shape;
      const strictShape = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, strictDeep(value as z.ZodType)]));
      return clone({ shape: strictShape, catchall: z.never() });
    }
    case 'array':
      return clone({ element: strictDeep(def['element'] as z.ZodType) });
    case 'union':
      return clone({ options: (def['options'] as z.ZodType[]).map((option) => strictDeep(option)) });
    case 'pipe':
      return clone({ in: strictDeep(def['in'] as z.ZodType), out: strictDeep(def['out'] as z.ZodType) });
    default:
      return WRAPPERS.has(def.type) ? clone({ innerType: strictDeep(def['innerType'] as z.ZodType) }) : schema;
  }
}
