import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { RequestChannel, Role } from '../../src-shared/domain/enums.js';
import { UNDO_CANCEL_MINUTES } from '../../src-shared/rules/transitions.js';
import type { AppointmentView, BookResult, DaySlot, DirectoryView } from '../../src-shared/rpc/views.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { BookingConfirm, type BookingExtras } from '../components/BookingConfirm.js';
import { DeskTask, type SideTask } from '../components/DeskTask.js';
import { DaySlotPicker } from '../components/DaySlotPicker.js';
import { DoctorDayGrid, type Cell } from '../components/DoctorDayGrid.js';
import { PatientCardView } from '../components/PatientCardView.js';
import { PatientSearch } from '../components/PatientSearch.js';
import { SpecialtyPicker } from '../components/SpecialtyPicker.js';
import { TicketView } from '../components/TicketView.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';
import { useNotify } from '../lib/notice.js';
import { useCheckInByScan } from '../lib/scan-check-in.js';
import { invalidate, qk } from '../lib/query-keys.js';

/**
 * The registrar's booking flow, keyboard-first:
 * ID + Enter → specialty (Enter) → doctor-day (Enter) → time (Enter) → confirm (Enter) → ticket. Esc steps back.
 */
export function DeskScreen({ directory, role, ownDoctorId, active }: { directory: DirectoryView; role: Role; ownDoctorId: string | null; active: boolean }) {
  const { t } = useI18n();
  // R21: a doctor books their repeat visits; at the front desk the registrar says how the patient asked — in person or by phone (F6).
  const [deskChannel, setDeskChannel] = useState<'registry' | 'phone'>('registry');
  const channel: RequestChannel = role === 'doctor' ? 'doctor' : deskChannel;
  // R5: a preventive examination needs no referral (F7).
  const [preventive, setPreventive] = useState(false);
  // Back from another screen (F2, F3…), the keyboard returns to where it was.
  const root = useRef<HTMLDivElement>(null);
  const lastFocus = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const el = root.current;
    const remember = (e: FocusEvent) => {
      lastFocus.current = e.target as HTMLElement;
    };
    el?.addEventListener('focusin', remember);
    return () => el?.removeEventListener('focusin', remember);
  }, []);
  useEffect(() => {
    if (active) lastFocus.current?.focus();
  }, [active]);
  const qc = useQueryClient();
  const notify = useNotify();
  const scanCheckIn = useCheckInByScan();
  const [searchFocus, setSearchFocus] = useState(0);
  // Every pick of a patient (the same one again too), and Esc back to the list, hands the keyboard to the specialty list —
  // once: the list shown again after F6/F7 (its counts reloaded) must not take the keyboard from the search being typed in.
  const [specialtyFocus, setSpecialtyFocus] = useState(false);
  const [patientId, setPatientId] = useState<string | null>(null);
  const [specialtyId, setSpecialtyId] = useState<string | null>(null);
  const [cell, setCell] = useState<Cell | null>(null);
  const [slot, setSlot] = useState<DaySlot | null>(null);
  const [moving, setMoving] = useState<AppointmentView | null>(null);
  const [booked, setBooked] = useState<BookResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A cancellation asks first, and can be taken back for a few minutes (Ctrl+Z or the banner's button).
  const [cancelling, setCancelling] = useState<AppointmentView | null>(null);
  const [undoable, setUndoable] = useState<AppointmentView | null>(null);
  // One side task at a time beside booking (F8 refusal, F9 emergency, F10 new patient, F11 home visit, the doctor's referral).
  const [task, setTask] = useState<SideTask | null>(null);

  // Free slots change with every booking on this desk (and, later, on others): never show a
  // cached grid or day, always the replica's current state — it answers in a few milliseconds.
  const fresh = { staleTime: 0, gcTime: 0 } as const;
  const card = useQuery({ queryKey: qk.patient(patientId), queryFn: () => call('patients.get', { patientId: patientId! }), enabled: patientId !== null });
  const counts = useQuery({
    queryKey: qk.slotCounts(patientId, channel, preventive),
    queryFn: () => call('slots.search', { patientId: patientId ?? undefined, channel, preventive }),
    enabled: patientId !== null,
    ...fresh,
  });
  const search = useQuery({
    queryKey: qk.slots(specialtyId, patientId, channel),
    queryFn: () => call('slots.search', { specialtyId: specialtyId!, patientId: patientId ?? undefined, channel }),
    enabled: specialtyId !== null,
    ...fresh,
  });
  const day = useQuery({
    queryKey: qk.day(cell?.doctorId, cell?.date, patientId, channel),
    queryFn: () => call('slots.day', { doctorId: cell!.doctorId, date: cell!.date, patientId: patientId ?? undefined, channel }),
    enabled: cell !== null,
    ...fresh,
  });

  const refresh = () => {
    invalidate(qc, ['bookings', 'patients', 'register', 'sync']);
  };
  const showError = (e: unknown) => setError(e instanceof RpcError ? e.message : String(e));

  const printer = useQuery({ queryKey: qk.printerSettings(), queryFn: () => call('printer.getSettings', {}) });
  const print = useMutation({
    mutationFn: (appointmentId: string) => call('tickets.print', { appointmentId }),
    onSuccess: () => {
      notify(t('ui.sentToPrinter'));
      invalidate(qc, ['printer']);
    },
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  const book = useMutation({
    mutationFn: ({ slot: s, extras }: { slot: DaySlot; extras: BookingExtras }) =>
      moving ? call('appointments.move', { appointmentId: moving.id, slotId: s.slotId }) : call('appointments.book', { patientId: patientId!, slotId: s.slotId, channel, preventive, ...extras }),
    onSuccess: (r) => {
      if (r.appointment.syncState === 'conflict') {
        // Sent online and another desk got there first: nothing to print; the patient is still here, choose again.
        // The lost booking stays on record with its call task (the card shows it), like any conflict.
        setSlot(null);
        setMoving(null);
        setError(t('ui.bookConflictNow'));
        refresh();
        return;
      }
      setBooked(r);
      setSlot(null);
      setCell(null);
      setMoving(null);
      setError(null);
      refresh();
      // The booking is saved; the ticket prints in the background and never holds the desk up.
      if (printer.data?.autoPrint && printer.data.transport.kind !== 'none') print.mutate(r.appointment.id);
    },
    onError: (e) => {
      setSlot(null);
      showError(e);
      refresh();
    },
  });
  const act = useMutation({
    mutationFn: ({ kind, a }: { kind: 'cancel' | 'checkIn'; a: AppointmentView }) =>
      kind === 'cancel' ? call('appointments.cancel', { appointmentId: a.id, channel }) : call('appointments.checkIn', { appointmentId: a.id }),
    onSuccess: (a, { kind }) => {
      setError(null);
      if (kind === 'cancel') {
        setCancelling(null);
        setUndoable(a);
        // Its ticket is no longer valid: it leaves the screen with the booking.
        if (booked?.appointment.id === a.id) setBooked(null);
      }
      refresh();
    },
    onError: (e) => {
      setCancelling(null);
      showError(e);
    },
  });
  const undo = useMutation({
    mutationFn: (a: AppointmentView) => call('appointments.restore', { appointmentId: a.id }),
    onSuccess: (r) => {
      setUndoable(null);
      setError(null);
      notify(t('ui.cancelUndone'));
      setBooked(r);
      refresh();
    },
    onError: (e) => {
      setUndoable(null);
      showError(e);
      refresh();
    },
  });
  // The undo offer ends with its window (the server would refuse it after that anyway).
  useEffect(() => {
    if (!undoable) return;
    const timer = setTimeout(() => setUndoable(null), UNDO_CANCEL_MINUTES * 60_000);
    return () => clearTimeout(timer);
  }, [undoable]);

  const reset = () => {
    setPatientId(null);
    setSpecialtyId(null);
    setCell(null);
    setSlot(null);
    setBooked(null);
    setMoving(null);
    setError(null);
    setPreventive(false);
    setSearchFocus((n) => n + 1);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!active) return;
      if (e.key === 'F6' && role !== 'doctor') {
        e.preventDefault();
        setDeskChannel((c) => (c === 'registry' ? 'phone' : 'registry'));
        return;
      }
      if (e.key === 'F7') {
        e.preventDefault();
        setPreventive((p) => !p);
        return;
      }
      if (e.key === 'F11' && role !== 'doctor') {
        e.preventDefault();
        if (card.data) setTask({ kind: 'homeVisit' });
        return;
      }
      if (e.key === 'F10' && role !== 'doctor') {
        e.preventDefault();
        setTask({ kind: 'register', initialId: '' });
        return;
      }
      if ((e.key === 'F8' || e.key === 'F9') && role !== 'doctor') {
        e.preventDefault();
        if (e.key === 'F8' && card.data) setTask({ kind: 'refuse' });
        if (e.key === 'F9') setTask({ kind: 'emergency' });
        return;
      }
      if (undoable && e.ctrlKey && (e.key === 'z' || e.key === 'я' || e.code === 'KeyZ')) {
        e.preventDefault();
        undo.mutate(undoable);
        return;
      }
      if (e.key !== 'Escape' || cancelling || task) return;
      if (booked) reset();
      else if (cell) setCell(null);
      else if (specialtyId) {
        setSpecialtyId(null);
        setMoving(null);
        setSpecialtyFocus(true);
      } else reset();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const doctor = cell ? directory.doctors.find((d) => d.id === cell.doctorId) : undefined;

  return (
    <div className="desk" ref={root}>
      <aside className="left">
        <PatientSearch
          focusKey={searchFocus}
          onPick={(p) => {
            reset();
            setPatientId(p.id);
            setSpecialtyFocus(true);
          }}
          onScan={(code) => void scanCheckIn(code)}
          onMiss={() => {
            setPatientId(null);
            setSpecialtyId(null);
            setCell(null);
            setSlot(null);
            setMoving(null);
            setBooked(null);
          }}
          onRegister={role === 'doctor' ? undefined : (q) => setTask({ kind: 'register', initialId: /^[\d\s-]+$/.test(q) ? q.replace(/\D/g, '') : '' })}
        />
        {card.data && (
          <PatientCardView
            card={card.data}
            directory={directory}
            onCancel={setCancelling}
            onCheckIn={(a) => act.mutate({ kind: 'checkIn', a })}
            onSaveContacts={
              role === 'doctor'
                ? undefined
                : async (c) => {
                    await call('patients.update', { patientId: card.data!.patient.id, ...c });
                    refresh();
                  }
            }
            onMove={(a) => {
              setBooked(null);
              setMoving(a);
              setSpecialtyId(a.specialtyId);
              setCell(null);
            }}
          />
        )}
        {card.data && role === 'doctor' && (
          <div className="row card-actions">
            <button type="button" onClick={() => setTask({ kind: 'refer' })} data-testid="refer">
              {t('ui.refer')}
            </button>
          </div>
        )}
        {card.data && role !== 'doctor' && (
          <div className="row card-actions">
            <button type="button" onClick={() => setTask({ kind: 'homeVisit' })} data-testid="home-visit-open">
              {t('ui.homeVisitKey')}
            </button>
            <button type="button" onClick={() => setTask({ kind: 'refuse' })}>
              F8 · {t('ui.refuseWithReason')}
            </button>
          </div>
        )}
      </aside>
      <section className="right">
        <div className="row desk-modes" data-testid="desk-modes">
          {role !== 'doctor' && (
            <span className="chips" title="F6">
              <span className="key">F6</span>
              {(['registry', 'phone'] as const).map((c) => (
                <button key={c} type="button" className={deskChannel === c ? 'chip on' : 'chip'} aria-pressed={deskChannel === c} onClick={() => setDeskChannel(c)}>
                  {t(`ui.channel_${c}`)}
                </button>
              ))}
            </span>
          )}
          <label className="chips" title="F7">
            <span className="key">F7</span>
            <input type="checkbox" checked={preventive} onChange={(e) => setPreventive(e.target.checked)} data-testid="preventive" /> {t('ui.preventive')}
          </label>
        </div>
        {error && (
          <p className="error banner" role="alert" data-testid="desk-error">
            {error}
          </p>
        )}
        {undoable && (
          <p className="warn banner row" data-testid="undo-cancel">
            <span>
              {t('ui.cancelled')}: {undoable.patientName} — {fmtDate(undoable.date)} {undoable.time}, {undoable.doctorName}.
            </span>
            <button type="button" onClick={() => undo.mutate(undoable)} disabled={undo.isPending}>
              {t('ui.undoCancel')}
            </button>
          </p>
        )}
        {moving && (
          <p className="warn banner">
            {t('ui.movingHint')} — {fmtDate(moving.date)} {moving.time}, {moving.doctorName}
          </p>
        )}
        {booked ? (
          <div className="booked">
            <p className={`${booked.ticket.tentative ? 'warn' : 'ok'} banner`} data-testid="booked" data-mode={booked.appointment.mode}>
              ✔ {t('ui.booked')}: {booked.appointment.patientName} — {fmtDate(booked.ticket.date)} {booked.ticket.time}.
              {booked.appointment.mode === 'guaranteed' && booked.appointment.syncState === 'local' && <> {t('ui.bookedGuaranteed')}</>}
              {booked.ticket.tentative && <> {t('ui.bookedTentative')}</>} <span className="muted">{t('ui.newSearch')}</span>
            </p>
            <div className="print-area">
              <TicketView ticket={booked.ticket} timezone={directory.organization.timezone} />
            </div>
            <div className="row ticket-actions">
              {printer.data?.transport.kind !== 'none' && (
                <button type="button" onClick={() => print.mutate(booked.appointment.id)} data-testid="print-ticket">
                  {t('ui.print')}
                </button>
              )}
              <button type="button" onClick={() => window.print()}>
                {t('ui.printA4')}
              </button>
            </div>
          </div>
        ) : card.data && !card.data.attached && !moving ? (
          <div className="card unattached" data-testid="unattached">
            <p className="bad">✖ {t('ui.notAttachedCard')}</p>
            <div className="row">
              <button type="button" className="danger" onClick={() => setTask({ kind: 'refuse' })} data-testid="refuse">
                F8 · {t('ui.refuseWithReason')}
              </button>
              <button type="button" onClick={() => setTask({ kind: 'emergency' })} data-testid="emergency">
                F9 · {t('ui.emergency')}
              </button>
            </div>
          </div>
        ) : patientId && counts.data ? (
          <>
            <SpecialtyPicker
              directory={directory}
              free={counts.data.specialtyFree}
              selected={specialtyId}
              takeFocus={specialtyFocus && specialtyId === null && card.isSuccess}
              onFocusTaken={() => setSpecialtyFocus(false)}
              onPick={(id) => {
                setSpecialtyId(id);
                setCell(null);
                setError(null);
              }}
            />
            {specialtyId && search.data && (
              <DoctorDayGrid
                directory={directory}
                result={search.data}
                specialtyId={specialtyId}
                // A doctor books repeat visits with themselves by default (issue 23 finding 7).
                preferDoctorId={role === 'doctor' ? ownDoctorId : null}
                autoFocus={cell === null}
                onPick={setCell}
              />
            )}
            {/* No time that suits (issue 21): the waiting list — the server offers the first freed one that fits. */}
            {specialtyId && search.data && (
              <div className="row">
                <button type="button" onClick={() => setTask({ kind: 'waiting' })} data-testid="to-waiting-list">
                  {t('waiting.add')}
                </button>
              </div>
            )}
            {cell && day.data && <DaySlotPicker slots={day.data} title={`${doctor?.fullName ?? ''}, ${fmtDate(cell.date)}`} onPick={setSlot} />}
          </>
        ) : (
          <p className="muted pad">{t('ui.keysHint')}</p>
        )}
      </section>
      {cancelling && (
        <ConfirmDialog
          title={t('ui.cancelQuestion')}
          confirmLabel={t('ui.cancelBookingConfirm')}
          dismissLabel={t('ui.keepBooking')}
          danger
          busy={act.isPending}
          onConfirm={() => act.mutate({ kind: 'cancel', a: cancelling })}
          onCancel={() => setCancelling(null)}
        >
          <dl className="confirm-dl">
            <dt>{t('ui.patient')}</dt>
            <dd>{cancelling.patientName}</dd>
            <dt>{t('ui.doctor')}</dt>
            <dd>{cancelling.doctorName}</dd>
            <dt>
              {t('ui.date')} / {t('ui.time')}
            </dt>
            <dd>
              <b>
                {fmtDate(cancelling.date)} {cancelling.time}
              </b>
            </dd>
          </dl>
          <p className="muted small">{t('ui.cancelUndoHint', { minutes: UNDO_CANCEL_MINUTES })}</p>
        </ConfirmDialog>
      )}
      {task && (
        <DeskTask
          task={task}
          directory={directory}
          card={card.data}
          specialtyId={specialtyId}
          channel={channel}
          onClose={() => setTask(null)}
          onPatient={(id) => {
            setTask(null);
            reset();
            setPatientId(id);
            setSpecialtyFocus(true);
          }}
        />
      )}
      {slot && cell && card.data && (
        <BookingConfirm
          directory={directory}
          card={card.data}
          specialtyId={specialtyId}
          cell={cell}
          slot={slot}
          channel={channel}
          preventive={preventive}
          moving={moving}
          busy={book.isPending}
          onConfirm={(extras) => book.mutate({ slot, extras })}
          onCancel={() => setSlot(null)}
        />
      )}
    </div>
  );
}
