/**
 * hall_call_to_screen (issue 21): from the doctor's key on a cabinet PC to the number on the hall's screen, with the
 * internet down — the cabinet PC's desk signs the request and posts it over the LAN (real HTTP) to the registry's
 * desk, which checks the signature, chooses and records the call and pushes the screen's state (Server-Sent Events)
 * to a real Chromium showing /hall; the figure ends when the page has drawn the call (a MutationObserver's clock, on the
 * same machine's wall clock as the key's). The registry's desk meanwhile books and cancels ten times a second (a
 * busier desk than any registry's) and the screen fetches each call's voice (espeak-ng beside it).
 * Baseline, the same run: one GET of the screen's state from the cabinet PC's process over the same HTTP.
 */
import { chromium } from '@playwright/test';
import { join } from 'node:path';
import { openDesk, type Desk } from '../../src-main/desk.js';
import { createHttpApp, listen, LOOPBACK_HOSTS } from '../../src-main/rpc/http.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { ClinicServer, ORG } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { measure, summarize, type BenchResult } from './stats.js';

const CALLS = 100;

export async function hallBenchmark(log: (m: string) => void): Promise<BenchResult[]> {
  const clinic = await new ClinicServer().start();
  const registry = await clinic.enrolledDesk('Регистратура');
  const hall = await listen(
    createHttpApp(registry.desk.router, join(process.cwd(), 'dist', 'renderer'), LOOPBACK_HOSTS, () => registry.desk.hallHttp),
    0,
  );
  const s = registry.desk.env.db.sqlite;
  const { d: doctorId } = s
    .prepare(`SELECT doctor_id AS d FROM slots WHERE date = '2026-11-23' AND start_utc > ? AND channel = 'registry' AND appointment_id IS NULL GROUP BY doctor_id ORDER BY count(*) DESC LIMIT 1`)
    .get(MONDAY_9AM) as { d: string };
  const code = await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM, 72, { kind: 'cabinet', doctorId });
  const cabinet: Desk = await openDesk({
    dataDir: clinic.newDir(),
    clock: clinic.now,
    autoSync: false,
    hallUrl: hall.url,
    enroll: { serverUrl: clinic.url, code, deviceName: 'Кабинет', password: 'cab-pass' },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
  });
  let busy = true;
  try {
    const signIn = await cabinet.router.call('auth.signIn', { username: 'doctor', password: 'cab-pass' }, {});
    if (!signIn.ok) throw new Error('no doctor account on the cabinet PC');
    const token = (signIn.data as { token: string }).token;
    const slots = s
      .prepare("SELECT id FROM slots WHERE date = '2026-11-23' AND start_utc > ? AND doctor_id = ? AND channel = 'registry' AND appointment_id IS NULL ORDER BY start_utc LIMIT 3")
      .all(MONDAY_9AM, doctorId) as { id: string }[];
    const patients = s.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 203').all(ORG) as { id: string }[];
    const booked: string[] = [];
    for (const [i, slot] of slots.entries()) booked.push((await registry.call('appointments.book', { patientId: patients[i]!.id, slotId: slot.id })).appointment.id);
    for (const id of booked) await registry.call('appointments.checkIn', { appointmentId: id });
    await registry.desk.sync!.syncOnce();
    await cabinet.sync!.syncOnce();
    await clinic.down(); // the internet is down for the rest: the LAN only

    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${hall.url}/hall`);
    await page.waitForSelector('.hall-page');
    // When each call was first drawn, on the page's wall clock.
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { seen: Record<string, number> }).seen = seen;
      new MutationObserver(() => {
        const id = document.querySelector<HTMLElement>('.hall-latest')?.dataset.id;
        if (id && !(id in seen)) seen[id] = performance.timeOrigin + performance.now();
      }).observe(document.getElementById('hall')!, { childList: true, subtree: true });
    });

    // A busy registry at the same desk: a booking or a cancellation every 100 ms.
    const registryFree = s
      .prepare("SELECT id FROM slots WHERE date > '2026-11-23' AND channel = 'registry' AND appointment_id IS NULL AND doctor_id <> ? ORDER BY start_utc LIMIT 200")
      .all(doctorId) as { id: string }[];
    const load = (async () => {
      for (let i = 0; busy && i < registryFree.length; i++) {
        const b = await registry.call('appointments.book', { patientId: patients[3 + i]!.id, slotId: registryFree[i]!.id }).catch(() => null);
        await new Promise((r) => setTimeout(r, 50));
        if (b) await registry.call('appointments.cancel', { appointmentId: b.appointment.id, channel: 'registry' }).catch(() => null);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const baseline = await measure(CALLS, () => fetch(`${hall.url}/hall/state`).then((r) => r.json()));
    const toScreen: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t0 = performance.timeOrigin + performance.now();
      const r = await cabinet.router.call('hall.ask', { action: 'recall', appointmentId: booked[i % booked.length]! }, { token });
      if (!r.ok) throw new Error(`hall.ask: ${r.error.code}`);
      const id = (r.data as { call: { id: string } }).call.id;
      const seenAt = await page.waitForFunction((want) => (window as unknown as { seen: Record<string, number> }).seen[want], id, { polling: 'raf' });
      toScreen.push(((await seenAt.jsonValue()) as number) - t0);
    }
    busy = false;
    await load;
    const base = summarize('baseline_lan_state_get', baseline);
    const sorted = [...toScreen].sort((a, b) => a - b);
    const result: BenchResult = { ...summarize('hall_call_to_screen', toScreen), p95_ms: Math.round(sorted[Math.ceil(0.95 * sorted.length) - 1]! * 1000) / 1000 };
    result.ratio_to_baseline = Math.round((result.p50_ms / base.p50_ms) * 100) / 100;
    log(`hall_call_to_screen p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms (${result.ratio_to_baseline}× a bare GET of the screen's state, ${base.p50_ms} ms)`);
    return [base, result];
  } finally {
    busy = false;
    await browser.close();
    await cabinet.close();
    await hall.close();
    await registry.desk.close();
    await clinic.stop();
  }
}
