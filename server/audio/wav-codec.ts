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
  const layout = readWavLayout(data, data.length);
  return { format: layout.format, samples: data.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes) };
}

export interface WavLayout {
  readonly format: PcmFormat;
  /** Where the samples start in the file. */
  readonly dataOffset: number;
  /** Whole frames present, whatever the header claims. */
  readonly dataBytes: number;
}

/**
 * Finds the format and the samples of a WAV file from its beginning (`head`, which must reach the
 * data chunk's header) and its size, so a long file can be streamed rather than read whole.
 */
export function readWavLayout(head: Buffer, fileBytes: number): WavLayout {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let format: PcmFormat | undefined;
  let offset = 12;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const declared = head.readUInt32LE(offset + 4);
    const bodyStart = offset + 8;
    const size = Math.min(declared, fileBytes - bodyStart);
    if (id === 'fmt ') {
      if (size < 16 || bodyStart + 16 > head.length) throw new WavFormatError('fmt chunk is too short');
      const tag = head.readUInt16LE(bodyStart);
      format = {
        // The extensible form carries the real format in its sub-format GUID's first two bytes.
        audioFormat: tag === WAVE_FORMAT_EXTENSIBLE && size >= 26 && bodyStart + 26 <= head.length ? head.readUInt16LE(bodyStart + 24) : tag,
        channels: head.readUInt16LE(bodyStart + 2),
        sampleRate: head.readUInt32LE(bodyStart + 4),
        bitsPerSample: head.readUInt16LE(bodyStart + 14),
      };
      if (format.channels < 1 || format.sampleRate < 1 || format.bitsPerSample < 1) {
        throw new WavFormatError(`implausible format: ${describe(format)}`);
      }
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('data chunk before fmt chunk');
      const frameBytes = frameSize(format);
      return { format, dataOffset: bodyStart, dataBytes: size - (size % frameBytes) };
    }
    offset = bodyStart + size + (size % 2); // chunks are word-aligned
  }
  throw new WavFormatError('no data chunk');
}

export function encodeWav(audio: PcmAudio): Buffer {
  return Buffer.concat([wavHeader(audio.format, audio.samples.length), audio.samples]);
}

/** The 44-byte header of a plain WAV holding `dataBytes` of samples. */
export function wavHeader(format: PcmFormat, dataBytes: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
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
  header.writeUInt32LE(dataBytes, 40);
  return header;
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

/** `ms` of digital silence in `format` (8-bit PCM is unsigned, so its silence is 0x80, not 0). */
export function silencePcm(format: PcmFormat, ms: number): PcmAudio {
  const frames = Math.round((Math.max(0, ms) / 1000) * format.sampleRate);
  const samples = Buffer.alloc(frames * frameSize(format), format.audioFormat === 1 && format.bitsPerSample === 8 ? 0x80 : 0);
  return { format, samples };
}

/**
 * Drops what lies below `thresholdDbfs` at both ends, keeping `marginMs` before the first and after
 * the last louder sample. Reads 16-bit integer and 32-bit float PCM; other formats come back whole.
 * All-quiet audio comes back whole too: trimming it to nothing would hide that it was silent.
 */
export function trimPcmSilence(audio: PcmAudio, options: { thresholdDbfs: number; marginMs: number }): PcmAudio {
  const read = sampleReader(audio.format);
  if (!read) return audio;
  const frameBytes = frameSize(audio.format);
  const frames = Math.floor(audio.samples.length / frameBytes);
  const threshold = 10 ** (options.thresholdDbfs / 20);
  const loud = (frame: number) => {
    for (let channel = 0; channel < audio.format.channels; channel++) {
      if (Math.abs(read(audio.samples, frame * frameBytes + channel * (frameBytes / audio.format.channels))) > threshold) return true;
    }
    return false;
  };
  let first = 0;
  while (first < frames && !loud(first)) first++;
  if (first === frames) return audio;
  let last = frames - 1;
  while (last > first && !loud(last)) last--;
  const margin = Math.round((options.marginMs / 1000) * audio.format.sampleRate);
  const start = Math.max(0, first - margin);
  const end = Math.min(frames, last + 1 + margin);
  return { format: audio.format, samples: audio.samples.subarray(start * frameBytes, end * frameBytes) };
}

/** Reads one sample as a fraction of full scale. */
function sampleReader(format: PcmFormat): ((data: Buffer, offset: number) => number) | null {
  if (format.audioFormat === 1 && format.bitsPerSample === 16) return (data, offset) => data.readInt16LE(offset) / 32768;
  if (format.audioFormat === 3 && format.bitsPerSample === 32) return (data, offset) => data.readFloatLE(offset);
  return null;
}

export function pcmDurationMs(audio: PcmAudio): number {
  return (audio.samples.length / frameSize(audio.format) / audio.format.sampleRate) * 1000;
}

export function frameSize(format: PcmFormat): number {
  return format.channels * Math.ceil(format.bitsPerSample / 8);
}

function sameFormat(a: PcmFormat, b: PcmFormat): boolean {
  return a.audioFormat === b.audioFormat && a.channels === b.channels && a.sampleRate === b.sampleRate && a.bitsPerSample === b.bitsPerSample;
}

function describe(format: PcmFormat): string {
  return `${format.channels} ch ${format.sampleRate} Hz ${format.bitsPerSample}-bit`;
}
