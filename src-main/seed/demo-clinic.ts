import type { ScheduleTemplate, SpecialtyAges, TemplateInterval } from '../../src-shared/domain/directory.js';
import type { Sex, SpecialtyKind } from '../../src-shared/domain/enums.js';
import { makeKgPin } from '../../src-shared/ids/kg-pin.js';
import { PROFILES } from '../../src-shared/policy/profiles.js';
import { addDays, datesBetween, wallToUtc } from '../../src-shared/time/dates.js';
import { isWorkingDay } from '../../src-shared/time/working-days.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { newCredential } from '../../src-shared/node/op-keys.js';
import type { Db } from '../db/open.js';
import { nameKey, phoneKey } from '../../src-shared/search/keys.js';
import { address, personName, phone } from './names.js';
import { Rng } from './random.js';

export interface ClinicSize {
  seed: number;
  /** Doctors per specialty are scaled from the 20-doctor demo clinic. */
  doctors: number;
  patients: number;
  /** Days of past visits to generate (no-show history, register of requests). */
  historyDays: number;
}

export const DEMO_CLINIC: ClinicSize = { seed: 27, doctors: 20, patients: 5000, historyDays: 45 };
export const LARGE_CLINIC: ClinicSize = { seed: 150, doctors: 150, patients: 70_000, historyDays: 365 };

export const DEMO_ORG_ID = 'org-bishkek-lenin';
export const DEMO_PASSWORD = 'kezek';

const SPECIALTIES: Array<{ id: string; kind: SpecialtyKind; ru: string; ky: string; kk: string; share: number; ages?: SpecialtyAges }> = [
  { id: 'family', kind: 'family', ru: 'Семейный врач', ky: 'Үй-бүлөлүк дарыгер', kk: 'Отбасылық дәрігер', share: 6 },
  { id: 'pediatrics', kind: 'family', ru: 'Педиатр', ky: 'Педиатр', kk: 'Педиатр', share: 3, ages: 'children' },
  { id: 'therapy', kind: 'family', ru: 'Терапевт', ky: 'Терапевт', kk: 'Терапевт', share: 2, ages: 'adults' },
  { id: 'cardiology', kind: 'narrow', ru: 'Кардиолог', ky: 'Кардиолог', kk: 'Кардиолог', share: 1 },
  { id: 'neurology', kind: 'narrow', ru: 'Невролог', ky: 'Невролог', kk: 'Невролог', share: 1 },
  { id: 'endocrinology', kind: 'narrow', ru: 'Эндокринолог', ky: 'Эндокринолог', kk: 'Эндокринолог', share: 1 },
  { id: 'ophthalmology', kind: 'narrow', ru: 'Офтальмолог', ky: 'Көз доктуру (офтальмолог)', kk: 'Көз дәрігері (офтальмолог)', share: 1 },
  { id: 'ent', kind: 'narrow', ru: 'Оториноларинголог (ЛОР)', ky: 'Кулак-мурун-тамак доктуру (ЛОР)', kk: 'Құлақ-мұрын-тамақ дәрігері (ЛОР)', share: 1 },
  { id: 'surgery', kind: 'narrow', ru: 'Хирург', ky: 'Хирург', kk: 'Хирург', share: 1 },
  { id: 'gynecology', kind: 'narrow', ru: 'Акушер-гинеколог', ky: 'Акушер-гинеколог', kk: 'Акушер-гинеколог', share: 1 },
  { id: 'dermatology', kind: 'narrow', ru: 'Дерматовенеролог', ky: 'Дерматовенеролог', kk: 'Дерматовенеролог', share: 1 },
  { id: 'preventive', kind: 'preventive', ru: 'Кабинет профилактики', ky: 'Профилактика кабинети', kk: 'Профилактика кабинеті', share: 1 },
];

const iv = (from: string, to: string, channel: TemplateInterval['channel']): TemplateInterval => ({ from, to, channel });
/** Family doctors: 20-minute slots, an internet window (14 % of time, under R7's 30 %), a priority window (R13), repeat-visit slots. */
const FAMILY_DAY = [
  iv('08:00', '10:00', 'registry'),
  iv('10:00', '11:00', 'internet'),
  iv('11:00', '11:20', 'priority'),
  iv('11:20', '12:00', 'registry'),
  iv('13:00', '15:20', 'registry'),
  iv('15:20', '16:00', 'doctor'),
];
const NARROW_DAY = [iv('09:00', '12:00', 'registry'), iv('13:00', '14:00', 'internet'), iv('14:00', '15:00', 'doctor')];
const week = (day: TemplateInterval[]) => ({ '1': day, '2': day, '3': day, '4': day, '5': day });

