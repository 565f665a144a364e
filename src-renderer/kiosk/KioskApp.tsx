import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { NationalIdKind } from '../../src-shared/domain/enums.js';
import type { KioskPatient, KioskTime } from '../../src-shared/kiosk/views.js';
import type { Ticket } from '../../src-shared/domain/appointment.js';
import { TicketView } from '../components/TicketView.js';
import { LangSwitch } from '../components/LangSwitch.js';
import { specialtyLabel, useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';
import { useScanner } from '../lib/scanner.js';
import { Keypad } from './Keypad.js';
import './kiosk.css';

/** After this long without a touch the kiosk forgets the patient (issue 21): the next person never sees them. */
export const IDLE_MS = 60_000;
const ID_DIGITS: Record<NationalIdKind, number> = { KG_PIN: 14, KZ_IIN: 12, RU_OMS: 16, RU_SNILS: 11 };
/** Anything a scanner types that could be an ID card's, a policy's or a ticket's barcode. */
const anyCode = (text: string) => text.trim().length >= 6;

type Step =
  | { kind: 'start' }
  | { kind: 'keypad' }
  | { kind: 'patient'; patient: KioskPatient; said?: string }
  | { kind: 'specialty'; patient: KioskPatient }
  | { kind: 'times'; patient: KioskPatient; specialtyId: string }
  | { kind: 'booked'; patient: KioskPatient; ticket: Ticket; printed: boolean };

/**
 * The hall's kiosk (issue 21 part 1): touch first, in ru, ky and kk. The patient identifies (scanner or keypad), then
 * checks in, reprints, or books the earliest times the kiosk may give. Sixty seconds without a touch and it starts
 * over with nothing of the patient left on screen or in memory.
 */
export function KioskApp({ onAdmin }: { onAdmin: () => void }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const [step, setStep] = useState<Step>({ kind: 'start' });
  const [error, setError] = useState<string | null>(null);
  const [helpSaid, setHelpSaid] = useState<string | null>(null);
  const [idleLeft, setIdleLeft] = useState(IDLE_MS);
  const lastTouch = useRef(Date.now());
  const hold = useRef<ReturnType<typeof setTimeout>>(undefined);
  const directory = useQuery({ queryKey: ['directory'], queryFn: () => call('directory.get', {}), staleTime: Infinity });

  const wipe = () => {
    setStep({ kind: 'start' });
    setError(null);
    setHelpSaid(null);
    // Every answer about the patient goes with them (the actions' last answers too); the kiosk's own session, the
    // directory and the app's set-up state stay (removing those made the whole screen start again on its next render).
    qc.getMutationCache().clear();
    qc.removeQueries({ predicate: (q) => q.queryKey[0] === 'kiosk' && q.queryKey[1] !== 'start' });
  };
  // Any touch, key or scan keeps the patient; a minute without one wipes.
  useEffect(() => {
    const touched = () => {
      lastTouch.current = Date.now();
    };
    const tick = setInterval(() => {
      const left = IDLE_MS - (Date.now() - lastTouch.current);
      setIdleLeft(left);
      if (left <= 0) {
        lastTouch.current = Date.now();
        wipe();
      }
    }, 1000);
    for (const e of ['pointerdown', 'keydown']) window.addEventListener(e, touched, true);
    return () => {
      clearInterval(tick);
      for (const e of ['pointerdown', 'keydown']) window.removeEventListener(e, touched, true);
    };
  });

  const fail = (e: unknown) => setError(e instanceof RpcError ? e.message : String(e));
  const identify = useMutation({
    mutationFn: (code: string) => call('kiosk.identify', { code }),
    onSuccess: (patient) => {
      setError(null);
      setStep({ kind: 'patient', patient });
    },
    onError: fail,
  });
  useScanner((text) => {
    if (step.kind === 'start' || step.kind === 'keypad') identify.mutate(text);
  }, anyCode);
  const checkIn = useMutation({
    mutationFn: (i: { patient: KioskPatient; appointmentId: string }) => call('kiosk.checkIn', { patientId: i.patient.patientId, appointmentId: i.appointmentId }),
    onSuccess: (r, i) => {
      setError(null);
      const b = i.patient.bookings.map((x) => (x.appointmentId === i.appointmentId ? { ...x, status: 'arrived' as const, canCheckIn: false } : x));
      const said = r.liveQueue ? t('kiosk.liveQueue', { number: r.queueNumber, cabinet: r.cabinet }) : t('kiosk.checkedIn', { number: r.queueNumber, cabinet: r.cabinet, floor: r.floor });
      setStep({ kind: 'patient', patient: { ...i.patient, bookings: b }, said });
    },
    onError: fail,
  });
  const reprint = useMutation({
    mutationFn: (i: { patient: KioskPatient; appointmentId: string }) => call('kiosk.print', { patientId: i.patient.patientId, appointmentId: i.appointmentId }),
    onSuccess: (_r, i) => setStep({ kind: 'patient', patient: i.patient, said: t('kiosk.printing') }),
    onError: fail,
  });
  // "Call the registrar" (003 L118): from any screen, for the patient in front of it if known.
  const help = useMutation({
    mutationFn: () => call('kiosk.help', { patientId: 'patient' in step ? step.patient.patientId : null }),
    onSuccess: (r) => {
      setError(null);
      setHelpSaid(r.sent ? t('kiosk.helpSent') : t('kiosk.helpNotSent'));
    },
    onError: fail,
  });
  const book = useMutation({
    mutationFn: (i: { patient: KioskPatient; slotId: string }) => call('kiosk.book', { patientId: i.patient.patientId, slotId: i.slotId }),
    onSuccess: (r, i) => {
      setError(null);
      setStep({ kind: 'booked', patient: i.patient, ticket: r.ticket, printed: r.printed });
    },
    onError: fail,
  });

  const dir = directory.data;
  if (!dir) return null;
  const idKind = dir.profile.nationalIdKinds[0] ?? 'KG_PIN';
  const fmtDate = (d: string) => d.split('-').reverse().join('.');
  const spec = (id: string) => specialtyLabel(dir, id, lang, id);

  return (
    <div className="kiosk" data-testid="kiosk" lang={lang}>
      <header className="kiosk-head">
        {/* The administrator's way out: hold the clinic's name for three seconds. */}
        <span className="kiosk-org" onPointerDown={() => (hold.current = setTimeout(onAdmin, 3000))} onPointerUp={() => clearTimeout(hold.current)} data-testid="kiosk-admin">
          {dir.organization.name}
        </span>
        <LangSwitch />
      </header>
      {helpSaid && (
        <p className="kiosk-said kiosk-help-said" role="status" data-testid="kiosk-help-said">
          {helpSaid}
        </p>
      )}
      {error && (
        <p className="kiosk-error" role="alert" data-testid="kiosk-error">
          {error}
        </p>
      )}
      <main className="kiosk-main">
        {step.kind === 'start' && (
          <section className="kiosk-start">
            <h1>{t('kiosk.title')}</h1>
            <p className="kiosk-scan">{t('kiosk.scan')}</p>
            <button type="button" className="kiosk-big" onClick={() => setStep({ kind: 'keypad' })} data-testid="kiosk-type-id">
              {t('kiosk.typeId', { kind: t(`idKind.${idKind}`) })}
            </button>
          </section>
        )}
        {step.kind === 'keypad' && (
          <Keypad title={t('kiosk.keypadTitle', { kind: t(`idKind.${idKind}`), digits: ID_DIGITS[idKind] })} digits={ID_DIGITS[idKind]} onDone={(v) => identify.mutate(v)} onBack={wipe} />
        )}
        {step.kind === 'patient' && (
          <section className="kiosk-patient" data-testid="kiosk-patient">
            <h1>{t('kiosk.hello', { name: step.patient.name })}</h1>
            {step.said && (
              <p className="kiosk-said" role="status" data-testid="kiosk-said">
                {step.said}
              </p>
            )}
            <h2>{t('kiosk.yourBookings')}</h2>
            {step.patient.bookings.length === 0 && <p className="kiosk-muted">{t('kiosk.noBookings')}</p>}
            {step.patient.bookings.map((b) => (
              <div className="kiosk-booking" key={b.appointmentId} data-testid="kiosk-booking">
                <div>
                  <strong>
                    {fmtDate(b.date)} {b.time}
                  </strong>{' '}
                  · {spec(b.specialtyId)} · {b.doctorName}
                  <div className="kiosk-muted">
                    {t('kiosk.cabinet')} {b.cabinet} · {t('kiosk.queue')} {b.queueNumber}
                  </div>
                </div>
                <div className="kiosk-actions">
                  {b.canCheckIn && (
                    <button type="button" className="kiosk-primary" onClick={() => checkIn.mutate({ patient: step.patient, appointmentId: b.appointmentId })} data-testid="kiosk-check-in">
                      {t('kiosk.checkIn')}
                    </button>
                  )}
                  <button type="button" onClick={() => reprint.mutate({ patient: step.patient, appointmentId: b.appointmentId })} data-testid="kiosk-reprint">
                    {t('kiosk.reprint')}
                  </button>
                </div>
              </div>
            ))}
            {step.patient.blockedUntil ? (
              <p className="kiosk-warn" data-testid="kiosk-blocked">
                {t('kiosk.blocked', { until: fmtDate(step.patient.blockedUntil) })}
              </p>
            ) : !step.patient.attached ? (
              <p className="kiosk-warn">{t('kiosk.notAttached')}</p>
            ) : (
              <button type="button" className="kiosk-big" onClick={() => setStep({ kind: 'specialty', patient: step.patient })} data-testid="kiosk-book">
                {t('kiosk.book')}
              </button>
            )}
          </section>
        )}
        {step.kind === 'specialty' && <Specialties patient={step.patient} spec={spec} onPick={(specialtyId) => setStep({ kind: 'times', patient: step.patient, specialtyId })} />}
        {step.kind === 'times' && (
          <Times patient={step.patient} specialtyId={step.specialtyId} fmtDate={fmtDate} onPick={(time) => book.mutate({ patient: step.patient, slotId: time.slotId })} busy={book.isPending} />
        )}
        {step.kind === 'booked' && (
          <section className="kiosk-booked" data-testid="kiosk-booked">
            <h1>{t('kiosk.booked')}</h1>
            <p className={step.printed ? 'kiosk-said' : 'kiosk-warn'}>{step.printed ? t('kiosk.printing') : t('kiosk.notPrinted')}</p>
            <TicketView ticket={step.ticket} timezone={dir.organization.timezone} />
          </section>
        )}
      </main>
      <footer className="kiosk-foot">
        {step.kind !== 'start' && (
          <button type="button" className="kiosk-big" onClick={wipe} data-testid="kiosk-finish">
            {t('kiosk.finish')}
          </button>
        )}
        <button type="button" className="kiosk-help" onClick={() => help.mutate()} disabled={help.isPending} data-testid="kiosk-help">
          {t('kiosk.help')}
        </button>
        {step.kind !== 'start' && <>{idleLeft < 20_000 && <span className="kiosk-muted">{t('kiosk.idle', { seconds: Math.max(0, Math.ceil(idleLeft / 1000)) })}</span>}</>}
      </footer>
    </div>
  );
}

function Specialties({ patient, spec, onPick }: { patient: KioskPatient; spec: (id: string) => string; onPick: (id: string) => void }) {
  const { t } = useI18n();
  const list = useQuery({ queryKey: ['kiosk', 'specialties', patient.patientId], queryFn: () => call('kiosk.specialties', { patientId: patient.patientId }) });
  return (
    <section className="kiosk-grid-wrap">
      <h1>{t('kiosk.chooseSpecialty')}</h1>
      <div className="kiosk-grid">
        {(list.data ?? []).map((s) => (
          // No time free: still open — the next screen puts the patient on the waiting list.
          <button type="button" key={s.specialtyId} disabled={s.referralMissing} onClick={() => onPick(s.specialtyId)} data-testid="kiosk-specialty">
            {spec(s.specialtyId)}
            {(s.free === 0 || s.referralMissing) && <small>{s.referralMissing ? t('kiosk.needsReferral') : t('kiosk.noFree')}</small>}
          </button>
        ))}
      </div>
    </section>
  );
}

function Times({ patient, specialtyId, fmtDate, onPick, busy }: { patient: KioskPatient; specialtyId: string; fmtDate: (d: string) => string; onPick: (t: KioskTime) => void; busy: boolean }) {
  const { t } = useI18n();
  const times = useQuery({ queryKey: ['kiosk', 'times', patient.patientId, specialtyId], queryFn: () => call('kiosk.times', { patientId: patient.patientId, specialtyId }) });
  // No time free (issue 21): the waiting list, any doctor of the specialty, up to the horizon.
  const wait = useMutation({ mutationFn: () => call('kiosk.wait', { patientId: patient.patientId, specialtyId }) });
  return (
    <section className="kiosk-grid-wrap">
      <h1>{t('kiosk.chooseTime')}</h1>
      <div className="kiosk-times">
        {(times.data ?? []).map((x) => (
          <button type="button" key={x.slotId} disabled={busy} onClick={() => onPick(x)} data-testid="kiosk-time">
            <strong>
              {fmtDate(x.date)} {x.time}
            </strong>
            <small>
              {x.doctorName} · {t('kiosk.cabinet')} {x.cabinet}
            </small>
          </button>
        ))}
        {times.data?.length === 0 && <p className="kiosk-muted">{t('kiosk.noFree')}</p>}
        {times.data?.length === 0 &&
          (wait.data ? (
            <p className="kiosk-muted" data-testid="kiosk-waiting">
              {t('waiting.kioskJoined', { date: fmtDate(wait.data.until) })}
            </p>
          ) : (
            <button type="button" className="kiosk-primary" disabled={wait.isPending} onClick={() => wait.mutate()} data-testid="kiosk-wait">
              {t('waiting.kioskJoin')}
            </button>
          ))}
        {wait.error && <p className="kiosk-error">{wait.error instanceof RpcError ? wait.error.message : String(wait.error)}</p>}
      </div>
    </section>
  );
}
