/**
 * Makes an attention signal's WAV with ffmpeg's aevalsrc: a sound (siren, chime, three-tone) gated
 * into blasts with gaps. Each sound is one periodic expression, so an 80-second storm signal costs
 * no more to describe than a 2-second one.
 */
import type { SignalPattern } from '../../../protocol/index.js';
import { runFfmpeg } from '../ffmpeg-runner.js';

const AMPLITUDE = 0.3;
// Ramps at each blast's ends: a blast that starts or stops at full amplitude clicks.
const ATTACK_SECONDS = 0.01;
const RELEASE_SECONDS = 0.05;

/**
 * The sounds as functions of `t` within a blast.
 * - siren: a wail swept between 600 and 1,200 Hz every 2 s. The phase is the integral of the
 *   frequency (900 + 300·cos πt), so the sweep is continuous and does not click.
 * - chime: the C5–E5–G5 bell triad of the bulletin chime, rung every 1.7 s.
 * - three-tone: three steady rising tones (660, 880, 1,100 Hz), 0.3 s each, every 1.2 s.
 */
const SOUND_EXPRESSIONS: Readonly<Record<SignalPattern['sound'], (t: string) => string>> = {
  siren: (t) => `sin(2*PI*900*${t}+(600/PI)*sin(PI*${t}))`,
  chime: (t) => {
    const local = `mod(${t},1.7)`;
    return [
      [523.25, 0],
      [659.25, 0.35],
      [783.99, 0.7],
    ]
      .map(([hz, start]) => `between(${local},${start},${start! + 1})*exp(-(${local}-${start})/0.3)*sin(2*PI*${hz}*(${local}-${start}))`)
      .join('+');
  },
  'three-tone': (t) => {
    const local = `mod(${t},1.2)`;
    return [
      [660, 0],
      [880, 0.35],
      [1100, 0.7],
    ]
      .map(([hz, start]) => `between(${local},${start},${start! + 0.3})*sin(2*PI*${hz}*${local})`)
      .join('+');
  },
};

export function signalDurationMs(pattern: SignalPattern): number {
  return pattern.blasts * pattern.blastMs + (pattern.blasts - 1) * pattern.gapMs;
}

export async function generateSignalWav(pattern: SignalPattern, outputPath: string, sampleRateHz: number): Promise<void> {
  const blasts = Array.from({ length: pattern.blasts }, (_, index) => {
    const start = (index * (pattern.blastMs + pattern.gapMs)) / 1_000;
    const end = start + pattern.blastMs / 1_000;
    const local = `(t-${start.toFixed(3)})`;
    const envelope = `min(1,${local}/${ATTACK_SECONDS})*min(1,(${end.toFixed(3)}-t)/${RELEASE_SECONDS})`;
    return `between(t,${start.toFixed(3)},${end.toFixed(3)})*${envelope}*(${SOUND_EXPRESSIONS[pattern.sound](local)})`;
  });
  const seconds = (signalDurationMs(pattern) / 1_000).toFixed(3);
  await runFfmpeg(`aevalsrc=exprs='${AMPLITUDE}*(${blasts.join('+')})':s=${sampleRateHz}:d=${seconds}`, (command) =>
    command.inputFormat('lavfi').audioChannels(1).audioCodec('pcm_f32le').outputOptions(['-map_metadata', '-1']).output(outputPath),
  );
}
