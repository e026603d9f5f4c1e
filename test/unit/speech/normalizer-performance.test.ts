/**
 * A 20,000-character bulletin is normalised while an official waits for the preview. The target is
 * well under 50 ms; that is measured and logged, and only a bound forty times looser is asserted,
 * so a busy test machine cannot fail the suite while a quadratic regression still would.
 */
import { describe, expect, it } from 'vitest';
import { normalizeVietnamese } from '../../../server/speech/vietnamese-normalizer.js';
import { BULLETIN_CASES } from './bulletin-cases.js';

const TARGET_CHARACTERS = 20_000;

function longBulletin(): string {
  const sentences = Object.values(BULLETIN_CASES).flatMap((cases) => cases.map((entry) => entry.input));
  const lines: string[] = [];
  let length = 0;
  for (let index = 0; length < TARGET_CHARACTERS; index++) {
    const sentence = sentences[index % sentences.length]!;
    lines.push(sentence);
    length += sentence.length + 1;
  }
  return lines.join('\n').slice(0, TARGET_CHARACTERS);
}

describe('normalizeVietnamese speed', () => {
  it('normalises a 20,000-character bulletin quickly', () => {
    const text = longBulletin();
    for (let warmUp = 0; warmUp < 3; warmUp++) normalizeVietnamese(text);
    const timings: number[] = [];
    for (let run = 0; run < 10; run++) {
      const started = performance.now();
      normalizeVietnamese(text);
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    const median = timings[Math.floor(timings.length / 2)]!;
    console.log(`normalizeVietnamese: ${text.length} characters, median ${median.toFixed(1)} ms, fastest ${timings[0]!.toFixed(1)} ms, slowest ${timings.at(-1)!.toFixed(1)} ms`);
    expect(median).toBeLessThan(2_000);
  });
});
