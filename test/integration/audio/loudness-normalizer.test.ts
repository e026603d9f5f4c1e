import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedAudioError } from '../../../server/audio/audio-errors.js';
import { DEFAULT_ENCODING } from '../../../server/audio/encoding-settings.js';
import { probeMedia, runFfmpeg } from '../../../server/audio/ffmpeg-runner.js';
import { measureLoudness, normalizeLoudness, probeDuration, type NormalizedAudio } from '../../../server/audio/loudness-normalizer.js';
import { EspeakProvider } from '../../../server/audio/tts/espeak-provider.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { decodedDurationMs } from './audio-measurements.js';

let temp: { path: string; remove(): Promise<void> };
let speechWav: string;
let speechMs: number;

const workDir = () => mkdtemp(path.join(temp.path, 'work-'));

/** Re-encodes the speech at a deliberately wrong loudness (about −30 LUFS), as a phone recording might arrive. */
async function quietCopy(name: string, codecOptions: string[]): Promise<string> {
  const target = path.join(temp.path, name);
  await runFfmpeg(speechWav, (command) => command.audioFilters('volume=-12dB').outputOptions(codecOptions).output(target));
  return target;
}

async function generated(name: string, lavfiSource: string, outputOptions: string[] = []): Promise<string> {
  const target = path.join(temp.path, name);
  await runFfmpeg(lavfiSource, (command) => command.inputFormat('lavfi').outputOptions(outputOptions).output(target));
  return target;
}

async function expectBroadcastReady(result: NormalizedAudio, expectedSpeechMs: number): Promise<void> {
  const probe = await probeMedia(result.filePath);
  const audio = probe.streams.filter((stream) => stream.codec_type === 'audio');
  expect(audio).toHaveLength(1);
  expect(audio[0]).toMatchObject({ codec_name: 'mp3', channels: 1, sample_rate: 24_000 });
  expect(result).toMatchObject({ container: 'mp3', mime: 'audio/mpeg' });
  // Measured again, independently of what the normaliser reported.
  const measured = await measureLoudness(result.filePath);
  expect(measured.integratedLufs).toBeGreaterThanOrEqual(-17);
  expect(measured.integratedLufs).toBeLessThanOrEqual(-15);
  expect(measured.truePeakDbtp).toBeLessThanOrEqual(-1);
  expect(result.loudnessLufs).toBeCloseTo(measured.integratedLufs, 1);
  expect(result.truePeakDbtp).toBeCloseTo(measured.truePeakDbtp, 1);
  // What a player plays, counted in samples; ffprobe's MP3 duration adds the encoder's delay and padding.
  expect(Math.abs(result.durationMs - (await decodedDurationMs(result.filePath)))).toBeLessThanOrEqual(1);
  expect(await probeDuration(result.filePath)).toBeGreaterThanOrEqual(result.durationMs);
  // 150 ms of silence at each end, and nothing cut (an AAC input may decode a few ms longer: its last frame's padding).
  expect(Math.abs(result.durationMs - (expectedSpeechMs + 300))).toBeLessThanOrEqual(25);
}

beforeAll(async () => {
  temp = await makeTempDir('loudness');
  const speech = await new EspeakProvider({ engine: 'wasm' }).synthesize({
    text: 'Thông báo của Ủy ban nhân dân xã. Sáng mai, đội y tế sẽ tiêm phòng cho gia súc tại nhà văn hóa thôn.',
    language: 'vi-VN',
  });
  speechWav = path.join(temp.path, 'speech.wav');
  await writeFile(speechWav, speech.data);
  speechMs = await probeDuration(speechWav);
});

afterAll(() => temp.remove());

