import { describe, expect, it } from 'vitest';
import { findExecutableOnPath } from '../../../server/audio/executable-on-path.js';
import { EspeakProvider } from '../../../server/audio/tts/espeak-provider.js';
import { TtsError } from '../../../server/audio/tts/tts-provider.js';
import { parseWav, pcmDurationMs } from '../../../server/audio/wav-codec.js';

const SENTENCE = 'Thông báo của Ủy ban nhân dân xã về lịch tiêm phòng cho gia súc.';

function durationOf(data: Buffer): number {
  return pcmDurationMs(parseWav(data));
}

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
});
