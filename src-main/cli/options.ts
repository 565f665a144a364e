import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A secret from a file (its first line): for silent installs that must not put it on the command line. */
function readSecretFile(path: string | undefined): string {
  if (!path) throw new Error('--password-file needs a file name');
  return readFileSync(path, 'utf8').split(/\r?\n/)[0]!.trim();
}

const schema = z.object({
  dataDir: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  /** Extra names other PCs of the clinic's LAN use for this desk (its DNS name): with `--host 0.0.0.0`, only these, this PC's name and its addresses are answered. */
  lanNames: z.array(z.string().regex(/^[a-z0-9.-]{1,253}$/i, 'a host name')),
  browser: z.boolean(),
  /** On a fresh data folder, build the demo clinic (otherwise the first-run wizard asks). */
  demo: z.boolean(),
  /** Start the desk's clock at this instant and let it run (training, demos, end-to-end tests). */
  clockStart: z.iso.datetime({ offset: true }).nullable(),
  /** First start of a clinic's desk: enroll with the sync server instead of building the demo clinic. */
  server: z.url().nullable(),
  enrollCode: z.string().min(4).nullable(),
  deviceName: z.string().min(1),
  password: z.string().min(6).nullable(),
  /** The desk that runs the hall's queue screen (issue 21), for a cabinet PC or another desk; `here`: this one. Kept. */
  hallDesk: z.union([z.literal('here'), z.url({ protocol: /^https?$/ })]).nullable(),
  /** The hall's kiosk (issue 21): the Electron window full screen with no way out but the administrator's. */
  kiosk: z.boolean(),
});
export type StartOptions = z.infer<typeof schema>;

/**
 * `--data-dir`, `--port`, `--host`, `--browser`; env KEZEK_DATA_DIR / KEZEK_PORT as defaults.
 * Unknown options are an error on the command line; inside Electron (`unknown: 'ignore'`) they
 * are Chromium's own switches (`--no-sandbox`, `--enable-logging`…) and are left to Chromium.
 */
export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv = process.env, how: { unknown: 'reject' | 'ignore' } = { unknown: 'reject' }): StartOptions {
  const raw: Record<string, unknown> = {
    dataDir: env.KEZEK_DATA_DIR ?? join(homedir(), '.kezek'),
    port: env.KEZEK_PORT ?? 5780,
    host: '127.0.0.1',
    lanNames: [] as string[],
    browser: false,
    demo: false,
    clockStart: env.KEZEK_CLOCK_START ?? null,
    server: null,
    enrollCode: null,
    deviceName: env.KEZEK_DEVICE_NAME ?? hostname(),
    // Secrets never on the command line (anyone on the PC sees it in `ps` for the desk's lifetime): the environment or a file.
    password: env.KEZEK_PASSWORD ?? null,
    hallDesk: null,
    kiosk: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    // A flag's value is the next word — never another flag (`--data-dir --demo` once made a folder named `--demo`).
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value${next === undefined ? '' : `, but the next word is the option ${next}`}`);
      i++;
      return next;
    };
    if (flag === '--data-dir') raw.dataDir = value();
    else if (flag === '--port') raw.port = value();
    else if (flag === '--host') raw.host = value();
    else if (flag === '--lan-name') (raw.lanNames as string[]).push(String(value()));
    else if (flag === '--browser') raw.browser = true;
    else if (flag === '--demo') raw.demo = true;
    else if (flag === '--clock-start') raw.clockStart = value();
    else if (flag === '--server') raw.server = value();
    else if (flag === '--enroll-code') raw.enrollCode = value();
    else if (flag === '--device-name') raw.deviceName = value();
    else if (flag === '--hall-desk') raw.hallDesk = value();
    else if (flag === '--kiosk') raw.kiosk = true;
    else if (flag === '--password-file') raw.password = readSecretFile(value());
    else if (flag === '--password')
      throw new Error('--password is not accepted: a password on the command line is visible to every user of this PC (ps). Set KEZEK_PASSWORD or give --password-file FILE');
    else if (how.unknown === 'ignore') continue;
    else
      throw new Error(
        `unknown option ${a} (known: --data-dir DIR, --port N, --host ADDR, --lan-name NAME, --browser, --demo, --clock-start ISO, --server URL --enroll-code CODE [--password-file FILE] [--device-name NAME], --hall-desk URL|here, --kiosk; the password may also come from KEZEK_PASSWORD)`,
      );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`bad options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The system clock, or one that starts at `clockStart` and runs at normal speed. */
export function clockFor(opts: StartOptions): () => number {
  if (!opts.clockStart) return Date.now;
  const offset = Date.parse(opts.clockStart) - Date.now();
  return () => Date.now() + offset;
}

/** The enrollment to do on first start, if the options ask for one (all three are needed together). */
export function enrollmentFor(opts: StartOptions): { serverUrl: string; code: string; deviceName: string; password: string | null } | undefined {
  if (!opts.server && !opts.enrollCode) return undefined;
  // The password is checked where it is needed: a first enrollment (a desk enrolling again keeps its accounts).
  if (!opts.server || !opts.enrollCode) throw new Error('to enroll this desk give --server URL and --enroll-code CODE');
  return { serverUrl: opts.server, code: opts.enrollCode, deviceName: opts.deviceName, password: opts.password };
}

/**
 * What Electron is started with: its main script and every option this command was given (the
 * data directory, server, enrollment code, clock…), and the password only in the child's
 * environment — never on its command line.
 */
export function electronLaunch(rootDir: string, argv: readonly string[], password: string | null): { args: string[]; env: Record<string, string> } {
  return { args: [join(rootDir, 'out', 'main', 'src-main', 'electron', 'main.js'), ...argv], env: password ? { KEZEK_PASSWORD: password } : {} };
}
