/**
 * Turns any decodable audio into what receivers play: mono, −16 LUFS integrated, true peak at most
 * −1 dBTP, short silence at both ends, encoded as speech-rate MP3 (or Opus in Ogg).
 *
 * 1. decode once to mono float WAV at the output rate, measuring it with ebur128 on the way;
 *    for recordings, find where the sound starts and ends (silence-trim.ts);
 * 2. encode (trimmed) with gain + 4× oversampled peak limiter, measure the encoded file, correct,
 *    repeat (see loudness-targeting.ts for why a single loudnorm pass is not enough);
 * 3. keep the best attempt and report what the file itself measures, its duration included: counted
 *    in decoded samples, because ffprobe's MP3 duration includes the encoder's delay and padding.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { AudioTooLongError, UnsupportedAudioError } from './audio-errors.js';
import { parseEbur128Summary, toMeasurement, type Ebur128Result, type LoudnessMeasurement } from './ebur128-summary.js';
import { containerOf, DEFAULT_ENCODING, type EncodingSettings } from './encoding-settings.js';
import { FfmpegError, probeMedia, runFfmpeg } from './ffmpeg-runner.js';
import { bestAttempt, firstPlan, linearGainDb, nextPlan, type EncodeAttempt, type EncodePlan, type LoudnessTarget } from './loudness-targeting.js';
import { measureSoundWindow, silenceThresholdDbfs, type SoundWindow, type TrimOptions } from './silence-trim.js';

export interface NormalizedAudio {
  readonly filePath: string;
  readonly container: 'mp3' | 'ogg';
  readonly mime: string;
  readonly durationMs: number;
  /** null when the audio is too short (< 0.4 s) or too quiet to measure. */
  readonly loudnessLufs: number | null;
  readonly truePeakDbtp: number | null;
  /** Encodes it took to meet the target. */
  readonly attempts: number;
  /** The chosen gain above the linear one (see GainMemory); null when the input had no measurable loudness. */
  readonly gainCorrectionDb: number | null;
}

export interface NormalizeOptions {
  /** Where intermediate files go; the caller removes it. */
  readonly workDir: string;
  readonly encoding?: EncodingSettings;
  /** Names the input in error messages (an upload's original file name). */
  readonly displayName?: string;
  /** Refuse input that decodes to more than this; containers can declare a shorter duration than they hold. */
  readonly maxDurationSeconds?: number;
  /** Cut silence at both ends (recordings); synthesised speech is left as the engine made it. */
  readonly trimSilence?: TrimOptions;
  /** Added to the first encode's gain: what similar audio needed above the linear gain (GainMemory). */
  readonly gainCorrectionDb?: number;
}

// True peak is only meaningful oversampled; 4× is what BS.1770-4 Annex 2 specifies at 48 kHz.
const LIMITER_OVERSAMPLING = 4;
// Decoding may run a little past the declared end (encoder padding, estimated durations): not a reason to refuse.
const DURATION_SLACK_SECONDS = 0.5;

export async function normalizeLoudness(inputPath: string, options: NormalizeOptions): Promise<NormalizedAudio> {
  const encoding = options.encoding ?? DEFAULT_ENCODING;
  const name = options.displayName ?? path.basename(inputPath);
  const target: LoudnessTarget = { integratedLufs: encoding.targetLufs, maxTruePeakDbtp: encoding.maxTruePeakDbtp };
  const { extension, container, mime } = containerOf(encoding);

  await assertHasAudioStream(inputPath, name);
  const decodedPath = path.join(options.workDir, 'decoded.wav');
  const { loudness: input, durationMs: decodedMs } = await decode(inputPath, decodedPath, encoding.sampleRateHz, name, options.maxDurationSeconds);
  const window = options.trimSilence
    ? await measureSoundWindow(decodedPath, decodedMs / 1000, silenceThresholdDbfs(input.integratedLufs), options.trimSilence)
    : null;

  const attempts: (EncodeAttempt & { filePath: string; durationMs: number })[] = [];
  let plan: EncodePlan | null = firstPlan(input, target, options.gainCorrectionDb);
  while (plan) {
    const filePath = path.join(options.workDir, `attempt-${attempts.length + 1}.${extension}`);
    await encode(decodedPath, filePath, plan, encoding, window);
    const measured = await measureEncoded(filePath, encoding.sampleRateHz);
    attempts.push({ ...plan, ...toMeasurement(measured.loudness), durationMs: measured.durationMs, filePath });
    plan = nextPlan(attempts, target);
  }
  const chosen = bestAttempt(attempts, target);
  const linear = linearGainDb(input, target);
  await Promise.all([decodedPath, ...attempts.map((a) => a.filePath)].filter((file) => file !== chosen.filePath).map((file) => rm(file, { force: true })));
  return {
    filePath: chosen.filePath,
    container,
    mime,
    durationMs: chosen.durationMs,
    loudnessLufs: chosen.integratedLufs,
    truePeakDbtp: chosen.truePeakDbtp,
    attempts: attempts.length,
    gainCorrectionDb: linear === null ? null : chosen.gainDb - linear,
  };
}

/** Integrated loudness and true peak of a whole file, as EBU R128 defines them (−70 LUFS / −Infinity: nothing measurable). */
export async function measureLoudness(filePath: string): Promise<Ebur128Result> {
  const log = await runFfmpeg(filePath, (command) =>
    command.noVideo().audioFilters('ebur128=peak=true:framelog=verbose').outputOptions(['-f', 'null']).output('-'),
  );
  return parseEbur128Summary(log);
}

