import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// electron-builder validates its configuration against its JSON schema before any
// download, so packaging mistakes surface here, on machines that cannot package.
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(dir: string, path: string | null, opts: null): Promise<Record<string, unknown>>;
  validateConfiguration(cfg: Record<string, unknown>, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema and keeps the prebuilt SQLite binary", async () => {
    const cfg = await getConfig(process.cwd(), 'electron-builder.yml', null);
    await expect(validateConfiguration(cfg, new DebugLogger(false))).resolves.toBeUndefined();
    expect(cfg.npmRebuild).toBe(false);
    expect(cfg.extraResources).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'migrations' })]));
  });
  it('issue 24 finding 1: the Windows installer is per user and one click — electron-builder marks updates as needing administrator rights only for per-machine builds (NsisTarget: isPerMachine && (oneClick || packElevateHelper)), so the night update needs no UAC prompt', async () => {
    const cfg = (await getConfig(process.cwd(), 'electron-builder.yml', null)) as { nsis: { perMachine: boolean; oneClick: boolean; packElevateHelper?: boolean } };
    expect(cfg.nsis.perMachine).toBe(false);
    expect(cfg.nsis.oneClick).toBe(true);
    expect(cfg.nsis.packElevateHelper).not.toBe(true);
  });
  it('issue 24 finding 7: Linux desks are AppImages only — the format electron-updater updates without root; a .deb desk never updated', async () => {
    const cfg = (await getConfig(process.cwd(), 'electron-builder.yml', null)) as { linux: { target: string[] } };
    expect(cfg.linux.target).toEqual(['AppImage']);
  });
  it('a wrong key is caught', async () => {
    const cfg = await getConfig(process.cwd(), 'electron-builder.yml', null);
    await expect(validateConfiguration({ ...cfg, bogusKey: 1 }, new DebugLogger(false))).rejects.toThrow(/bogusKey/);
  });
});
