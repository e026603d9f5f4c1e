/**
 * The render cache key: a hash of everything that shapes the audio, so the same text in the same
 * voice with the same settings is synthesised once, and any change (voice, rate, encoding, pipeline)
 * renders anew.
 */
import type { EncodingSettings } from './encoding-settings.js';
import { sha256OfBuffer } from './sha256.js';

/** Bump when normalisation or encoding changes in a way that should invalidate every cached render. */
// 2: long texts are joined with pauses, and voices take a pitch.
export const AUDIO_PIPELINE_VERSION = 2;

export interface RenderKeyInput {
  readonly provider: string;
  readonly voice: string;
  readonly language: string;
  readonly speakingRate: number;
  /** Semitones from the voice's normal pitch. */
  readonly pitch: number;
  /** Silence where a long text is joined from several requests. */
  readonly pauseMs: number;
  readonly text: string;
  readonly encoding: EncodingSettings;
}

export function renderCacheKey(input: RenderKeyInput): string {
  return sha256OfBuffer(
    canonicalJson({
      pipeline: AUDIO_PIPELINE_VERSION,
      provider: input.provider,
      voice: input.voice,
      language: canonicalLanguage(input.language),
      speakingRate: input.speakingRate,
      pitch: input.pitch,
      pauseMs: input.pauseMs,
      text: canonicalText(input.text),
      encoding: input.encoding,
    }),
  );
}

/** A generated tone: its definition (notes and lengths) and the encoding, so editing a tone renders it anew. */
export function toneCacheKey(definition: unknown, encoding: EncodingSettings): string {
  return sha256OfBuffer(canonicalJson({ pipeline: AUDIO_PIPELINE_VERSION, tone: definition, encoding }));
}

/** Audio joined from stored files, in order, with `pauseMs` between them. */
export function sequenceCacheKey(input: { readonly parts: readonly string[]; readonly pauseMs: number; readonly encoding: EncodingSettings }): string {
  return sha256OfBuffer(canonicalJson({ pipeline: AUDIO_PIPELINE_VERSION, sequence: input.parts, pauseMs: input.pauseMs, encoding: input.encoding }));
}

/**
 * NFC (an editor may send "ệ" precomposed or as e + two combining marks), runs of spaces collapsed,
 * line ends unified. A line break survives as one `\n`: engines pause there, so it is not just space.
 */
export function canonicalText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/gu, ' ')
    .replace(/ ?\n[\s]*/gu, '\n')
    .trim();
}

/** BCP 47 tags are case-insensitive: `vi-vn` and `vi-VN` are one language. */
export function canonicalLanguage(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? tag;
  } catch {
    return tag;
  }
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