/** Loudness plus the exact duration (samples decoded at `sampleRateHz`) in one decoding pass. */
async function measureEncoded(filePath: string, sampleRateHz: number): Promise<{ loudness: Ebur128Result; durationMs: number }> {
  // Counted before ebur128, which resamples to 48 kHz; the aresample makes an Opus file (always decoded at 48 kHz) count at the output rate too.
  const log = await runFfmpeg(filePath, (command) =>
    command
      .noVideo()
      .audioFilters([`aresample=${sampleRateHz}`, 'astats', 'ebur128=peak=true:framelog=verbose'])
      .outputOptions(['-f', 'null'])
      .output('-'),
  );
  const counts = log.map((line) => /Number of samples:\s*(\d+)/.exec(line)?.[1]).filter((count) => count !== undefined);
  const samples = Number(counts.at(-1));
  if (!Number.isFinite(samples)) throw new FfmpegError(`astats reported no sample count for ${filePath}`, log.join('\n'));
  return { loudness: parseEbur128Summary(log), durationMs: Math.round((samples / sampleRateHz) * 1000) };
}

/** As the container declares it (ffprobe); for an MP3 that includes the encoder's delay and padding. */
export async function probeDuration(filePath: string): Promise<number> {
  const data = await probeMedia(filePath);
  const seconds = Number(data.format.duration ?? data.streams.find((s) => s.codec_type === 'audio')?.duration);
  if (!Number.isFinite(seconds)) throw new FfmpegError(`ffprobe reports no duration for ${filePath}`, '');
  return Math.round(seconds * 1000);
}

async function assertHasAudioStream(inputPath: string, name: string): Promise<void> {
  let streams;
  try {
    streams = (await probeMedia(inputPath)).streams;
  } catch (error) {
    throw new UnsupportedAudioError(`"${name}" is not an audio file ffmpeg can read`, { cause: error });
  }
  if (!streams.some((stream) => stream.codec_type === 'audio')) {
    throw new UnsupportedAudioError(`"${name}" contains no audio stream`);
  }
}

async function decode(
  inputPath: string,
  decodedPath: string,
  sampleRateHz: number,
  name: string,
  maxSeconds: number | undefined,
): Promise<{ loudness: LoudnessMeasurement; durationMs: number }> {
  // Stop just past the limit: enough to tell that it was exceeded, without decoding hours of it.
  const cut = maxSeconds === undefined ? [] : ['-t', String(maxSeconds + 2 * DURATION_SLACK_SECONDS)];
  let log: string[];
  try {
    log = await runFfmpeg(inputPath, (command) =>
      command
        .noVideo()
        .outputOptions(['-map', '0:a:0', '-sn', '-dn', '-map_metadata', '-1', ...cut])
        // ebur128 hands its input on resampled to 48 kHz; the second aresample keeps the WAV at the
        // output rate, which the encoder's padding (counted in samples) relies on.
        .audioFilters([`aformat=channel_layouts=mono`, `aresample=${sampleRateHz}`, 'ebur128=peak=true:framelog=verbose', `aresample=${sampleRateHz}`])
        .audioCodec('pcm_f32le')
        .output(decodedPath),
    );
  } catch (error) {
    throw new UnsupportedAudioError(`"${name}" could not be decoded as audio`, { cause: error });
  }
  const decodedMs = await probeDuration(decodedPath).catch(() => 0);
  if (decodedMs <= 0) {
    throw new UnsupportedAudioError(`"${name}" contains no audio samples`);
  }
  if (maxSeconds !== undefined && decodedMs / 1000 > maxSeconds + DURATION_SLACK_SECONDS) {
    throw new AudioTooLongError(name, maxSeconds);
  }
  return { loudness: toMeasurement(parseEbur128Summary(log)), durationMs: decodedMs };
}

async function encode(decodedPath: string, outputPath: string, plan: EncodePlan, encoding: EncodingSettings, window: SoundWindow | null): Promise<void> {
  const padSamples = Math.round((encoding.padMs / 1000) * encoding.sampleRateHz);
  const trim = window ? [`atrim=start=${window.startSeconds.toFixed(4)}:end=${window.endSeconds.toFixed(4)}`, 'asetpts=PTS-STARTPTS'] : [];
  const filters = [
    ...trim,
    `volume=${plan.gainDb.toFixed(2)}dB`,
    // Pad the end before the limiter: its look-ahead swallows the last few milliseconds.
    `apad=pad_len=${padSamples}`,
    `aresample=${encoding.sampleRateHz * LIMITER_OVERSAMPLING}`,
    `alimiter=limit=${dbToAmplitude(plan.ceilingDb).toFixed(4)}:attack=5:release=50:level=false`,
    `aresample=${encoding.sampleRateHz}`,
    `adelay=${encoding.padMs}`,
  ];
  const { codec } = containerOf(encoding);
  await runFfmpeg(decodedPath, (command) =>
    command
      .audioFilters(filters)
      .audioCodec(codec)
      .audioBitrate(`${encoding.bitrateKbps}k`)
      .audioChannels(1)
      .audioFrequency(encoding.sampleRateHz)
      .outputOptions(['-map_metadata', '-1'])
      .output(outputPath),
  );
}

function dbToAmplitude(db: number): number {
  return 10 ** (db / 20);
}
