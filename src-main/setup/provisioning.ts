import { existsSync, readFileSync, rmSync } from 'node:fs';
import { z } from 'zod';

/**
 * A provisioning file for silent installs: the deployment tool puts it beside the installed desk
 * (or in its data folder) and the desk's first start enrolls by it with nobody at the screen.
 * It holds a one-time code and a password, so it is deleted once used.
 */
export const provisioning = z.object({
  serverUrl: z.url({ protocol: /^https?$/ }),
  code: z.string().trim().min(4).max(40),
  deviceName: z.string().trim().min(1).max(100).optional(),
  password: z.string().min(8).max(200),
});
export type Provisioning = z.infer<typeof provisioning>;

export const PROVISION_FILE = 'kezek-provision.json';

/** The first provisioning file found among `paths`, checked; a file that does not parse is an error naming the file. */
export function readProvisioning(paths: readonly string[]): { file: string; data: Provisioning } | null {
  for (const file of paths) {
    if (!existsSync(file)) continue;
    const parsed = provisioning.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return { file, data: parsed.data };
  }
  return null;
}

export function forgetProvisioning(file: string): void {
  rmSync(file, { force: true });
}
