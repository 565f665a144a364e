import { z } from 'zod';
import { createEnrollmentCode, type EnrollAs } from '../auth/enrollment.js';
import { listDevices, revokeDevice, type DeviceInfo } from '../auth/devices.js';
import type { ServerDb } from '../db/connect.js';
import type { RunningServer } from './running-server.js';

/** The installer's commands, as the CLI runs them on the database and the running server runs them for the CLI. */
export const adminInput = {
  'enroll-code': z.object({
    orgId: z.string().min(1),
    hours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(72),
    cabinet: z.string().min(1).nullable().default(null),
  }),
  devices: z.object({ orgId: z.string().min(1) }),
  'revoke-device': z.object({ deviceId: z.string().min(1) }),
};
export type AdminCommand = keyof typeof adminInput;
export type AdminOutput = { 'enroll-code': { code: string }; devices: { devices: DeviceInfo[] }; 'revoke-device': { revoked: boolean } };

export async function runAdmin<C extends AdminCommand>(db: ServerDb, command: C, input: z.infer<(typeof adminInput)[C]>, now: number): Promise<AdminOutput[C]> {
  switch (command) {
    case 'enroll-code': {
      const i = input as z.infer<(typeof adminInput)['enroll-code']>;
      const as: EnrollAs = i.cabinet ? { kind: 'cabinet', doctorId: i.cabinet } : { kind: 'desk' };
      return { code: await createEnrollmentCode(db, i.orgId, now, i.hours, as) } as AdminOutput[C];
    }
    case 'devices':
      return { devices: await listDevices(db, (input as { orgId: string }).orgId) } as AdminOutput[C];
    default:
      return { revoked: await revokeDevice(db, (input as { deviceId: string }).deviceId, now) } as AdminOutput[C];
  }
}

/** The same command sent to the server running on this PC's embedded database. */
export async function askRunningServer<C extends AdminCommand>(server: RunningServer, command: C, input: unknown): Promise<AdminOutput[C]> {
  const res = await fetch(`http://127.0.0.1:${server.port}/admin/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kezek-admin': server.secret },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as AdminOutput[C] & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `the running server answered ${res.status}`);
  return body;
}
