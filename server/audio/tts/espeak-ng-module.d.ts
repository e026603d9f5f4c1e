/** Types for the `espeak-ng` npm package (an Emscripten build that ships no declarations): only what espeak-wasm.ts uses. */
declare module 'espeak-ng' {
  interface EspeakNgModuleOptions {
    arguments: string[];
    print?: (line: string) => void;
    printErr?: (line: string) => void;
    /** Replaces Emscripten's exit handler, which in Node would set `process.exitCode`. */
    quit?: (status: number, toThrow: unknown) => void;
  }
  interface EspeakNgInstance {
    FS: {
      readFile(path: string): Uint8Array;
      analyzePath(path: string): { exists: boolean };
    };
  }
  const ESpeakNg: (options: EspeakNgModuleOptions) => Promise<EspeakNgInstance>;
  export default ESpeakNg;
}
