import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import type { PrinterSettings, PrinterTransport } from '../../src-shared/print/settings.js';
import { useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import { invalidate, qk } from '../lib/query-keys.js';

type Kind = PrinterTransport['kind'];

/** Printer set-up: model (profile), connection, ticket language, auto-print, and a code-page test page. */
export function SettingsScreen() {
  const { t } = useI18n();
  const notify = useNotify();
  const qc = useQueryClient();
  const profiles = useQuery({ queryKey: qk.printerProfiles(), queryFn: () => call('printer.profiles', {}), staleTime: Infinity });
  const current = useQuery({ queryKey: qk.printerSettings(), queryFn: () => call('printer.getSettings', {}) });
  const [form, setForm] = useState<PrinterSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (current.data && !form) setForm(current.data);
  }, [current.data, form]);

  const save = useMutation({
    mutationFn: (s: PrinterSettings) => call('printer.saveSettings', s),
    onSuccess: (s) => {
      setError(null);
      setForm(s);
      notify(t('ui.saved'));
      invalidate(qc, ['printer']);
    },
    onError: (e) => setError(e instanceof RpcError ? e.message : String(e)),
  });
  const test = useMutation({
    mutationFn: () => call('printer.testPage', {}),
    onSuccess: () => notify(t('ui.testPageSent')),
    onError: (e) => setError(e instanceof RpcError ? e.message : String(e)),
  });
  if (!form || !profiles.data) return <p className="muted pad">{t('ui.loading')}</p>;

  const setKind = (kind: Kind) => {
    const transport: PrinterTransport =
      kind === 'none' ? { kind } : kind === 'file' ? { kind, path: '/dev/usb/lp0' } : kind === 'tcp' ? { kind, host: '192.168.1.100', port: 9100 } : { kind, printerName: '' };
    setForm({ ...form, transport });
  };
  const tr = form.transport;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };

  return (
    <div className="settings pad">
      <h2>
        {t('ui.settings')} · {t('ui.printer')}
      </h2>
      <form className="card form" onSubmit={submit} data-testid="printer-settings">
        <label>
          {t('ui.printerModel')}
          <select name="profile" value={form.profileId} onChange={(e) => setForm({ ...form, profileId: e.target.value })}>
            {profiles.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('ui.connection')}
          <select name="connection" value={tr.kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="none">{t('ui.connNone')}</option>
            <option value="file">{t('ui.connFile')}</option>
            <option value="tcp">{t('ui.connTcp')}</option>
            <option value="spooler">{t('ui.connSpooler')}</option>
          </select>
        </label>
        {tr.kind === 'file' && (
          <label>
            {t('ui.devicePath')}
            <input name="path" value={tr.path} onChange={(e) => setForm({ ...form, transport: { ...tr, path: e.target.value } })} />
          </label>
        )}
        {tr.kind === 'tcp' && (
          <div className="row">
            <label className="grow">
              {t('ui.host')}
              <input name="host" value={tr.host} onChange={(e) => setForm({ ...form, transport: { ...tr, host: e.target.value } })} />
            </label>
            <label>
              {t('ui.port')}
              <input name="port" type="number" value={tr.port} onChange={(e) => setForm({ ...form, transport: { ...tr, port: Number(e.target.value) } })} />
            </label>
          </div>
        )}
        {tr.kind === 'spooler' && (
          <label>
            {t('ui.printerName')}
            <input name="printerName" value={tr.printerName} onChange={(e) => setForm({ ...form, transport: { ...tr, printerName: e.target.value } })} />
          </label>
        )}
        <label>
          {t('ui.ticketLanguage')}
          <select name="ticketLang" value={form.ticketLang} onChange={(e) => setForm({ ...form, ticketLang: e.target.value as PrinterSettings['ticketLang'] })}>
            <option value="ru">Русский</option>
            <option value="ky">Кыргызча</option>
            <option value="kk">Қазақша</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={form.autoPrint} onChange={(e) => setForm({ ...form, autoPrint: e.target.checked })} /> {t('ui.autoPrint')}
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button className="primary" type="submit" disabled={save.isPending}>
            {t('ui.save')}
          </button>
          <button type="button" disabled={tr.kind === 'none' || test.isPending} onClick={() => test.mutate()}>
            {t('ui.testPage')}
          </button>
        </div>
      </form>
    </div>
  );
}
