import { describe, expect, it } from 'vitest';
import { parseEbur128Summary, toMeasurement } from '../../../server/audio/ebur128-summary.js';

// As ffmpeg prints it, one line per stderr line, after the per-frame log.
const summary = (integrated: string, peak: string) => [
  '[Parsed_ebur128_0 @ 0x1b09d900] t: 16.4  TARGET:-23 LUFS    M: -20.1 S: -17.0     I: -16.9 LUFS ...',
  '[Parsed_ebur128_0 @ 0x25bf0000] Summary:',
  '',
  '  Integrated loudness:',
  `    I:         ${integrated} LUFS`,
  '    Threshold: -27.4 LUFS',
  '',
  '  Loudness range:',
  '    LRA:         1.8 LU',
  '    Threshold: -37.5 LUFS',
  '    LRA low:   -18.5 LUFS',
  '    LRA high:  -16.6 LUFS',
  '',
  '  True peak:',
  `    Peak:       ${peak} dBFS`,
];

describe('parseEbur128Summary', () => {
  it('reads integrated loudness and true peak from the final summary', () => {
    expect(parseEbur128Summary(summary('-17.3', '-1.3'))).toEqual({ integratedLufs: -17.3, truePeakDbtp: -1.3 });
  });

  it('reports silence as −70 LUFS and −Infinity, which toMeasurement turns into null', () => {
    const silent = parseEbur128Summary(summary('-70.0', '-inf'));
    expect(silent).toEqual({ integratedLufs: -70, truePeakDbtp: -Infinity });
    expect(toMeasurement(silent)).toEqual({ integratedLufs: null, truePeakDbtp: null });
    expect(toMeasurement({ integratedLufs: -16, truePeakDbtp: -1.5 })).toEqual({ integratedLufs: -16, truePeakDbtp: -1.5 });
  });

  it('fails loudly without a summary or without the true-peak section', () => {
    expect(() => parseEbur128Summary(['size=N/A time=00:00:01'])).toThrow(/no summary/);
    expect(() => parseEbur128Summary(summary('-16', '-1').slice(0, 8))).toThrow(/true peak/);
  });
});
