import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { DeviceInfo } from '../auth/devices.js';
import type { IncomingRelease, ReleaseInfo } from '../updates/releases.js';
import { showDate } from '../../src-shared/time/date-input.js';
import { clinicOpensOn, describeWindow, type RegionWindow, stagedOrder } from '../updates/rollout.js';
import type { RolloutLogRow } from './rollout-actions.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f3f5f8;color:#1c2733}
header{background:#16324f;color:#fff;padding:10px 18px;display:flex;gap:16px;align-items:center}
header a{color:#fff} header .grow{flex:1} main{padding:16px 18px;max-width:1300px}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 14px} th,td{border-bottom:1px solid #dde3ea;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600} .muted{color:#66778a} .bad{color:#b3261e;font-weight:600} .warn{color:#a05a00} .ok{color:#1b6e20}
.card{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:12px 14px;margin:10px 0}
button{font:inherit;padding:4px 10px;border-radius:6px;border:1px solid #9aa8b6;background:#fff;cursor:pointer} button.primary{background:#1565c0;color:#fff;border-color:#1565c0}
input{font:inherit;padding:4px 6px} form.inline{display:inline} form.window-form{margin-top:4px;display:flex;flex-wrap:wrap;gap:4px 8px;align-items:center} form.window-form input{width:6.5em} .code{font:700 28px monospace;letter-spacing:2px} .qr svg{width:220px;height:220px}
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

/** Builds copied to the server's incoming folder, not published yet: each with its publish button. */
export const incomingList = (incoming: IncomingRelease[], error: string | null): Html =>
  html`<h2>Выпуски, загруженные на сервер</h2>${error ? html`<p class="bad" role="alert" data-testid="console-error">${error}</p>` : ''}${
    incoming.length === 0
      ? html`<p class="muted" data-testid="incoming-none">Новых нет. Сборку (latest.yml, установщик, .blockmap) кладут в папку incoming/&lt;имя&gt; каталога выпусков сервера.</p>`
      : html`<table data-testid="incoming"><tr><th>Папка</th><th>Платформа</th><th>Версия</th><th></th></tr>${incoming.map(
          (r) => html`<tr><td>${r.folder}</td><td>${r.platform}</td><td>${r.version}</td><td><form class="inline" method="post" action="/console/releases/publish">
<input type="hidden" name="folder" value="${r.folder}"><input type="hidden" name="platform" value="${r.platform}"><button class="primary" data-testid="publish-${r.platform}-${r.version}">Опубликовать</button></form></td></tr>`,
        )}</table><p class="muted">Опубликованный выпуск не получит ни один ПК, пока в регионе не открыто его окно.</p>`
  }`;

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

const STATE_TEXT = { open: 'действует', paused: 'приостановлено', rolled_back: 'откачено' } as const;

/** A window's form: opening day, then a closing day or clinics a day, and a share of PCs (blank: all). */
function windowForm(regionId: string, r: ReleaseInfo, w: RegionWindow | undefined): Html {
  const v = (x: string | number | null | undefined) => (x === null || x === undefined ? '' : String(x));
  return html`<form method="post" action="/console/rollout/window" class="window-form" data-testid="window-${r.platform}-${r.version}">
<input type="hidden" name="platform" value="${r.platform}"><input type="hidden" name="version" value="${r.version}"><input type="hidden" name="regionId" value="${regionId}">
<label>с <input name="opensOn" size="10" placeholder="дд.мм.гггг" value="${w ? showDate(w.opensOn) : ''}" data-testid="opens-on"></label>
<label>по <input name="closesOn" size="10" placeholder="дд.мм.гггг" value="${w?.closesOn ? showDate(w.closesOn) : ''}" data-testid="closes-on"></label>
<label>или клиник в день <input name="clinicsPerDay" size="3" value="${v(w?.clinicsPerDay)}" data-testid="per-day"></label>
<label>доля ПК, % <input name="sharePercent" size="3" value="${v(w?.sharePercent)}" data-testid="share"></label>
<button data-testid="save-window">${w ? 'Изменить окно' : 'Открыть окно'}</button></form>`;
}

function stateButtons(regionId: string, r: ReleaseInfo, w: RegionWindow): Html {
  const button = (action: string, text: string, confirm: string) =>
    html`<form class="inline" method="post" action="/console/rollout/state" onsubmit="return confirm('${confirm}')"><input type="hidden" name="platform" value="${r.platform}"><input type="hidden" name="version" value="${r.version}"><input type="hidden" name="regionId" value="${regionId}"><input type="hidden" name="action" value="${action}"><button data-testid="${action}-${r.platform}-${r.version}">${text}</button></form>`;
  return html`${w.state === 'open' ? button('pause', 'Приостановить', 'ПК, которые ещё не обновились, не получат этот выпуск. Приостановить?') : ''}${
    w.state !== 'open' ? button('resume', 'Возобновить', 'Выпуск снова пойдёт на ПК региона. Возобновить?') : ''
  }${w.state !== 'rolled_back' ? button('rollback', 'Откатить', 'ПК с этим выпуском вернутся на предыдущий. Откатить?') : ''}`;
}

/**
 * The rollout board of a region: each release's window here with its controls, the day each clinic's turn comes, and
 * how many of the region's PCs run it.
 */
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
      return html`<tr data-testid="release-${r.platform}-${r.version}"><td>${r.version} <span class="muted">${r.platform}${r.minOs ? `, ОС ≥ ${r.minOs}` : ''}</span></td>
<td>${w ? html`<div>${describeWindow(w)}${w.clinicsPerDay ? html` <span class="muted">(${clinicsADay(w.clinicsPerDay)})</span>` : ''}</div>` : html`<div class="muted">не открыто</div>`}${windowForm(regionId, r, w)}</td>
<td>${w ? clinics.map((c) => html`<div>${c.name}: ${showDate(clinicOpensOn(w, c.id, order))}</div>`) : ''}</td>
<td data-testid="state-${r.platform}-${r.version}">${r.paused ? html`<span class="warn">приостановлено везде</span>` : w ? html`<span class="${w.state === 'open' ? 'ok' : 'warn'}">${STATE_TEXT[w.state]}</span>` : '—'}
${w ? html`<div>${stateButtons(regionId, r, w)}</div>` : ''}</td><td>${running(r.version)}</td></tr>`;
    },
  )}</table><p class="muted">Версии на ПК региона: ${versions.join(', ') || '—'}</p>`;
}

const ACTION_TEXT: Record<string, string> = { publish: 'опубликован', window: 'окно', pause: 'приостановлено', resume: 'возобновлено', rollback: 'откат' };

/** Who did what to this region's rollouts, newest first. */
function rolloutAudit(log: RolloutLogRow[]): Html {
  if (log.length === 0) return html``;
  return html`<h3>Журнал обновлений</h3><table data-testid="rollout-log"><tr><th>Когда (UTC)</th><th>Кто</th><th>Выпуск</th><th>Действие</th><th></th></tr>${log.map(
    (a) =>
      html`<tr><td>${new Date(a.at).toISOString().slice(0, 16).replace('T', ' ')}</td><td>${a.installer}</td><td>${a.version} <span class="muted">${a.platform}</span></td><td>${ACTION_TEXT[a.action] ?? a.action}</td><td>${a.detail}</td></tr>`,
  )}</table>`;
}

export function regionPage(region: { id: string; name: string }, clinics: ClinicBlock[], releases: ReleaseInfo[], log: RolloutLogRow[], now: number, error: string | null = null): Html {
  return html`<h2>${region.name}</h2>${error ? html`<p class="bad" role="alert" data-testid="console-error">${error}</p>` : ''}${rolloutBoard(region.id, releases, clinics)}${rolloutAudit(log)}${clinics.map(
    (c) => html`<section class="card" data-testid="clinic-${c.id}"><h3>${c.name} <span class="muted">${c.id}</span></h3>
<form method="post" action="/console/codes"><input type="hidden" name="orgId" value="${c.id}">
<select name="cabinet" data-testid="code-for-${c.id}"><option value="">регистратура</option><option value="kiosk">инфомат в холле</option>${c.doctors.map((d) => html`<option value="${d.id}">кабинет врача: ${d.fullName}</option>`)}</select>
<button class="primary" data-testid="code-${c.id}">Код подключения ПК</button></form>
<table><tr><th>ПК</th><th>Версия</th><th>Был на связи</th><th>К отправке</th><th>Конфликты</th><th>Принтер</th><th>Часы</th><th>Последняя ошибка</th><th></th></tr>
${c.devices.length === 0 ? html`<tr><td colspan="9" class="muted">ПК ещё не подключены</td></tr>` : c.devices.map((d) => deviceRow(d, now))}</table></section>`,
  )}`;
}

export function codePage(clinic: { id: string; name: string }, code: string, serverUrl: string, qrSvg: string, hours: number, cabinetOf: string | null, kiosk = false): Html {
  return html`<h2>Код подключения: ${clinic.name}</h2><div class="card">${kiosk ? html`<p>Для <strong data-testid="code-kiosk">инфомата в холле</strong></p>` : ''}${cabinetOf ? html`<p>Для кабинета врача: <strong data-testid="code-cabinet">${cabinetOf}</strong></p>` : ''}<p>Адрес сервера: <strong data-testid="server-url">${serverUrl}</strong></p>
<p class="code" data-testid="enroll-code">${code}</p><div class="qr" data-testid="enroll-qr">${raw(qrSvg)}</div>
<p class="muted">Один раз, действует ${hours} ч. В мастере первого запуска Кезек введите адрес и код или отсканируйте QR сканером регистратуры.</p>
<p><a href="javascript:history.back()">Назад</a></p></div>`;
}
