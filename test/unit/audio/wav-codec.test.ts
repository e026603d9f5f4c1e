import { describe, expect, it } from 'vitest';
import { concatenatePcm, encodeWav, parseWav, pcmDurationMs, WavFormatError, type PcmFormat } from '../../../server/audio/wav-codec.js';

const mono16k: PcmFormat = { audioFormat: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16 };

function samples(count: number, value = 1000): Buffer {
  const buffer = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) buffer.writeInt16LE(value, i * 2);
  return buffer;
}

describe('wav codec', () => {
  it('round-trips PCM through a canonical 44-byte header', () => {
    const wav = encodeWav({ format: mono16k, samples: samples(1600) });
    expect(wav.length).toBe(44 + 3200);
    const parsed = parseWav(wav);
    expect(parsed.format).toEqual(mono16k);
    expect(parsed.samples.equals(samples(1600))).toBe(true);
    expect(pcmDurationMs(parsed)).toBe(100);
  });

  it('clamps the bogus sizes a streamed header carries (espeak-ng --stdout)', () => {
    const wav = encodeWav({ format: mono16k, samples: samples(800) });
    wav.writeUInt32LE(0x7ffff000, 4);
    wav.writeUInt32LE(0x7ffff000, 40);
    expect(parseWav(wav).samples.length).toBe(1600);
  });

  it('skips chunks it does not need and drops a trailing partial frame', () => {
    const plain = encodeWav({ format: mono16k, samples: samples(10) });
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]);
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36), Buffer.from([7])]);
    withList.writeUInt32LE(21, 40 + list.length);
    expect(parseWav(withList).samples.length).toBe(20);
  });

  it('joins clips of one format and refuses to mix formats', () => {
    const joined = concatenatePcm([
      { format: mono16k, samples: samples(160, 1) },
      { format: mono16k, samples: samples(320, 2) },
    ]);
    expect(pcmDurationMs(joined)).toBe(30);
    expect(joined.samples.readInt16LE(0)).toBe(1);
    expect(joined.samples.readInt16LE(160 * 2)).toBe(2);
    expect(() => concatenatePcm([{ format: mono16k, samples: samples(1) }, { format: { ...mono16k, sampleRate: 24_000 }, samples: samples(1) }])).toThrow(WavFormatError);
  });

  it('rejects what is not WAVE', () => {
    expect(() => parseWav(Buffer.from('ID3 definitely an mp3'))).toThrow(WavFormatError);
    expect(() => parseWav(encodeWav({ format: mono16k, samples: samples(1) }).subarray(0, 36))).toThrow(/no data chunk/);
  });
});