/** Writes region, organization, departments, doctors, schedules, users and patients. The caller wraps it in nothing: it runs its own transactions. */
export async function seedClinic(db: Db, size: ClinicSize, today: string): Promise<void> {
  const rng = new Rng(size.seed);
  const s = db.sqlite;
  const profile = PROFILES.KG;
  const tz = profile.defaultTimezone;
  const ins = (sql: string) => s.prepare(sql);

  const creds = await Promise.all(['registrar', 'head', 'doctor', 'admin'].map(() => newCredential(DEMO_PASSWORD)));

  s.transaction(() => {
    ins('INSERT INTO regions (id, name) VALUES (?, ?)').run('kg-bishkek', 'г. Бишкек');
    ins('INSERT INTO organizations (id, region_id, name, address, phone, profile_id, timezone) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      DEMO_ORG_ID,
      'kg-bishkek',
      'ОЦСМ Ленинского района г. Бишкек',
      'Фучика, 15',
      '+996 312 54 12 27',
      'KG',
      tz,
    );
    const spec = ins('INSERT INTO specialties (id, kind, name_ru, name_ky, name_kk, patient_ages) VALUES (?, ?, ?, ?, ?, ?)');
    for (const x of SPECIALTIES) spec.run(x.id, x.kind, x.ru, x.ky, x.kk, x.ages ?? 'all');

    // Doctors per specialty in proportion to the demo clinic's 20.
    const totalShare = SPECIALTIES.reduce((a, x) => a + x.share, 0);
    const perSpecialty = SPECIALTIES.map((x) => ({ ...x, n: Math.max(1, Math.floor((x.share * size.doctors) / totalShare)) }));
    // What rounding left over goes to family medicine, so the clinic has exactly `size.doctors`.
    perSpecialty[0]!.n += Math.max(0, size.doctors - perSpecialty.reduce((a, x) => a + x.n, 0));
    const familyDoctors = perSpecialty.filter((x) => x.kind === 'family').reduce((a, x) => a + x.n, 0);
    const groups = Math.max(1, Math.ceil(familyDoctors / 4));
    const dep = ins('INSERT INTO departments (id, org_id, name, is_family_group) VALUES (?, ?, ?, ?)');
    for (let g = 0; g < groups; g++) dep.run(`gsv-${27 + g}`, DEMO_ORG_ID, `ГСВ №${27 + g}`, 1);
    dep.run('dep-specialists', DEMO_ORG_ID, 'Отделение узких специалистов', 0);

    const cab = ins('INSERT INTO cabinets (id, org_id, number, floor) VALUES (?, ?, ?, ?)');
    const doc = ins('INSERT INTO doctors (id, org_id, department_id, specialty_id, cabinet_id, full_name, active) VALUES (?, ?, ?, ?, ?, ?, 1)');
    const tpl = ins('INSERT INTO schedule_templates (id, org_id, doctor_id, valid_from, valid_to, slot_minutes, week_json) VALUES (?, ?, ?, ?, NULL, ?, ?)');
    let n = 0;
    let familyIndex = 0;
    for (const x of perSpecialty) {
      for (let i = 0; i < x.n; i++) {
        n++;
        const id = `doc-${String(n).padStart(3, '0')}`;
        const floor = 1 + (n % 3);
        cab.run(`cab-${n}`, DEMO_ORG_ID, `${floor}${String(n).padStart(2, '0')}`, floor);
        const department = x.kind === 'family' ? `gsv-${27 + (familyIndex++ % groups)}` : 'dep-specialists';
        doc.run(id, DEMO_ORG_ID, department, x.id, `cab-${n}`, personName(rng, rng.chance(0.7) ? 'female' : 'male'));
        const t: Omit<ScheduleTemplate, 'id' | 'doctorId'> =
          x.kind === 'narrow'
            ? { validFrom: '2019-09-01', validTo: null, slotMinutes: 30, week: week(NARROW_DAY) }
            : { validFrom: '2019-09-01', validTo: null, slotMinutes: 20, week: week(FAMILY_DAY) };
        tpl.run(`tpl-${id}`, DEMO_ORG_ID, id, t.validFrom, t.slotMinutes, JSON.stringify(t.week));
      }
    }
    // One family doctor on vacation next week and one with shorter hours, so the grid shows exceptions.
    ins("INSERT INTO schedule_exceptions (id, org_id, doctor_id, kind, from_date, to_date, intervals_json, note) VALUES ('exc-vac', ?, 'doc-002', 'vacation', ?, ?, NULL, 'Отпуск')").run(
      DEMO_ORG_ID,
      addDays(today, 7),
      addDays(today, 11),
    );
    ins(
      "INSERT INTO schedule_exceptions (id, org_id, doctor_id, kind, from_date, to_date, intervals_json, note) VALUES ('exc-hours', ?, 'doc-003', 'changed_hours', ?, ?, ?, 'Учёба после обеда')",
    ).run(DEMO_ORG_ID, addDays(today, 2), addDays(today, 2), JSON.stringify([iv('08:00', '12:00', 'registry')]));

    const user = ins('INSERT INTO users (id, username, full_name, role, doctor_id, password_hash, public_key) VALUES (?, ?, ?, ?, ?, ?, ?)');
    user.run('user-registrar', 'registrar', 'Регистратор Айгүл Асановна', 'registrar', null, creds[0]!.passwordHash, creds[0]!.publicKey);
    user.run('user-head', 'head', 'Заведующая регистратурой Гүлнара Бакытовна', 'head', null, creds[1]!.passwordHash, creds[1]!.publicKey);
    // The doctor's account carries the doctor's own name (the status bar shows it), never an id.
    const docName = (s.prepare("SELECT full_name AS n FROM doctors WHERE id = 'doc-001'").get() as { n: string }).n;
    user.run('user-doctor', 'doctor', docName, 'doctor', 'doc-001', creds[2]!.passwordHash, creds[2]!.publicKey);
    user.run('user-admin', 'admin', 'Администратор', 'admin', null, creds[3]!.passwordHash, creds[3]!.publicKey);
  })();

  const familyDocs = s.prepare("SELECT id, department_id AS dep FROM doctors WHERE department_id LIKE 'gsv-%' AND specialty_id = 'family'").all() as Array<{ id: string; dep: string }>;
  const narrow = SPECIALTIES.filter((x) => x.kind === 'narrow').map((x) => x.id);
  const pat = s.prepare(`INSERT INTO patients (id, org_id, national_id, national_id_kind, full_name, name_key, birth_date, sex, address, phone, phone_key,
    attached_org_id, attached_department_id, attached_doctor_id, attached_since, priority) VALUES (?, ?, ?, 'KG_PIN', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const disp = s.prepare('INSERT INTO dispensary (patient_id, specialty_id, since) VALUES (?, ?, ?)');
  const ref = s.prepare(`INSERT INTO referrals (id, org_id, patient_id, specialty_id, issued_by_doctor_id, issued_at, valid_until, used_by_appointment_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`);
  const pins = new Set<string>();
  s.transaction(() => {
    for (let i = 1; i <= size.patients; i++) {
      const id = `pat-${String(i).padStart(6, '0')}`;
      const sex: Sex = rng.chance(0.52) ? 'female' : 'male';
      const birth = `${rng.int(1940, 2025)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
      let pin = makeKgPin(sex === 'female' ? '1' : '2', birth, rng.int(0, 99_999));
      while (pins.has(pin)) pin = makeKgPin(sex === 'female' ? '1' : '2', birth, rng.int(0, 99_999));
      pins.add(pin);
      const name = personName(rng, sex);
      const tel = phone(rng);
      // ~4 % are not attached to this clinic (attached elsewhere or nowhere): R2 refusals.
      const attached = !rng.chance(0.04);
      const fam = rng.pick(familyDocs);
      pat.run(
        id,
        DEMO_ORG_ID,
        pin,
        name,
        nameKey(name),
        birth,
        sex,
        address(rng),
        tel,
        phoneKey(tel),
        attached ? DEMO_ORG_ID : rng.chance(0.5) ? 'org-other' : null,
        attached ? fam.dep : null,
        attached ? fam.id : null,
        attached ? '2019-09-01' : null,
        rng.chance(0.03) ? 1 : 0,
      );
      if (attached && rng.chance(0.08)) disp.run(id, rng.pick(narrow), '2024-01-15');
      if (attached && rng.chance(0.06)) ref.run(`ref-${i}`, DEMO_ORG_ID, id, rng.pick(narrow), fam.id, wallToUtc(addDays(today, -3), '10:00', tz), addDays(today, 30));
    }
  })();
  seedHistory(db, rng, size, today);
}

