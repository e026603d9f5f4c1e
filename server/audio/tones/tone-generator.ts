/** Makes a tone's WAV with ffmpeg's aevalsrc: one expression, a sum of the notes, so no inputs to mix. */
import { runFfmpeg } from '../ffmpeg-runner.js';
import type { ToneDefinition, ToneNote } from './tone-library.js';

// Short ramps at each note's ends: a note that starts or stops at full amplitude clicks.
const ATTACK_SECONDS = 0.005;
const RELEASE_SECONDS = 0.03;
const NOTE_AMPLITUDE = 0.25;
const OCTAVE_AMPLITUDE = 0.3;

export async function generateToneWav(tone: ToneDefinition, outputPath: string, sampleRateHz: number): Promise<void> {
  const expression = tone.notes.map(noteExpression).join('+');
  const seconds = (tone.durationMs / 1000).toFixed(3);
  await runFfmpeg(`aevalsrc=exprs='${expression}':s=${sampleRateHz}:d=${seconds}`, (command) =>
    command.inputFormat('lavfi').audioChannels(1).audioCodec('pcm_f32le').outputOptions(['-map_metadata', '-1']).output(outputPath),
  );
}

function noteExpression(note: ToneNote): string {
  const start = (note.startMs / 1000).toFixed(3);
  const end = ((note.startMs + note.lengthMs) / 1000).toFixed(3);
  const local = `(t-${start})`;
  const wave = `(sin(2*PI*${note.hz}*${local})+${OCTAVE_AMPLITUDE}*sin(4*PI*${note.hz}*${local}))`;
  const envelope = [
    `min(1,${local}/${ATTACK_SECONDS})`,
    `min(1,(${end}-t)/${RELEASE_SECONDS})`,
    note.decayMs === null ? '1' : `exp(-${local}/${(note.decayMs / 1000).toFixed(3)})`,
  ].join('*');
  return `between(t,${start},${end})*${NOTE_AMPLITUDE}*${wave}*${envelope}`;
}
