/**
 * A feature's strings in both languages. The type makes a key missing from either language a
 * compile error; test/unit/web/catalogue.test.ts checks the same at run time, and placeholders.
 */
export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];

export interface Messages<K extends string> {
  readonly vi: Readonly<Record<K, string>>;
  readonly en: Readonly<Record<K, string>>;
}

export function defineMessages<K extends string>(messages: { vi: Record<K, string>; en: Record<NoInfer<K>, string> }): Messages<K> {
  return messages;
}
