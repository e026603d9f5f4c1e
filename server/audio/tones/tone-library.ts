/**
 * Attention tones played before (or after) a spoken bulletin, defined as notes so they are made
 * with ffmpeg on first use (tone-generator.ts) rather than shipped as binary files. Bell-like notes
 * (a fundamental, a quieter octave, an exponential decay) carry over village noise without the
 * harshness of a siren; the emergency tone alternates two pitches like the warning signals people
 * already know.
 */

export interface ToneNote {
  readonly hz: number;
  readonly startMs: number;
  readonly lengthMs: number;
  /** Time for the note to fall to 1/e; null for a steady tone. */
  readonly decayMs: number | null;
}

export interface ToneDefinition {
  readonly label: string;
  readonly durationMs: number;
  readonly notes: readonly ToneNote[];
}

const bell = (hz: number, startMs: number): ToneNote => ({ hz, startMs, lengthMs: 1_000, decayMs: 300 });
const beep = (hz: number, startMs: number): ToneNote => ({ hz, startMs, lengthMs: 230, decayMs: null });

// C5, E5, G5 (and back down): a major triad reads as "announcement", not "alarm".
const C5 = 523.25;
const E5 = 659.25;
const G5 = 783.99;

export const TONES = {
  chime: { label: 'Chime before a bulletin (three rising notes)', durationMs: 1_700, notes: [bell(C5, 0), bell(E5, 350), bell(G5, 700)] },
  end: { label: 'Chime after a bulletin (three falling notes)', durationMs: 1_700, notes: [bell(G5, 0), bell(E5, 350), bell(C5, 700)] },
  attention: {
    label: 'Attention tone for urgent notices (two alternating pitches)',
    durationMs: 2_000,
    notes: [880, 660, 880, 660, 880, 660, 880, 660].map((hz, index) => beep(hz, index * 250)),
  },
} as const satisfies Record<string, ToneDefinition>;

export type ToneName = keyof typeof TONES;

export const TONE_NAMES = Object.keys(TONES) as [ToneName, ...ToneName[]];
