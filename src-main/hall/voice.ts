import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Lang } from '../../src-shared/domain/enums.js';

/**
 * The voice program beside this file, in the form this desk runs (.js built, .ts from its sources) — in an installed
 * desk the copy unpacked beside app.asar (electron-builder.yml), a real file a Node process can start.
 */
const PROGRAM = fileURLToPath(new URL(`./voice-program${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)).replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
/** espeak-ng's voice of each language: Kyrgyz and Kazakh are its own `ky` and `kk`. */
const VOICE: Record<Lang, string> = { ru: 'ru', ky: 'ky', kk: 'kk' };
const CACHED = 200;
const TIMEOUT_MS = 20_000;

/**
 * Speech for the hall's screen, made on this PC with no internet: espeak-ng in a child process (voice-program.ts),
 * started at the first call and kept; the WAV of each phrase kept for the day's repeats. A phrase is spoken once per
 * call, so its making is not on the call's way to the screen: the screen shows the call, then fetches the sound.
 */
export class Voice {
  private child: ChildProcess | null = null;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (wav: Buffer) => void; reject: (e: Error) => void }>();
  private readonly made = new Map<string, Promise<Buffer>>();

  /** The WAV (16-bit mono PCM, 22,050 Hz) of `text` read in `lang`. */
  speak(lang: Lang, text: string): Promise<Buffer> {
    const key = `${lang}\u0000${text}`;
    let wav = this.made.get(key);
    if (!wav) {
      wav = this.ask(VOICE[lang], text);
      wav.catch(() => this.made.delete(key));
      if (this.made.size >= CACHED) this.made.delete(this.made.keys().next().value!);
      this.made.set(key, wav);
    }
    return wav;
  }

  close(): void {
    this.child?.kill();
    this.child = null;
  }

  private ask(voice: string, text: string): Promise<Buffer> {
    const child = this.program();
    const id = this.next++;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error('the voice program did not answer'));
      }, TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (wav) => {
          clearTimeout(timer);
          resolve(wav);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      child.send({ id, voice, text });
    });
  }

  private program(): ChildProcess {
    if (this.child) return this.child;
    // Plain node for the program (an Electron desk runs it as Node); never the desk's own flags.
    const child = fork(PROGRAM, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [], serialization: 'json' });
    child.on('message', (m: { id: number; wav?: string; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.wav) w.resolve(Buffer.from(m.wav, 'base64'));
      else w.reject(new Error(m.error ?? 'no sound'));
    });
    child.on('exit', () => {
      if (this.child === child) this.child = null;
      for (const [id, w] of this.waiting) {
        this.waiting.delete(id);
        w.reject(new Error('the voice program ended'));
      }
    });
    // The desk may quit with the program idle: it must not keep the desk's process alive.
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }
}