/** Past visits: mostly fulfilled, some no-shows and cancellations, and a few patients with three no-shows in a row (R10). */
function seedHistory(db: Db, rng: Rng, size: ClinicSize, today: string): void {
  if (size.historyDays <= 0) return;
  const s = db.sqlite;
  const profile = PROFILES.KG;
  const tz = profile.defaultTimezone;
  const dates = datesBetween(addDays(today, -size.historyDays), addDays(today, -1)).filter((d) => isWorkingDay(profile, d));
  const doctors = s
    .prepare(`SELECT d.id, d.specialty_id AS specialtyId, t.slot_minutes AS slotMinutes, t.week_json AS week, t.valid_from AS validFrom
    FROM doctors d JOIN schedule_templates t ON t.doctor_id = d.id`)
    .all() as Array<{ id: string; specialtyId: string; slotMinutes: number; week: string; validFrom: string }>;
  const patientCount = (s.prepare('SELECT count(*) AS n FROM patients WHERE attached_org_id = ?').get(DEMO_ORG_ID) as { n: number }).n;
  const attachedIds = (s.prepare('SELECT id FROM patients WHERE attached_org_id = ?').all(DEMO_ORG_ID) as Array<{ id: string }>).map((r) => r.id);
  const ins = s.prepare(`INSERT INTO appointments (id, org_id, patient_id, slot_id, doctor_id, specialty_id, date, time, start_utc, status, channel,
    referral_id, replaces_id, ticket_code, queue_number, live_queue, created_at, created_by, device_id, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, 'user-registrar', 'seed', ?)`);
  // The register of requests (R15) has each of these bookings, its cancellation, and now and then a refusal: the head's reports read it.
  const reg = s.prepare(`INSERT INTO register_entries (id, org_id, at, patient_id, applicant, specialty_id, doctor_id, channel, result, reason, rule, appointment_id, appointed_at, user_id, device_id)
    VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, NULL, ?, ?, 'user-registrar', 'seed')`);
  const reasons = profile.refusalReasons;
  // Its own random stream: the bookings themselves stay exactly as before (tests and benchmarks rely on them).
  const extra = new Rng(size.seed + 1);
  let n = 0;
  const add = (patientId: string, slot: { id: string; doctorId: string; specialtyId: string; date: string; time: string; startUtc: number }, status: string, queue: number) => {
    n++;
    const channel = rng.chance(0.25) ? 'internet' : 'registry';
    const bookedAt = slot.startUtc - 86_400_000;
    reg.run(`hist-reg-${n}`, DEMO_ORG_ID, bookedAt, patientId, slot.specialtyId, slot.doctorId, channel, 'booked', null, `hist-${n}`, slot.startUtc);
    if (status === 'cancelled') reg.run(`hist-cxl-${n}`, DEMO_ORG_ID, bookedAt + 3_600_000, patientId, slot.specialtyId, slot.doctorId, channel, 'cancelled', null, `hist-${n}`, slot.startUtc);
    if (extra.chance(0.03)) reg.run(`hist-ref-${n}`, DEMO_ORG_ID, bookedAt + 60_000, null, slot.specialtyId, null, 'registry', 'refused', extra.pick(reasons), null, null);
    ins.run(
      `hist-${n}`,
      DEMO_ORG_ID,
      patientId,
      slot.id,
      slot.doctorId,
      slot.specialtyId,
      slot.date,
      slot.time,
      slot.startUtc,
      status,
      channel,
      `H${String(n).padStart(7, '0')}`,
      queue,
      // R12: now and then a patient came more than 15 minutes late and was seen in the live queue.
      status === 'fulfilled' && extra.chance(0.05) ? 1 : 0,
      slot.startUtc - 86_400_000,
      slot.startUtc,
    );
  };
  s.transaction(() => {
    for (const d of doctors) {
      const slots = generateDoctorSlots({
        template: { id: 't', doctorId: d.id, validFrom: d.validFrom, validTo: null, slotMinutes: d.slotMinutes, week: JSON.parse(d.week) },
        exceptions: [],
        specialtyId: d.specialtyId,
        dates,
        profile,
        timezone: tz,
      });
      let queue = 0;
      let lastDate = '';
      for (const slot of slots) {
        queue = slot.date === lastDate ? queue + 1 : 1;
        lastDate = slot.date;
        if (!rng.chance(0.7)) continue;
        const r = rng.next();
        add(attachedIds[rng.int(0, patientCount - 1)]!, slot, r < 0.85 ? 'fulfilled' : r < 0.93 ? 'noshow' : 'cancelled', queue);
      }
    }
    // R10 demo: every 200th attached patient missed the last three visits this month.
    const recent = datesBetween(addDays(today, -25), addDays(today, -1))
      .filter((d) => isWorkingDay(profile, d))
      .slice(-9);
    for (let i = 0; i < attachedIds.length; i += 200) {
      for (let k = 0; k < 3; k++) {
        const date = recent[k * 3]!;
        const time = `0${7 + k}:50`.slice(-5);
        add(attachedIds[i]!, { id: `noshow-${i}-${k}`, doctorId: 'doc-001', specialtyId: 'family', date, time, startUtc: wallToUtc(date, time, tz) }, 'noshow', 1);
      }
    }
  })();
}
