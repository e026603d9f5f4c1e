/**
 * Just enough RIFF/WAVE to join PCM chunks and to repair streamed headers: espeak-ng's `--stdout`
 * writes 0x7ffff000 as the sizes because it cannot seek back, so sizes are clamped to the bytes present.
 */

export interface PcmFormat {
  /** 1 = integer PCM, 3 = IEEE float. */
  readonly audioFormat: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
}

export interface PcmAudio {
  readonly format: PcmFormat;
  readonly samples: Buffer;
}

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export function parseWav(data: Buffer): PcmAudio {
  if (data.length < 12 || data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let format: PcmFormat | undefined;
  let offset = 12;
  while (offset + 8 <= data.length) {
    const id = data.toString('ascii', offset, offset + 4);
    const declared = data.readUInt32LE(offset + 4);
    const bodyStart = offset + 8;
    const size = Math.min(declared, data.length - bodyStart);
    if (id === 'fmt ') {
      if (size < 16) throw new WavFormatError('fmt chunk is too short');
      const tag = data.readUInt16LE(bodyStart);
      format = {
        // The extensible form carries the real format in its sub-format GUID's first two bytes.
        audioFormat: tag === WAVE_FORMAT_EXTENSIBLE && size >= 26 ? data.readUInt16LE(bodyStart + 24) : tag,
        channels: data.readUInt16LE(bodyStart + 2),
        sampleRate: data.readUInt32LE(bodyStart + 4),
        bitsPerSample: data.readUInt16LE(bodyStart + 14),
      };
      if (format.channels < 1 || format.sampleRate < 1 || format.bitsPerSample < 1) {
        throw new WavFormatError(`implausible format: ${describe(format)}`);
      }
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('data chunk before fmt chunk');
      const frameBytes = frameSize(format);
      const usable = size - (size % frameBytes);
      return { format, samples: data.subarray(bodyStart, bodyStart + usable) };
    }
    offset = bodyStart + size + (size % 2); // chunks are word-aligned
  }
  throw new WavFormatError('no data chunk');
}

export function encodeWav(audio: PcmAudio): Buffer {
  const { format, samples } = audio;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(format.audioFormat, 20);
  header.writeUInt16LE(format.channels, 22);
  header.writeUInt32LE(format.sampleRate, 24);
  header.writeUInt32LE(format.sampleRate * frameSize(format), 28);
  header.writeUInt16LE(frameSize(format), 32);
  header.writeUInt16LE(format.bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

/** Joins clips of one format end to end; a format mismatch would turn into noise, so it is refused. */
export function concatenatePcm(parts: readonly PcmAudio[]): PcmAudio {
  const first = parts[0];
  if (!first) throw new WavFormatError('nothing to concatenate');
  for (const part of parts) {
    if (!sameFormat(part.format, first.format)) {
      throw new WavFormatError(`cannot join ${describe(part.format)} to ${describe(first.format)}`);
    }
  }
  return { format: first.format, samples: Buffer.concat(parts.map((part) => part.samples)) };
}

export function pcmDurationMs(audio: PcmAudio): number {
  return (audio.samples.length / frameSize(audio.format) / audio.format.sampleRate) * 1000;
}

function frameSize(format: PcmFormat): number {
  return format.channels * Math.ceil(format.bitsPerSample / 8);
}

function sameFormat(a: PcmFormat, b: PcmFormat): boolean {
  return a.audioFormat === b.audioFormat && a.channels === b.channels && a.sampleRate === b.sampleRate && a.bitsPerSample === b.bitsPerSample;
}

function describe(format: PcmFormat): string {
  return `${format.channels} ch ${format.sampleRate} Hz ${format.bitsPerSample}-bit`;
}