describe('normalizeLoudness', () => {
  it.each([
    ['stereo 44.1 kHz WAV', 'quiet.wav', ['-ac', '2', '-ar', '44100', '-c:a', 'pcm_s16le']],
    ['Ogg Vorbis', 'quiet.ogg', ['-c:a', 'libvorbis', '-q:a', '4']],
    ['AAC in M4A', 'quiet.m4a', ['-c:a', 'aac', '-b:a', '64k']],
  ])('brings a quiet %s to −16 LUFS, ≤ −1 dBTP, mono MP3', async (_kind, name, codecOptions) => {
    const input = await quietCopy(name, codecOptions);
    const before = await measureLoudness(input);
    expect(before.integratedLufs).toBeLessThan(-26);
    const result = await normalizeLoudness(input, { workDir: await workDir() });
    await expectBroadcastReady(result, speechMs);
  });

  it('meets the target on loud, peaky synthetic speech too', async () => {
    const before = await measureLoudness(speechWav);
    expect(before.truePeakDbtp).toBeGreaterThan(-1); // espeak-ng peaks near full scale
    const result = await normalizeLoudness(speechWav, { workDir: await workDir() });
    await expectBroadcastReady(result, speechMs);
  });

  it('can encode Opus in Ogg instead', async () => {
    const result = await normalizeLoudness(speechWav, { workDir: await workDir(), encoding: { ...DEFAULT_ENCODING, format: 'opus', bitrateKbps: 24 } });
    expect(result).toMatchObject({ container: 'ogg', mime: 'audio/ogg' });
    expect((await probeMedia(result.filePath)).streams[0]).toMatchObject({ codec_name: 'opus', channels: 1 });
    const measured = await measureLoudness(result.filePath);
    expect(Math.abs(measured.integratedLufs - -16)).toBeLessThanOrEqual(1);
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(-1);
  });

  it('rejects a text file dressed up as .mp3', async () => {
    const fake = path.join(temp.path, 'bulletin.mp3');
    await writeFile(fake, 'Đây không phải là âm thanh. '.repeat(200));
    const result = normalizeLoudness(fake, { workDir: await workDir(), displayName: 'bulletin.mp3' });
    await expect(result).rejects.toBeInstanceOf(UnsupportedAudioError);
    await expect(result).rejects.toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('bulletin.mp3') });
  });

  it('rejects an empty file and a file with no audio stream', async () => {
    const empty = path.join(temp.path, 'empty.wav');
    await writeFile(empty, '');
    await expect(normalizeLoudness(empty, { workDir: await workDir() })).rejects.toBeInstanceOf(UnsupportedAudioError);
    const picture = await generated('picture.png', 'color=c=red:s=32x32', ['-frames:v', '1']);
    await expect(normalizeLoudness(picture, { workDir: await workDir() })).rejects.toThrow(/no audio stream/);
  });

  it('still produces a clip too short to measure, peak-limited, with loudness unknown', async () => {
    // 0.2 s of tone at −18 dBFS: under one 400 ms BS.1770 block even with 50 ms of padding at each end.
    const blip = await generated('blip.wav', 'sine=frequency=880:duration=0.2:sample_rate=24000');
    expect((await measureLoudness(blip)).integratedLufs).toBe(-70);
    const result = await normalizeLoudness(blip, { workDir: await workDir(), encoding: { ...DEFAULT_ENCODING, padMs: 50 } });
    expect(result.loudnessLufs).toBeNull();
    expect(result.truePeakDbtp).not.toBeNull();
    expect(result.truePeakDbtp!).toBeLessThanOrEqual(-1);
    expect(result.truePeakDbtp!).toBeGreaterThan(-6); // brought up towards the ceiling, not left at −18
    expect(result.durationMs).toBeGreaterThanOrEqual(280);
  });

  it('measures a short clip once padding makes it long enough', async () => {
    const blip = await generated('blip-padded.wav', 'sine=frequency=880:duration=0.2:sample_rate=24000');
    const result = await normalizeLoudness(blip, { workDir: await workDir() });
    expect(result.durationMs).toBeGreaterThanOrEqual(480);
    expect(result.truePeakDbtp!).toBeLessThanOrEqual(-1);
    expect(result.loudnessLufs).not.toBeNull();
  });

  it('passes digital silence through without inventing a level', async () => {
    const silence = await generated('silence.wav', 'anullsrc=r=16000:cl=mono', ['-t', '2']);
    const result = await normalizeLoudness(silence, { workDir: await workDir() });
    expect(result.loudnessLufs).toBeNull();
    expect(result.truePeakDbtp).toBeNull();
    expect(result.durationMs).toBeGreaterThanOrEqual(2_250);
  });
});
