/**
 * Reads the summary that ffmpeg's ebur128 filter logs at the end of a run (EBU R128 / ITU-R BS.1770):
 *
 *   Integrated loudness:
 *     I:         -16.0 LUFS
 *   ...
 *   True peak:
 *     Peak:       -1.3 dBFS
 */

/** As ebur128 reports them: −70 LUFS when nothing passed the absolute gate, −Infinity dBTP for digital silence. */
export interface Ebur128Result {
  readonly integratedLufs: number;
  readonly truePeakDbtp: number;
}

/** The same with "not measurable" made explicit, as stored with each audio file. */
export interface LoudnessMeasurement {
  /** null for silence or audio under 400 ms (one BS.1770 measurement block). */
  readonly integratedLufs: number | null;
  readonly truePeakDbtp: number | null;
}

// BS.1770's absolute gate: blocks below −70 LUFS are ignored, so −70.0 means "nothing measured".
export const ABSOLUTE_GATE_LUFS = -70;

export function parseEbur128Summary(log: readonly string[]): Ebur128Result {
  let start = log.length - 1;
  while (start >= 0 && !log[start]!.includes('Summary:')) start--;
  if (start < 0) throw new Error('ebur128 printed no summary');
  const summary = log.slice(start + 1);
  const integrated = valueAfter(summary, /^\s*I:\s+(\S+)\s+LUFS/);
  const peakHeading = summary.findIndex((line) => /True peak:/.test(line));
  const truePeak = peakHeading >= 0 ? valueAfter(summary.slice(peakHeading + 1), /^\s*Peak:\s+(\S+)\s+dBFS/) : null;
  if (integrated === null || truePeak === null) throw new Error('ebur128 summary lacks integrated loudness or true peak (was peak=true set?)');
  return { integratedLufs: integrated, truePeakDbtp: truePeak };
}

export function toMeasurement(result: Ebur128Result): LoudnessMeasurement {
  return {
    integratedLufs: Number.isFinite(result.integratedLufs) && result.integratedLufs > ABSOLUTE_GATE_LUFS ? result.integratedLufs : null,
    truePeakDbtp: Number.isFinite(result.truePeakDbtp) ? result.truePeakDbtp : null,
  };
}

function valueAfter(lines: readonly string[], pattern: RegExp): number | null {
  for (const line of lines) {
    const match = pattern.exec(line);
    // Number() reads "-inf" as NaN; ebur128 prints it for silence.
    if (match) return /^-inf$/i.test(match[1]!) ? -Infinity : Number(match[1]);
  }
  return null;
}
