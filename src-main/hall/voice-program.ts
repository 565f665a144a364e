/**
 * The hall's voice as a program of its own (issue 21): espeak-ng (GPL-3.0, the `espeak-ng` package's WebAssembly
 * build, unchanged) runs in this separate process, is given its command line and writes a WAV file, as the espeak-ng
 * program does on a PC — the desk talks to it over the process channel only. Node runs this file as it is (plain
 * types only, no imports of the desk), so it starts the same from the built desk and from its sources.
 */
import ESpeakNg from 'espeak-ng';

interface Ask {
  id: number;
  voice: string;
  text: string;
}

process.on('message', (m: Ask) => {
  // One run of the program per phrase, as on the command line; its file system is its own.
  ESpeakNg({ arguments: ['-v', m.voice, '-s', '140', '-w', '/out.wav', m.text], print: () => undefined, printErr: () => undefined })
    .then((e) => process.send?.({ id: m.id, wav: Buffer.from(e.FS.readFile('/out.wav')).toString('base64') }))
    .catch((err: unknown) => process.send?.({ id: m.id, error: String(err) }));
});
