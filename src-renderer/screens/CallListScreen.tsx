import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DirectoryView, TaskView } from '../../src-shared/rpc/views.js';
import { callReasonText } from '../lib/call-reason.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import type { CallOutcome } from '../../src-shared/rules/call-outcomes.js';
import { invalidate, qk } from '../lib/query-keys.js';
import { METHOD_CHANGES } from '../../src-shared/rpc/changes.js';

/**
 * The call list: patients whose booking changed — lost to another desk, refused by the server, or taken
 * away by a doctor's absence (R8) — with R8's offers for one-click moving, and the call's outcome.
 */
const ALT_LABEL = { same_time: 'ui.altSameTime', near_time: 'ui.altNearTime', same_doctor: 'ui.altSameDoctor', specialty: 'ui.altSpecialty' } as const;

export function CallListScreen({ directory }: { directory: DirectoryView }) {
  const { t } = useI18n();
  const notify = useNotify();
  const qc = useQueryClient();
  const tasks = useQuery({ queryKey: qk.tasks(), queryFn: () => call('tasks.list', {}) });
  const refresh = () => {
    invalidate(qc, METHOD_CHANGES['tasks.rebook']!);
  };
  const resolve = useMutation({
    mutationFn: (v: { taskId: string; outcome: CallOutcome }) => call('tasks.resolve', v),
    onSuccess: refresh,
  });
  const printer = useQuery({ queryKey: qk.printerSettings(), queryFn: () => call('printer.getSettings', {}) });
  // The lost booking moves to the chosen time (one booking, never two), and its new ticket prints like any booking's.
  const rebook = useMutation({
    mutationFn: ({ task, slotId }: { task: TaskView; slotId: string }) => call('tasks.rebook', { taskId: task.id, slotId }),
    onSuccess: async (r) => {
      notify(`${t('ui.booked')}: ${r.appointment.patientName} — ${fmtDate(r.appointment.date)} ${r.appointment.time}`);
      refresh();
      if (r.appointment.syncState !== 'conflict' && printer.data?.autoPrint && printer.data.transport.kind !== 'none') {
        await call('tickets.print', { appointmentId: r.appointment.id }).catch((e: unknown) => notify(e instanceof RpcError ? e.message : String(e), 'error'));
      }
    },
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  // Why the booking was lost: another desk was first, a lease did not hold, or the server's rules refused it (R2, R5, R1…).
  const reasonText = (task: TaskView): string =>
    task.kind === 'kiosk_help' ? t('kiosk.helpTask') : task.kind === 'waiting_offer' ? t('waiting.taskReason') : task.kind !== 'call_patient' ? t('ui.quarantined') : callReasonText(t, task.reason);
  // The waiting list's offer (issue 21): the patient's answer, taken on the phone, goes to the server.
  const answer = useMutation({
    mutationFn: (v: { id: string; slotId: string; answer: 'accept' | 'decline' }) => call('waiting.answer', v),
    onSuccess: (_r, v) => {
      notify(t(v.answer === 'accept' ? 'waiting.accepted' : 'waiting.declined'));
      invalidate(qc, METHOD_CHANGES['waiting.answer']!);
      refresh();
    },
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  const doctor = (id: string) => directory.doctors.find((d) => d.id === id)?.fullName ?? id;

  return (
    <div className="calls pad">
      <h2>{t('ui.callList')}</h2>
      {tasks.data?.length === 0 && <p className="muted">{t('ui.callListEmpty')}</p>}
      <ul className="task-list" data-testid="call-list">
        {tasks.data?.map((task) => (
          <li key={task.id} className="card task">
            <div className="row between">
              <b>{task.patientName ?? (task.kind === 'kiosk_help' ? t('kiosk.helpTask') : task.patientId)}</b>
              <span className="phone">{task.phone}</span>
            </div>
            {(task.urgent || task.attempts > 0) && (
              <div className="muted">
                {task.urgent && <span className="urgent">{t('ui.urgentCall')}</span>} {task.attempts > 0 && t('ui.attempts', { n: task.attempts })}
              </div>
            )}
            <div className="error" data-testid="task-reason">
              {reasonText(task)}
            </div>
            {task.appointment && (
              <div className="muted">
                {fmtDate(task.appointment.date)} {task.appointment.time} · {task.appointment.doctorName} · {task.appointment.ticketCode}
              </div>
            )}
            <div className="actions">
              {task.alternatives.map((alt) => (
                <button type="button" key={alt.slotId} className="alt" onClick={() => rebook.mutate({ task, slotId: alt.slotId })}>
                  <span className="alt-kind">{t(ALT_LABEL[alt.kind])}</span>
                  {t('ui.rebookAt', { when: `${fmtDate(alt.date)} ${alt.time}, ${doctor(alt.doctorId)}` })}
                </button>
              ))}
            </div>
            {task.offer && (
              <div data-testid="task-offer">
                <b>
                  {fmtDate(task.offer.date)} {task.offer.time} · {doctor(task.offer.doctorId)}
                </b>
              </div>
            )}
            {task.kind === 'waiting_offer' && task.offer ? (
              <div className="actions">
                <button type="button" className="primary" onClick={() => answer.mutate({ id: task.offer!.entryId, slotId: task.offer!.slotId, answer: 'accept' })} data-testid="task-accept">
                  {t('waiting.accept')}
                </button>
                <button type="button" onClick={() => answer.mutate({ id: task.offer!.entryId, slotId: task.offer!.slotId, answer: 'decline' })}>
                  {t('waiting.decline')}
                </button>
              </div>
            ) : task.kind === 'kiosk_help' ? (
              <div className="actions">
                <button type="button" onClick={() => resolve.mutate({ taskId: task.id, outcome: 'reached' })} data-testid="helped">
                  {t('kiosk.helped')}
                </button>
              </div>
            ) : (
              <div className="actions">
                <span className="muted">{t('ui.taskOutcome')}:</span>
                <button type="button" onClick={() => resolve.mutate({ taskId: task.id, outcome: 'reached' })}>
                  {t('ui.reached')}
                </button>
                <button type="button" onClick={() => resolve.mutate({ taskId: task.id, outcome: 'unreachable' })}>
                  {t('ui.unreachable')}
                </button>
                {task.appointment?.status === 'booked' && (
                  <button type="button" onClick={() => resolve.mutate({ taskId: task.id, outcome: 'declined' })}>
                    {t('ui.declinedCancel')}
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
