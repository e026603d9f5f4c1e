/**
 * The bulletin table: each sentence read exactly as expected, with exactly the expected flags.
 */
import { describe, expect, it } from 'vitest';
import { normalizeVietnamese } from '../../../server/speech/vietnamese-normalizer.js';
import { BULLETIN_CASES } from './bulletin-cases.js';

describe('normalizeVietnamese on bulletin sentences', () => {
  for (const [family, cases] of Object.entries(BULLETIN_CASES)) {
    describe(family, () => {
      it.each(cases)('$input', ({ input, spoken, flags = [] }) => {
        const result = normalizeVietnamese(input);
        expect(result.spokenText).toBe(spoken);
        expect(result.flagged.map((flag) => `${flag.code} ${flag.token}`)).toEqual(flags);
      });
    });
  }

  it('has at least 150 cases', () => {
    expect(Object.values(BULLETIN_CASES).flat().length).toBeGreaterThanOrEqual(150);
  });

  it('reads every case to a fixed point: normalising the spoken text again changes nothing', () => {
    for (const { input } of Object.values(BULLETIN_CASES).flat()) {
      const once = normalizeVietnamese(input).spokenText;
      expect(normalizeVietnamese(once).changes, input).toEqual([]);
    }
  });

  it('leaves no digit in any spoken case that was not flagged', () => {
    for (const { input } of Object.values(BULLETIN_CASES).flat()) {
      const result = normalizeVietnamese(input);
      if (/\d/.test(result.spokenText)) expect(result.flagged.length, input).toBeGreaterThan(0);
    }
  });
});
