import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDesk, restoreDesk } from '../../src-main/db/backup.js';
import { defaultBackupDir, nightlyBackup } from '../../src-main/db/backup-schedule.js';
import { DeskAlreadyRunning } from '../../src-main/db/instance-lock.js';
import { TestDesk } from '../support/desk.js';

const out = mkdtempSync(join(tmpdir(), 'kezek-backups-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const freeSlots = (t: TestDesk, n: number) =>
  (
    t.desk.env.db.sqlite
      .prepare("SELECT id FROM slots WHERE specialty_id = 'family' AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND date > '2026-11-23' LIMIT ?")
      .all(n) as Array<{ id: string }>
  ).map((s) => s.id);

describe('desk backup and restore (issue 12: operations)', () => {
  it('a backup taken while the desk books is consistent; restore refuses a running desk, keeps what it replaces, and the desk carries on from the backup', async () => {
    const t = await TestDesk.start();
    const patients = (t.desk.env.db.sqlite.prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 LIMIT 12").all() as Array<{ id: string }>).map((p) => p.id);
    const slots = freeSlots(t, 12);
    const before = await t.call('appointments.book', { patientId: patients[0]!, slotId: slots[0]! });
    // Bookings go on while the backup runs.
    const file = join(out, 'desk-1.sqlite');
    const during = Promise.all(patients.slice(1, 6).map((p, i) => t.call('appointments.book', { patientId: p, slotId: slots[i + 1]! })));
    const pages = await backupDesk(t.dir, file);
    await during;
    expect(pages).toBeGreaterThan(100);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const after = await t.call('appointments.book', { patientId: patients[8]!, slotId: slots[8]! });
    // Never over another backup.
    await expect(backupDesk(t.dir, file)).rejects.toThrow('already exists');
    // Not while the desk runs.
    expect(() => restoreDesk(t.dir, file)).toThrow(DeskAlreadyRunning);
    await t.desk.close();
    const { keptAs } = restoreDesk(t.dir, file);
    expect(keptAs && existsSync(keptAs)).toBeTruthy();
    await t.open();
    await t.signIn('registrar');
    const has = (id: string) => t.count('appointments', `id = '${id}'`);
    expect(has(before.appointment.id)).toBe(1);
    expect(has(after.appointment.id)).toBe(0);
    // The ticket mark beside the directory survived the restore: no code printed after the backup repeats.
    const next = await t.call('appointments.book', { patientId: patients[9]!, slotId: slots[9]! });
    expect(Number(next.ticket.code.slice(3))).toBeGreaterThan(Number(after.ticket.code.slice(3)));
    await t.close();
  });

  it('`npm run backup` / `npm run restore` from the command line; a file that is not a Kezek database is refused', async () => {
    const t = await TestDesk.start();
    const file = join(out, 'cli.sqlite');
    const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src-main/cli/backup.ts', ...args], { encoding: 'utf8', stdio: 'pipe' });
    expect(cli('backup', '--data-dir', t.dir, file)).toContain('written to');
    await t.desk.close();
    expect(cli('restore', '--data-dir', t.dir, file)).toContain('restored');
    expect(readdirSync(t.dir).some((f) => f.startsWith('kezek.sqlite.before-restore-'))).toBe(true);
    expect(() => cli('restore', '--data-dir', t.dir, join(t.dir, 'desk.lock'))).toThrow(/not a Kezek desk database|not an intact/);
    await t.open();
    await t.close();
  });

  it('the nightly backup (no file named) goes beside the data folder and keeps its 14 newest, never a file it did not make', async () => {
    const t = await TestDesk.start();
    const dir = defaultBackupDir(t.dir);
    try {
      expect(dir).toBe(`${t.dir}-backups`);
      const night = (n: number) => Date.parse('2026-11-01T02:15:00Z') + n * 86_400_000;
      const first = await nightlyBackup(t.dir, null, night(0));
      expect(first.file).toBe(join(dir, 'kezek-backup-2026-11-01-02-15-00.sqlite'));
      writeFileSync(join(dir, 'kezek-backup-before-migration.sqlite'), 'the IT person’s own copy');
      for (let n = 1; n < 16; n++) await nightlyBackup(t.dir, null, night(n));
      const left = readdirSync(dir).sort();
      expect(left).toHaveLength(15);
      expect(left).toContain('kezek-backup-before-migration.sqlite');
      expect(left[0]).toBe('kezek-backup-2026-11-03-02-15-00.sqlite');
      expect(left).toContain('kezek-backup-2026-11-16-02-15-00.sqlite');
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
