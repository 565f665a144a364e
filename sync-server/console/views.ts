import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { DeviceInfo } from '../auth/devices.js';
import type { ReleaseInfo } from '../updates/releases.js';
import { clinicOpensOn, stagedOrder } from '../updates/rollout.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f3f5f8;color:#1c2733}
header{background:#16324f;color:#fff;padding:10px 18px;display:flex;gap:16px;align-items:center}
header a{color:#fff} header .grow{flex:1} main{padding:16px 18px;max-width:1300px}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 14px} th,td{border-bottom:1px solid #dde3ea;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600} .muted{color:#66778a} .bad{color:#b3261e;font-weight:600} .warn{color:#a05a00} .ok{color:#1b6e20}
.card{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:12px 14px;margin:10px 0}
button{font:inherit;padding:4px 10px;border-radius:6px;border:1px solid #9aa8b6;background:#fff;cursor:pointer} button.primary{background:#1565c0;color:#fff;border-color:#1565c0}
input{font:inherit;padding:4px 6px} form.inline{display:inline} .code{font:700 28px monospace;letter-spacing:2px} .qr svg{width:220px;height:220px}
`;

export function page(title: string, who: string | null, body: Html): Html {
  return html`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${title} — Кезек</title><style>${raw(STYLE)}</style></head>
<body><header><strong>Кезек — консоль установщика</strong><a href="/console">Регионы</a><span class="grow"></span>${
    who ? html`<span>${who}</span><form class="inline" method="post" action="/console/sign-out"><button>Выйти</button></form>` : ''
  }</header><main>${body}</main></body></html>`;
}

export const signInForm = (error: string | null): Html =>
  html`<div class="card" style="max-width:360px"><h2>Вход для установщиков</h2>${error ? html`<p class="bad" role="alert">${error}</p>` : ''}
<form method="post" action="/console/sign-in"><p><label>Имя<br><input name="username" autofocus autocomplete="username"></label></p>
<p><label>Пароль<br><input name="password" type="password" autocomplete="current-password"></label></p><button class="primary">Войти</button></form></div>`;

export interface RegionRow {
  id: string;
  name: string;
  clinics: number;
  pcs: number;
}
export const regionList = (regions: RegionRow[]): Html =>
  html`<h2>Регионы</h2><table data-testid="regions"><tr><th>Регион</th><th>Клиник</th><th>ПК</th></tr>${regions.map(
    (r) => html`<tr><td><a href="/console/regions/${r.id}">${r.name}</a></td><td>${r.clinics}</td><td>${r.pcs}</td></tr>`,
  )}</table>`;

const when = (ms: number | null, now: number): string => {
  if (ms === null) return '—';
  const min = Math.round((now - ms) / 60_000);
  return min < 1 ? 'только что' : min < 60 ? `${min} мин назад` : min < 48 * 60 ? `${Math.round(min / 60)} ч назад` : new Date(ms).toISOString().slice(0, 10);
};

function deviceRow(d: DeviceInfo, now: number): Html {
  const s = d.status;
  const offset = s?.clockOffsetMs ?? null;
  return html`<tr data-testid="pc-${d.name}"><td>${d.name}<div class="muted">${d.ticketPrefix ?? ''}</div></td>
<td>${d.appVersion ?? '—'}<div class="muted">${d.osVersion ? `ОС ${d.osVersion}` : ''}</div></td><td>${when(d.lastSeenAt, now)}</td>
<td class="${s && s.pending > 0 ? 'warn' : ''}">${s ? s.pending : '—'}</td><td class="${s && s.conflicts > 0 ? 'bad' : ''}">${s ? s.conflicts : '—'}</td>
<td>${s ? (s.printer.error ? html`<span class="bad">${s.printer.error}</span>` : s.printer.configured ? html`<span class="ok">исправен</span>` : 'не настроен') : '—'}</td>
<td class="${d.clockSuspect || (offset !== null && Math.abs(offset) > 120_000) ? 'bad' : ''}">${offset === null ? '—' : `${Math.round(offset / 1000)} с`}</td>
<td>${s?.lastError ? html`<span class="bad">${s.lastError}</span>` : ''}</td>
<td>${
    d.revokedAt
      ? html`<span class="bad">отключён</span>`
      : html`<form class="inline" method="post" action="/console/devices/${d.id}/revoke" onsubmit="return confirm('Отключить этот ПК? Его ключ перестанет работать сразу.')"><button data-testid="revoke-${d.name}">Отключить</button></form>`
  }</td></tr>`;
}

export interface ClinicBlock {
  id: string;
  name: string;
  /** Its place in the region's staged rollout (stagedOrder). */
  rolloutOrder: number;
  devices: DeviceInfo[];
  /** The clinic's working doctors: a code may be for one's cabinet PC. */
  doctors: Array<{ id: string; fullName: string }>;
}

/** "1 клиника в день", "2 клиники в день", "5 клиник в день": Russian plural forms (issue 23 finding 11). */
export function clinicsADay(n: number): string {
  const [ten, hundred] = [n % 10, n % 100];
  const word = ten === 1 && hundred !== 11 ? 'клиника' : ten >= 2 && ten <= 4 && (hundred < 12 || hundred > 14) ? 'клиники' : 'клиник';
  return `${n} ${word} в день`;
}

/** The rollout board of a region: each release's window here, the day this clinic's turn comes, and how many of the region's PCs run it. */
function rolloutBoard(regionId: string, releases: ReleaseInfo[], clinics: ClinicBlock[]): Html {
  const order = stagedOrder(clinics);
  const running = (v: string) => clinics.flatMap((c) => c.devices).filter((d) => !d.revokedAt && d.appVersion === v).length;
  const versions = [
    ...new Set(
      clinics
        .flatMap((c) => c.devices)
        .filter((d) => !d.revokedAt)
        .map((d) => d.appVersion ?? '—'),
    ),
  ];
  if (releases.length === 0) return html`<h3>Обновления (R23)</h3><p class="muted">Выпусков ещё нет (npm run server -- publish-release).</p>`;
  return html`<h3>Обновления (R23)</h3><table data-testid="rollout"><tr><th>Версия</th><th>Окно региона</th><th>Очередь клиник</th><th>Состояние</th><th>ПК с этой версией</th></tr>${releases.map(
    (r) => {
      const w = r.rollout[regionId];
      return html`<tr><td>${r.version} <span class="muted">${r.platform}${r.minOs ? `, ОС ≥ ${r.minOs}` : ''}</span></td>
<td>${w ? `с ${w.opensOn}${w.clinicsPerDay ? `, ${clinicsADay(w.clinicsPerDay)}` : ''}` : html`<span class="muted">не открыто</span>`}</td>
<td>${w ? clinics.map((c) => html`<div>${c.name}: ${clinicOpensOn(w, c.id, order)}</div>`) : ''}</td>
<td>${r.paused ? html`<span class="warn">приостановлено</span>` : 'действует'}</td><td>${running(r.version)}</td></tr>`;
    },
  )}</table><p class="muted">Версии на ПК региона: ${versions.join(', ') || '—'}</p>`;
}

export function regionPage(region: { id: string; name: string }, clinics: ClinicBlock[], releases: ReleaseInfo[], now: number): Html {
  return html`<h2>${region.name}</h2>${rolloutBoard(region.id, releases, clinics)}${clinics.map(
    (c) => html`<section class="card" data-testid="clinic-${c.id}"><h3>${c.name} <span class="muted">${c.id}</span></h3>
<form method="post" action="/console/codes"><input type="hidden" name="orgId" value="${c.id}">
<select name="cabinet" data-testid="code-for-${c.id}"><option value="">регистратура</option>${c.doctors.map((d) => html`<option value="${d.id}">кабинет врача: ${d.fullName}</option>`)}</select>
<button class="primary" data-testid="code-${c.id}">Код подключения ПК</button></form>
<table><tr><th>ПК</th><th>Версия</th><th>Был на связи</th><th>К отправке</th><th>Конфликты</th><th>Принтер</th><th>Часы</th><th>Последняя ошибка</th><th></th></tr>
${c.devices.length === 0 ? html`<tr><td colspan="9" class="muted">ПК ещё не подключены</td></tr>` : c.devices.map((d) => deviceRow(d, now))}</table></section>`,
  )}`;
}

export function codePage(clinic: { id: string; name: string }, code: string, serverUrl: string, qrSvg: string, hours: number, cabinetOf: string | null): Html {
  return html`<h2>Код подключения: ${clinic.name}</h2><div class="card">${cabinetOf ? html`<p>Для кабинета врача: <strong data-testid="code-cabinet">${cabinetOf}</strong></p>` : ''}<p>Адрес сервера: <strong data-testid="server-url">${serverUrl}</strong></p>
<p class="code" data-testid="enroll-code">${code}</p><div class="qr" data-testid="enroll-qr">${raw(qrSvg)}</div>
<p class="muted">Один раз, действует ${hours} ч. В мастере первого запуска Кезек введите адрес и код или отсканируйте QR сканером регистратуры.</p>
<p><a href="javascript:history.back()">Назад</a></p></div>`;
}
