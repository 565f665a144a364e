import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { registerResult, type RegisterResult } from '../../src-shared/domain/appointment.js';
import { requestChannel, type RequestChannel } from '../../src-shared/domain/enums.js';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { call } from '../lib/rpc.js';

/** R15: the register of requests — applicant, recipient, date, result with reason, appointed time, took place. */
export function RegisterScreen({ directory }: { directory: DirectoryView }) {
  const { t, lang } = useI18n();
  const [from, setFrom] = useState(directory.today);
  const [to, setTo] = useState(directory.today);
  const [result, setResult] = useState<RegisterResult | ''>('');
  const [doctorId, setDoctorId] = useState('');
  const [channel, setChannel] = useState<RequestChannel | ''>('');
  const [patient, setPatient] = useState('');
  // The patient filter applies from two characters on, as the desk's search does.
  const filter = {
    from,
    to,
    result: result || undefined,
    doctorId: doctorId || undefined,
    channel: channel || undefined,
    patient: patient.trim().length >= 2 ? patient.trim() : undefined,
  };
  const list = useQuery({ queryKey: ['register', filter], queryFn: () => call('register.list', filter) });
  const doc = (id: string | null) => directory.doctors.find((d) => d.id === id)?.fullName ?? '';
  const spec = (id: string | null) => directory.specialties.find((s) => s.id === id)?.name[lang] ?? '';
  const when = (ms: number | null) =>
    ms === null ? '' : new Date(ms).toLocaleString(lang === 'ky' ? 'ky-KG' : 'ru-RU', { timeZone: directory.organization.timezone, dateStyle: 'short', timeStyle: 'short' });
  // A refusal's closed-list ground, or the rule that declined the request.
  const reasonText = (r: { reason: string | null; rule: string | null }) => (r.reason ? t(`refusal.${r.reason}`) : r.rule ? t(`refusal.${r.rule}`) : '');

  return (
    <div className="register pad">
      <div className="row">
        <h2>{t('ui.register')}</h2>
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <select value={result} onChange={(e) => setResult(e.target.value as RegisterResult | '')} data-testid="register-result">
          <option value="">—</option>
          {registerResult.options.map((r) => (
            <option key={r} value={r}>
              {t(`registerResult.${r}`)}
            </option>
          ))}
        </select>
        <select value={doctorId} onChange={(e) => setDoctorId(e.target.value)} data-testid="register-doctor" aria-label={t('ui.doctor')}>
          <option value="">{t('ui.allDoctors')}</option>
          {directory.doctors.map((d) => (
            <option key={d.id} value={d.id}>
              {d.fullName}
            </option>
          ))}
        </select>
        <select value={channel} onChange={(e) => setChannel(e.target.value as RequestChannel | '')} data-testid="register-channel" aria-label={t('ui.channel')}>
          <option value="">—</option>
          {requestChannel.options.map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
        <input value={patient} onChange={(e) => setPatient(e.target.value)} placeholder={t('ui.registerPatient')} data-testid="register-patient" aria-label={t('ui.patient')} />
      </div>
      <div className="table-wrap">
        <table className="list" data-testid="register-list">
          <thead>
            <tr>
              <th>{t('ui.date')}</th>
              <th>{t('ui.applicant')}</th>
              <th>{t('ui.channel')}</th>
              <th>{t('ui.specialty')}</th>
              <th>{t('ui.doctor')}</th>
              <th>{t('ui.result')}</th>
              <th>{t('ui.reason')}</th>
              <th>{t('ui.appointedAt')}</th>
              <th>{t('ui.tookPlace')}</th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((r) => (
              <tr key={r.id} className={`res-${r.result}`}>
                <td>{when(r.at)}</td>
                <td>{r.patientName ?? r.applicant}</td>
                <td>{t(`channel.${r.channel}`)}</td>
                <td>{spec(r.specialtyId)}</td>
                <td>{doc(r.doctorId)}</td>
                <td>{t(`registerResult.${r.result}`)}</td>
                <td>{reasonText(r)}</td>
                <td>{when(r.appointedAt)}</td>
                <td>{r.tookPlace === null ? '' : r.tookPlace ? t('ui.yes') : t('ui.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && list.data.length === 0 && <p className="muted">{t('ui.none')}</p>}
      <p className="muted small">
        {fmtDate(from)} — {fmtDate(to)}
      </p>
    </div>
  );
}
