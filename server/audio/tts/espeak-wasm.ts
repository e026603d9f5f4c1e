/**
 * Runs the WebAssembly build of espeak-ng (npm `espeak-ng`): one fresh module instance per call,
 * because its `main` runs once at instantiation and leaves the runtime spent.
 */
import ESpeakNg from 'espeak-ng';

const OUTPUT_FILE = '/speech.wav';

export interface EspeakRun {
  readonly wav: Buffer | null;
  readonly exitStatus: number;
  readonly errors: readonly string[];
  /** What it printed on stdout (`--voices` lists there). */
  readonly output: readonly string[];
}

/** `args` are espeak-ng's command-line arguments without the output option. */
export async function runEspeakWasm(args: readonly string[]): Promise<EspeakRun> {
  const errors: string[] = [];
  const output: string[] = [];
  let exitStatus = 0;
  let instance: Awaited<ReturnType<typeof ESpeakNg>> | undefined;
  try {
    instance = await ESpeakNg({
      arguments: ['-w', OUTPUT_FILE, ...args],
      print: (line) => output.push(line),
      printErr: (line) => errors.push(line),
      // Emscripten's Node exit handler sets process.exitCode, which would make the whole server exit 1 later.
      quit: (status, toThrow) => {
        exitStatus = status;
        throw toThrow;
      },
    });
  } catch (error) {
    // An explicit exit() inside espeak rejects the module promise with a plain message.
    errors.push(error instanceof Error ? error.message : String(error));
    if (exitStatus === 0) exitStatus = 1;
  }
  const wav = instance && instance.FS.analyzePath(OUTPUT_FILE).exists ? Buffer.from(instance.FS.readFile(OUTPUT_FILE)) : null;
  return { wav, exitStatus, errors: errors.filter((line) => !line.startsWith('program exited')), output };
}
