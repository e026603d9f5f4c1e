/**
 * eSpeak NG: offline, formant-synthesised Vietnamese. Uses a system `espeak-ng` when one is on
 * PATH (native, faster, distribution-patched) and the bundled WebAssembly build otherwise.
 */
import { spawn } from 'node:child_process';
import { findExecutableOnPath } from '../executable-on-path.js';
import { encodeWav, parseWav, WavFormatError } from '../wav-codec.js';
import { parseEspeakVoiceList } from './espeak-voice-list.js';
import { runEspeakWasm } from './espeak-wasm.js';
import { TtsError, type SynthesizedSpeech, type TtsProvider, type TtsRequest } from './tts-provider.js';
import { primaryLanguage, type SettingRange, type VoiceInfo } from './voice-info.js';

export interface EspeakProviderOptions {
  /** espeak-ng voice, e.g. `vi`, `vi-vn-x-south`. */
  readonly defaultVoice?: string | undefined;
  /** `auto` (default) looks on PATH; `wasm` forces the bundled build; anything else is a path to the binary. */
  readonly engine?: 'auto' | 'wasm' | { readonly binary: string };
  /** Pace at speakingRate 1.0. espeak-ng's own default (175) is hurried for Vietnamese over loudspeakers. */
  readonly wordsPerMinute?: number;
  readonly timeoutMs?: number;
}

// espeak-ng accepts 80–450 words per minute without its optional sonic speed-up.
const MIN_WPM = 80;
const MAX_WPM = 450;
// `-p` 0–99 scales the voice's base pitch by 2^((p − 50) / 50) (wavegen.c, pitch_adjust_tab): an
// octave down at 0 and almost one up at 99, so 50/12 steps of `-p` make a semitone of base pitch
// (the median pitch of a sentence moves a little less: intonation keeps its own range).
const PITCH_STEPS_PER_SEMITONE = 50 / 12;
const PITCH_SEMITONES: SettingRange = { min: -12, max: 11.75, default: 0 };

interface EspeakRunResult {
  readonly wav: Buffer | null;
  readonly exitStatus: number;
  readonly errors: readonly string[];
  readonly output: readonly string[];
}

export class EspeakProvider implements TtsProvider {
  readonly name = 'espeak' as const;
  readonly defaultVoice: string;
  private readonly wordsPerMinute: number;
  private readonly timeoutMs: number;
  private binary: string | null | undefined;
  private readonly voiceLists = new Map<string, Promise<VoiceInfo[]>>();

  constructor(private readonly options: EspeakProviderOptions = {}) {
    this.defaultVoice = options.defaultVoice ?? 'vi';
    this.wordsPerMinute = options.wordsPerMinute ?? 150;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** The binary in use, or `wasm`. */
  engine(): string {
    return this.systemBinary() ?? 'wasm';
  }

  /** speakingRate maps to words per minute, so its range is espeak-ng's divided by the pace at 1.0. */
  speakingRateRange(): SettingRange {
    return {
      min: Math.ceil((MIN_WPM / this.wordsPerMinute) * 100) / 100,
      max: Math.floor((MAX_WPM / this.wordsPerMinute) * 100) / 100,
      default: 1,
    };
  }

  async synthesize(request: TtsRequest): Promise<SynthesizedSpeech> {
    const voice = request.voice ?? this.defaultVoice;
    const rate = Math.round(Math.min(MAX_WPM, Math.max(MIN_WPM, this.wordsPerMinute * (request.speakingRate ?? 1))));
    // `--` ends option parsing so text such as "-5 độ C" is spoken, not read as a flag; -b 1 = UTF-8 input.
    const args = ['-v', voice, '-s', String(rate), ...pitchArgs(request.pitch), '-b', '1'];
    const run = await this.run([...args, '--', request.text], 'speech');
    if (run.exitStatus !== 0 || !run.wav) {
      const detail = run.errors.join(' ').trim() || `exit status ${run.exitStatus}`;
      const unknownVoice = /voice does not exist/i.test(detail);
      throw new TtsError(unknownVoice ? `espeak-ng has no voice "${voice}"` : `espeak-ng failed: ${detail}`, {
        invalidRequest: unknownVoice,
        ...(unknownVoice ? { field: 'voice' } : {}),
      });
    }
    try {
      return { data: encodeWav(parseWav(run.wav)), container: 'wav' };
    } catch (error) {
      if (error instanceof WavFormatError) throw new TtsError(`espeak-ng produced an unreadable WAV: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /** Asks the engine itself (`--voices=<language>`); the installed voices do not change while the server runs. */
  listVoices(language: string): Promise<VoiceInfo[]> {
    const primary = primaryLanguage(language);
    let list = this.voiceLists.get(primary);
    if (!list) {
      list = this.readVoiceList(primary);
      this.voiceLists.set(primary, list);
      list.catch(() => this.voiceLists.delete(primary));
    }
    return list;
  }

  private async readVoiceList(primary: string): Promise<VoiceInfo[]> {
    const run = await this.run([`--voices=${primary}`], 'text');
    if (run.exitStatus !== 0) throw new TtsError(`espeak-ng could not list its voices: ${run.errors.join(' ').trim() || `exit status ${run.exitStatus}`}`);
    const speakingRate = this.speakingRateRange();
    return parseEspeakVoiceList(run.output).map((entry) => ({
      provider: this.name,
      name: entry.language,
      label: entry.label,
      languageCodes: [entry.language],
      gender: entry.gender,
      speakingRate,
      pitch: PITCH_SEMITONES,
    }));
  }

  /** `speech`: a WAV is wanted; `text`: what it prints (a voice list). */
  private run(args: readonly string[], wanted: 'speech' | 'text'): Promise<EspeakRunResult> {
    const binary = this.systemBinary();
    return binary ? this.runBinary(binary, args, wanted) : runEspeakWasm(args);
  }

  private systemBinary(): string | null {
    if (this.binary === undefined) {
      const engine = this.options.engine ?? 'auto';
      this.binary = engine === 'wasm' ? null : engine === 'auto' ? findExecutableOnPath('espeak-ng') : engine.binary;
    }
    return this.binary;
  }

  private runBinary(binary: string, args: readonly string[], wanted: 'speech' | 'text'): Promise<EspeakRunResult> {
    const speaking = wanted === 'speech';
    const fullArgs = speaking ? ['--stdout', ...args] : [...args];
    return new Promise((resolve) => {
      const child = spawn(binary, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], timeout: this.timeoutMs });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error) => resolve({ wav: null, exitStatus: -1, errors: [error.message], output: [] }));
      child.on('close', (code, signal) => {
        const errors = [Buffer.concat(stderr).toString('utf8')];
        if (signal) errors.push(`killed by ${signal}${signal === 'SIGTERM' ? ' (timed out?)' : ''}`);
        const out = Buffer.concat(stdout);
        resolve({ wav: speaking ? out : null, exitStatus: code ?? -1, errors, output: speaking ? [] : [out.toString('utf8')] });
      });
    });
  }
}

/** Nothing for the normal pitch, so a default request runs exactly as before pitch existed. */
function pitchArgs(semitones: number | undefined): string[] {
  if (!semitones) return [];
  const value = Math.round(50 + semitones * PITCH_STEPS_PER_SEMITONE);
  return ['-p', String(Math.min(99, Math.max(0, value)))];
}
