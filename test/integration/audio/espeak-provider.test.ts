import { describe, expect, it } from 'vitest';
import { findExecutableOnPath } from '../../../server/audio/executable-on-path.js';
import { EspeakProvider } from '../../../server/audio/tts/espeak-provider.js';
import { TtsError } from '../../../server/audio/tts/tts-provider.js';
import { parseWav, pcmDurationMs } from '../../../server/audio/wav-codec.js';

const SENTENCE = 'Thông báo của Ủy ban nhân dân xã về lịch tiêm phòng cho gia súc.';

function durationOf(data: Buffer): number {
  return pcmDurationMs(parseWav(data));
}

/** The median fundamental frequency of the voiced 40 ms windows, by autocorrelation (50–500 Hz). */
function medianF0(data: Buffer): number {
  const { samples, format } = parseWav(data);
  const x = Array.from({ length: Math.floor(samples.length / 2) }, (_, i) => samples.readInt16LE(i * 2));
  const rate = format.sampleRate;
  const window = Math.round(rate * 0.04);
  const [minLag, maxLag] = [Math.round(rate / 500), Math.round(rate / 50)];
  const estimates: number[] = [];
  for (let start = 0; start + window + maxLag < x.length; start += window) {
    let energy = 0;
    for (let i = 0; i < window; i++) energy += x[start + i]! ** 2;
    if (energy / window < 1e6) continue; // a pause, not a vowel
    let best = 0;
    let bestLag = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let correlation = 0;
      for (let i = 0; i < window; i++) correlation += x[start + i]! * x[start + i + lag]!;
      if (correlation > best) [best, bestLag] = [correlation, lag];
    }
    if (bestLag) estimates.push(rate / bestLag);
  }
  estimates.sort((a, b) => a - b);
  return estimates[Math.floor(estimates.length / 2)] ?? 0;
}

const VIETNAMESE_VOICES = [
  { name: 'vi', label: 'Vietnamese (Northern)' },
  { name: 'vi-vn-x-central', label: 'Vietnamese (Central)' },
  { name: 'vi-vn-x-south', label: 'Vietnamese (Southern)' },
];

function peakOf(data: Buffer): number {
  const { samples } = parseWav(data);
  let peak = 0;
  for (let i = 0; i + 1 < samples.length; i += 2) peak = Math.max(peak, Math.abs(samples.readInt16LE(i)));
  return peak;
}

describe('EspeakProvider (WebAssembly build)', () => {
  const provider = new EspeakProvider({ engine: 'wasm' });

  it('speaks Vietnamese into a mono WAV', async () => {
    expect(provider.engine()).toBe('wasm');
    const speech = await provider.synthesize({ text: SENTENCE, language: 'vi-VN' });
    expect(speech.container).toBe('wav');
    const wav = parseWav(speech.data);
    expect(wav.format).toMatchObject({ channels: 1, bitsPerSample: 16 });
    expect(durationOf(speech.data)).toBeGreaterThan(2_000);
    expect(peakOf(speech.data)).toBeGreaterThan(3_000); // speech, not silence
  });

  it('speaks faster at a higher speaking rate', async () => {
    const normal = durationOf((await provider.synthesize({ text: SENTENCE, language: 'vi-VN' })).data);
    const fast = durationOf((await provider.synthesize({ text: SENTENCE, language: 'vi-VN', speakingRate: 2 })).data);
    expect(fast).toBeLessThan(normal * 0.7);
  });

  it('reads text that starts with a dash instead of taking it for an option', async () => {
    const speech = await provider.synthesize({ text: '-5 độ C vào sáng mai', language: 'vi-VN' });
    expect(durationOf(speech.data)).toBeGreaterThan(800);
  });

  it('lists the Vietnamese voices the WebAssembly build has (--voices=vi), with espeak-ng\'s ranges', async () => {
    const voices = await provider.listVoices('vi-VN');
    expect(voices.map(({ name, label }) => ({ name, label }))).toEqual(VIETNAMESE_VOICES);
    expect(voices[0]).toMatchObject({ provider: 'espeak', languageCodes: ['vi'], speakingRate: { min: 0.54, max: 3, default: 1 }, pitch: { min: -12, max: 11.75, default: 0 } });
    for (const { name } of VIETNAMESE_VOICES) {
      expect(durationOf((await provider.synthesize({ text: 'Xin chào bà con.', voice: name, language: 'vi-VN' })).data)).toBeGreaterThan(500);
    }
  });

  it('speaks higher at a higher pitch, at about the same pace', async () => {
    const speak = async (pitch: number) => (await provider.synthesize({ text: SENTENCE, language: 'vi-VN', pitch })).data;
    const [low, normal, high] = [await speak(-12), await speak(0), await speak(6)];
    const [lowF0, normalF0, highF0] = [medianF0(low), medianF0(normal), medianF0(high)];
    // -p scales the base pitch; intonation contours keep the median a little closer to normal than the nominal semitones.
    expect(lowF0).toBeLessThan(normalF0 * 2 ** (-4 / 12));
    expect(highF0).toBeGreaterThan(normalF0 * 2 ** (3 / 12));
    expect(Math.abs(durationOf(high) - durationOf(low))).toBeLessThan(durationOf(low) * 0.15);
  });

  it('reports an unknown voice as the caller’s error and leaves the process exit code alone', async () => {
    const before = process.exitCode;
    const failure = provider.synthesize({ text: 'xin chào', voice: 'zz-none', language: 'vi-VN' });
    await expect(failure).rejects.toBeInstanceOf(TtsError);
    await expect(failure).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining('zz-none') });
    expect(process.exitCode).toBe(before);
  });
});

// A system espeak-ng is optional for the product; ESPEAK_NG_BINARY points the test at one outside
// PATH. CI installs one (.ci/run), so there these tests always run.
const systemBinary = process.env.ESPEAK_NG_BINARY ?? findExecutableOnPath('espeak-ng');

describe.skipIf(!systemBinary && !process.env.CI)('EspeakProvider (system binary)', () => {
  const provider = new EspeakProvider({ engine: { binary: systemBinary ?? '' } });

  it('speaks through the binary and repairs the streamed WAV header', async () => {
    const speech = await provider.synthesize({ text: SENTENCE, language: 'vi-VN' });
    expect(speech.data.readUInt32LE(4)).toBe(speech.data.length - 8);
    expect(durationOf(speech.data)).toBeGreaterThan(2_000);
    expect(peakOf(speech.data)).toBeGreaterThan(3_000);
  });

  it('reports an unknown voice as the caller’s error', async () => {
    await expect(provider.synthesize({ text: 'xin chào', voice: 'zz-none', language: 'vi-VN' })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('lists the same Vietnamese voices as the WebAssembly build', async () => {
    const voices = await provider.listVoices('vi');
    expect(voices.map(({ name, label }) => ({ name, label }))).toEqual(VIETNAMESE_VOICES);
    expect(voices).toEqual(await new EspeakProvider({ engine: 'wasm' }).listVoices('vi'));
  });
});
