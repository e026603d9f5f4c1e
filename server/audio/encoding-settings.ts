/** How bulletins are encoded for receivers: small mono speech files (5,000 receivers download each one). */

export interface EncodingSettings {
  readonly format: 'mp3' | 'opus';
  readonly bitrateKbps: number;
  readonly sampleRateHz: number;
  /** Integrated loudness target (EBU R128 / ITU-R BS.1770); −16 LUFS is the usual target for speech on small speakers. */
  readonly targetLufs: number;
  /** No output may exceed this true peak. */
  readonly maxTruePeakDbtp: number;
  /** Silence before and after the speech, so amplifiers that wake on signal do not clip the first syllable. */
  readonly padMs: number;
}

export const DEFAULT_ENCODING: EncodingSettings = Object.freeze({
  format: 'mp3',
  bitrateKbps: 32,
  sampleRateHz: 24_000,
  targetLufs: -16,
  maxTruePeakDbtp: -1,
  padMs: 150,
});

export interface ContainerInfo {
  readonly container: 'mp3' | 'ogg';
  readonly extension: 'mp3' | 'ogg';
  readonly mime: 'audio/mpeg' | 'audio/ogg';
  readonly codec: 'libmp3lame' | 'libopus';
}

export function containerOf(settings: EncodingSettings): ContainerInfo {
  return settings.format === 'opus'
    ? { container: 'ogg', extension: 'ogg', mime: 'audio/ogg', codec: 'libopus' }
    : { container: 'mp3', extension: 'mp3', mime: 'audio/mpeg', codec: 'libmp3lame' };
}
