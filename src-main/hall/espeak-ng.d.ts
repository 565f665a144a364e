// The `espeak-ng` package ships no types: what voice-program.ts uses of its Emscripten module.
declare module 'espeak-ng' {
  interface ESpeakModule {
    FS: { readFile(path: string): Uint8Array };
  }
  export default function ESpeakNg(options: { arguments: string[]; print?: (s: string) => void; printErr?: (s: string) => void }): Promise<ESpeakModule>;
}
