/**
 * The composer's text side: how the server counts a bulletin's length, the flag codes of the
 * speech normaliser (server/speech/normalizer-types.ts FlagCode) that the console explains in the
 * official's language, and where a preview's audio is fetched from.
 */

/** The server trims the text before checking it against BULLETIN_MAX_CHARS (UTF-16 code units). */
export function bulletinLength(text: string): number {
  return text.trim().length;
}

export const DEFAULT_TEXT_MAX_CHARS = 20_000;

export interface TextLimit {
  readonly count: number;
  readonly max: number;
  readonly over: boolean;
  /** Close enough to the limit to say so. */
  readonly near: boolean;
}

export function textLimit(text: string, max: number = DEFAULT_TEXT_MAX_CHARS): TextLimit {
  const count = bulletinLength(text);
  return { count, max, over: count > max, near: count > max * 0.9 && count <= max };
}

export const FLAG_CODES = [
  'ambiguous-number',
  'ambiguous-date',
  'number-too-long',
  'unreadable-number',
  'mixed-letters-digits',
  'unknown-abbreviation',
  'roman-numeral',
  'foreign-spelling',
  'other-script',
  'unknown-code',
  'web-address',
  'symbol',
  'invalid-character',
  'invalid-date',
  'dictionary-entry',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export function knownFlag(code: string): FlagCode | undefined {
  return (FLAG_CODES as readonly string[]).includes(code) ? (code as FlagCode) : undefined;
}

/**
 * The path of an audio URL on this server. The API answers with PUBLIC_URL, the address receivers
 * use, which need not be the one this browser reached the console by; the console's CSP only lets
 * it play audio from its own origin (server/http/console-routes.ts).
 */
export function sameOriginAudio(url: string): string {
  try {
    const parsed = new URL(url, 'http://console.invalid');
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/**
 * Changes worth showing: what is read out differently, not the clean-ups an official cannot see
 * (invisible characters removed, accents recomposed, spaces).
 */
export function visibleChanges<C extends { readonly from: string; readonly to: string }>(changes: readonly C[]): C[] {
  return changes.filter((change) => /[\p{L}\p{N}\p{S}]/u.test(change.from) && change.from.normalize('NFC').trim() !== change.to.normalize('NFC').trim());
}
