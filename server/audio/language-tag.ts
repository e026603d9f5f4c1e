/**
 * Language tags for bulletins, BCP 47 in the shape people and browsers actually send: a 2–3 letter
 * language (`vi`, `mtq` Mường, `hmn` Hmong, `tai`), then optionally a script (`Latn`), a region
 * (`VN`, `419`) and variants. Extensions and private use are refused: nothing here reads them.
 */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z]{4})?(-(?:[a-z]{2}|\d{3}))?(-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*$/i;

export const LANGUAGE_TAG_HINT = 'must be a language tag such as vi, vi-VN, mtq or hmn';

/** The tag in canonical case (`vi-vn` → `vi-VN`), or null when it is not one. */
export function canonicalLanguageTag(tag: string): string | null {
  if (!LANGUAGE_TAG.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}
