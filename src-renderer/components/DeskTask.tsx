import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EmergencyDestination } from '../../src-shared/domain/appointment.js';
import type { RequestChannel } from '../../src-shared/domain/enums.js';
import type { DirectoryView, PatientCard } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import { EmergencyDialog } from './EmergencyDialog.js';
import { WaitingListDialog, type Wish } from './WaitingListDialog.js';
import { HomeVisitDialog } from './HomeVisitDialog.js';
import { NewPatientDialog } from './NewPatientDialog.js';
import { RefusalDialog } from './RefusalDialog.js';
import { ReferralDialog } from './ReferralDialog.js';
import { invalidate } from '../lib/query-keys.js';
import { METHOD_CHANGES } from '../../src-shared/rpc/changes.js';

/**
 * The desk's tasks beside booking, one dialog at a time: a refusal on the closed list (F8, R3),
 * an emergency out of schedule (F9, R6), a new patient (F10, R16), a home visit (F11, R24), and
 * the doctor's referral (R5).
 */
export type SideTask = { kind: 'refuse' } | { kind: 'emergency' } | { kind: 'register'; initialId: string } | { kind: 'homeVisit' } | { kind: 'refer' } | { kind: 'waiting' };

export function DeskTask({
  task,
  directory,
  card,
  specialtyId,
  channel,
  onClose,
  onPatient,
}: {
  task: SideTask;
  directory: DirectoryView;
  /** The patient on the card, if any (a refusal, a home visit and a referral need one). */
  card: PatientCard | undefined;
  specialtyId: string | null;
  channel: RequestChannel;
  onClose(): void;
  /** Open this patient's card (a new one, or the likely duplicate the registrar picked). */
  onPatient(patientId: string): void;
}) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const notify = useNotify();
  const patientId = card?.patient.id ?? null;
  const done = (message: string, method: keyof typeof METHOD_CHANGES) => {
    onClose();
    notify(message);
    invalidate(qc, METHOD_CHANGES[method] ?? []);
  };
  const failed = (e: unknown) => notify(e instanceof RpcError ? e.message : String(e), 'error');

  const refuse = useMutation({
    mutationFn: (r: { reason: string; applicant: string }) => call('register.refuse', { patientId, applicant: r.applicant, specialtyId, reason: r.reason, channel }),
    onSuccess: () => done(t('ui.refusalRecorded'), 'register.refuse'),
    onError: failed,
  });
  const outOfSchedule = useMutation({
    mutationFn: (r: { destination: EmergencyDestination; applicant: string }) => call('visits.outOfSchedule', { patientId, applicant: r.applicant, destination: r.destination, channel }),
    onSuccess: () => done(t('ui.emergencyRecorded'), 'visits.outOfSchedule'),
    onError: failed,
  });
  const homeVisit = useMutation({
    mutationFn: (r: { doctorId: string; date: string; address: string; reason: string; callbackPhone: string }) => call('homeVisits.request', { patientId: patientId!, ...r, channel }),
    onSuccess: () => done(t('ui.homeVisitRecorded'), 'homeVisits.request'),
    onError: failed,
  });
  const refer = useMutation({
    mutationFn: (id: string) => call('referrals.issue', { patientId: patientId!, specialtyId: id }),
    onSuccess: () => done(t('ui.referIssued'), 'referrals.issue'),
    onError: failed,
  });

  const wait = useMutation({
    mutationFn: (w: Wish) => call('waiting.add', w),
    onSuccess: (e) => done(t('waiting.added', { patient: e.patientName }), 'waiting.add'),
    onError: failed,
  });

  switch (task.kind) {
    case 'register':
      return (
        <NewPatientDialog
          directory={directory}
          initialId={task.initialId}
          onSaved={(saved) => {
            notify(t('ui.patientSaved'));
            onPatient(saved.patient.id);
          }}
          onOpen={(p) => onPatient(p.id)}
          onClose={onClose}
        />
      );
    case 'emergency':
      return <EmergencyDialog patientName={card?.patient.fullName ?? ''} busy={outOfSchedule.isPending} onRecord={(r) => outOfSchedule.mutate(r)} onClose={onClose} />;
    case 'refuse':
      return card ? (
        <RefusalDialog
          directory={directory}
          patientName={card.patient.fullName}
          preselect={card.attached ? null : directory.profile.notAttachedGround}
          busy={refuse.isPending}
          onRecord={(r) => refuse.mutate(r)}
          onClose={onClose}
        />
      ) : null;
    case 'homeVisit':
      return card ? <HomeVisitDialog directory={directory} card={card} busy={homeVisit.isPending} onRecord={(r) => homeVisit.mutate(r)} onClose={onClose} /> : null;
    case 'waiting':
      return card && specialtyId ? (
        <WaitingListDialog directory={directory} card={card} specialtyId={specialtyId} channel={channel} busy={wait.isPending} onSave={(w) => wait.mutate(w)} onClose={onClose} />
      ) : null;
    case 'refer':
      return card ? <ReferralDialog directory={directory} patientName={card.patient.fullName} busy={refer.isPending} onIssue={(id) => refer.mutate(id)} onClose={onClose} /> : null;
  }
}
