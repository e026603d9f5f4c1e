import { describe, expect, it } from 'vitest';
import { encodeWav, pcmDurationMs, readWavLayout, silencePcm, trimPcmSilence, type PcmAudio, type PcmFormat } from '../../../server/audio/wav-codec.js';

const int16: PcmFormat = { audioFormat: 1, channels: 1, sampleRate: 1_000, bitsPerSample: 16 };
const float32: PcmFormat = { audioFormat: 3, channels: 1, sampleRate: 1_000, bitsPerSample: 32 };

/** `lead` ms of near-silence (≈ −66 dBFS), `body` ms at half scale, `tail` ms of near-silence; 1 kHz so a sample is a millisecond. */
function int16Clip(lead: number, body: number, tail: number): PcmAudio {
  const values = [...Array<number>(lead).fill(16), ...Array<number>(body).fill(16_384), ...Array<number>(tail).fill(-16)];
  const samples = Buffer.alloc(values.length * 2);
  values.forEach((value, i) => samples.writeInt16LE(value, i * 2));
  return { format: int16, samples };
}

describe('silencePcm', () => {
  it('is zeros for signed and float PCM and 0x80 for unsigned 8-bit', () => {
    expect(silencePcm(int16, 250).samples).toEqual(Buffer.alloc(500));
    expect(pcmDurationMs(silencePcm(float32, 400))).toBe(400);
    expect([...silencePcm({ ...int16, bitsPerSample: 8 }, 3).samples]).toEqual([0x80, 0x80, 0x80]);
  });
});

describe('trimPcmSilence', () => {
  it('cuts what is below the threshold at both ends, keeping the margin', () => {
    const clip = int16Clip(300, 500, 200);
    expect(pcmDurationMs(trimPcmSilence(clip, { thresholdDbfs: -50, marginMs: 0 }))).toBe(500);
    const kept = trimPcmSilence(clip, { thresholdDbfs: -50, marginMs: 50 });
    expect(pcmDurationMs(kept)).toBe(600);
    expect(kept.samples.readInt16LE(0)).toBe(16);
    expect(kept.samples.readInt16LE(50 * 2)).toBe(16_384);
  });

  it('never keeps more than there is, and leaves silence and unknown formats whole', () => {
    expect(pcmDurationMs(trimPcmSilence(int16Clip(20, 100, 10), { thresholdDbfs: -50, marginMs: 100 }))).toBe(130);
    const silent = int16Clip(100, 0, 100);
    expect(trimPcmSilence(silent, { thresholdDbfs: -50, marginMs: 0 })).toBe(silent);
    const twentyFour: PcmAudio = { format: { ...int16, bitsPerSample: 24 }, samples: Buffer.alloc(30) };
    expect(trimPcmSilence(twentyFour, { thresholdDbfs: -50, marginMs: 0 })).toBe(twentyFour);
  });

  it('reads float PCM too', () => {
    const samples = Buffer.alloc(4 * 30);
    for (let i = 10; i < 20; i++) samples.writeFloatLE(0.5, i * 4);
    expect(pcmDurationMs(trimPcmSilence({ format: float32, samples }, { thresholdDbfs: -40, marginMs: 2 }))).toBe(14);
  });
});

describe('readWavLayout', () => {
  it('finds the samples from the head of a file and the file size, without the whole file', () => {
    const wav = encodeWav(int16Clip(10, 10, 10));
    expect(readWavLayout(wav.subarray(0, 64), wav.length)).toEqual({ format: int16, dataOffset: 44, dataBytes: 60 });
  });
});
