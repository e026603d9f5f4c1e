/**
 * eSpeak NG: offline, formant-synthesised Vietnamese. Uses a system `espeak-ng` when one is on
 * PATH (native, faster, distribution-patched) and the bundled WebAssembly build otherwise.
 */
import { spawn } from 'node:child_process';
import { findExecutableOnPath } from '../executable-on-path.js';
import { encodeWav, parseWav, WavFormatError } from '../wav-codec.js';
import { runEspeakWasm } from './espeak-wasm.js';
import { TtsError, type SynthesizedSpeech, type TtsProvider, type TtsRequest } from './tts-provider.js';

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

export class EspeakProvider implements TtsProvider {
  readonly name = 'espeak' as const;
  readonly defaultVoice: string;
  private readonly wordsPerMinute: number;
  private readonly timeoutMs: number;
  private binary: string | null | undefined;

  constructor(private readonly options: EspeakProviderOptions = {}) {
    this.defaultVoice = options.defaultVoice ?? 'vi';
    this.wordsPerMinute = options.wordsPerMinute ?? 150;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** The binary in use, or `wasm`. */
  engine(): string {
    return this.systemBinary() ?? 'wasm';
  }

  async synthesize(request: TtsRequest): Promise<SynthesizedSpeech> {
    const voice = request.voice ?? this.defaultVoice;
    const rate = Math.round(Math.min(MAX_WPM, Math.max(MIN_WPM, this.wordsPerMinute * (request.speakingRate ?? 1))));
    // `--` ends option parsing so text such as "-5 độ C" is spoken, not read as a flag; -b 1 = UTF-8 input.
    const args = ['-v', voice, '-s', String(rate), '-b', '1'];
    const binary = this.systemBinary();
    const run = binary ? await this.runBinary(binary, [...args, '--stdout', '--', request.text]) : await runEspeakWasm([...args, '--', request.text]);
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

  private systemBinary(): string | null {
    if (this.binary === undefined) {
      const engine = this.options.engine ?? 'auto';
      this.binary = engine === 'wasm' ? null : engine === 'auto' ? findExecutableOnPath('espeak-ng') : engine.binary;
    }
    return this.binary;
  }

  private runBinary(binary: string, args: readonly string[]): Promise<{ wav: Buffer | null; exitStatus: number; errors: string[] }> {
    return new Promise((resolve) => {
      const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: this.timeoutMs });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error) => resolve({ wav: null, exitStatus: -1, errors: [error.message] }));
      child.on('close', (code, signal) => {
        const errors = [Buffer.concat(stderr).toString('utf8')];
        if (signal) errors.push(`killed by ${signal}${signal === 'SIGTERM' ? ' (timed out?)' : ''}`);
        resolve({ wav: Buffer.concat(stdout), exitStatus: code ?? -1, errors });
      });
    });
  }
}
