import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Lang } from '../../src-shared/domain/enums.js';
import { translate } from '../../src-shared/i18n/index.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * The patient's page as HTML from the server: no script at all, no resource from anywhere else (the CSP says so),
 * forms that work on a cheap phone's browser. Mobile first: one column, large targets; fine on a desktop too.
 */
export const STYLE = `
*{box-sizing:border-box} body{font:16px/1.45 system-ui,sans-serif;margin:0;background:#f3f5f8;color:#1c2733}
header{background:#16324f;color:#fff;padding:10px 16px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
header strong{font-size:18px} header .grow{flex:1} header a{color:#fff;padding:6px 4px}
header button{background:none;border:1px solid #fff;color:#fff}
main{padding:14px 16px;max-width:560px;margin:0 auto}
h1{font-size:22px;margin:8px 0 12px} h2{font-size:18px;margin:18px 0 8px}
.card{background:#fff;border:1px solid #d7dee6;border-radius:10px;padding:12px 14px;margin:10px 0}
label{display:block;margin:10px 0 4px;font-weight:600} input{font:inherit;width:100%;padding:12px;border:1px solid #9aa8b6;border-radius:8px}
button,.button{font:inherit;display:inline-block;min-height:44px;padding:10px 16px;border-radius:8px;border:1px solid #9aa8b6;background:#fff;color:#1c2733;text-decoration:none;cursor:pointer}
.primary{background:#1565c0;color:#fff;border-color:#1565c0} .danger{color:#b3261e;border-color:#b3261e}
.list{list-style:none;padding:0;margin:0} .list li{margin:8px 0}
.list>li>a.button{display:flex;justify-content:space-between;width:100%;gap:8px}
.times{display:grid;grid-template-columns:repeat(auto-fill,minmax(88px,1fr));gap:8px}
.times button{width:100%}
.muted{color:#5d6e80} .bad{color:#b3261e;font-weight:600} .ok{color:#1b6e20;font-weight:600}
.alert{border-left:4px solid #b3261e;background:#fdecea;padding:10px 12px;border-radius:6px}
.notice{border-left:4px solid #1b6e20;background:#e8f5e9;padding:10px 12px;border-radius:6px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0} dt{color:#5d6e80} dd{margin:0;font-weight:600}
.ticket{background:#fff;border:2px dashed #1c2733;border-radius:10px;padding:16px;text-align:center}
.ticket .queue{font-size:56px;font-weight:800;line-height:1} .ticket dl{text-align:left;margin:12px 0}
.ticket svg{width:100%;max-width:360px;height:auto} .code{font:700 22px monospace;letter-spacing:2px}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px} .langs a{margin-left:6px} .langs a[aria-current]{font-weight:800;text-decoration:none}
@media print{header,.noprint{display:none} body{background:#fff} .ticket{border:1px solid #000}}
`;

const t = (lang: Lang, key: string, params: Record<string, string | number> = {}) => translate(lang, `patientPage.${key}`, params);

/** A local ISO date as patients read it: 24.11.2026. */
export const dmy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

export function layout(lang: Lang, title: string, body: Html, signedIn: boolean): Html {
  const langs = (['ru', 'ky', 'kk'] as const).map((l) => html`<a href="?lang=${l}" ${l === lang ? raw('aria-current="true"') : ''} lang="${l}">${l === 'ru' ? 'РУС' : l === 'ky' ? 'КЫР' : 'ҚАЗ'}</a>`);
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Кезек</title><link rel="stylesheet" href="/p/style.css"></head>
<body><header><strong>${t(lang, 'title')}</strong><span class="grow"></span><span class="langs">${langs}</span>${
    signedIn ? html`<form method="post" action="/p/sign-out"><button>${t(lang, 'signOut')}</button></form>` : ''
  }</header><main>${body}</main></body></html>`;
}

export function signInPage(lang: Lang, kind: 'pin_phone' | 'policy_birth_date' | 'iin_sms' | null, error: string | null): Html {
  const fields =
    kind === 'iin_sms'
      ? html`<label for="iin">${t(lang, 'iin')}</label><input id="iin" name="iin" inputmode="numeric" autocomplete="off" required maxlength="20">`
      : kind === 'pin_phone'
        ? html`<label for="pin">${t(lang, 'pin')}</label><input id="pin" name="pin" inputmode="numeric" autocomplete="off" required maxlength="20">
<label for="phone">${t(lang, 'phone')}</label><input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required maxlength="30">`
        : html`<label for="policy">${t(lang, 'policy')}</label><input id="policy" name="policy" inputmode="numeric" autocomplete="off" required maxlength="20">
<label for="birthDate">${t(lang, 'birthDate')}</label><input id="birthDate" name="birthDate" type="date" required>`;
  return layout(
    lang,
    t(lang, 'signIn'),
    html`<h1>${t(lang, 'title')}</h1><p class="muted">${t(lang, 'intro')}</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
${kind ? html`<form method="post" action="/p/sign-in" class="card">${fields}<p><button class="primary">${t(lang, 'signIn')}</button></p></form>` : html`<p class="card">${t(lang, 'smsUnavailable')}</p>`}`,
    false,
  );
}

/** KZ, step two (P8): the code from the SMS. Said the same whether or not the IIN is registered. */
export function codePage(lang: Lang, error: string | null): Html {
  return layout(
    lang,
    t(lang, 'signIn'),
    html`<h1>${t(lang, 'title')}</h1><p class="notice">${t(lang, 'codeSent')}</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/p/sign-in/code" class="card"><label for="code">${t(lang, 'smsCode')}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="6" pattern="[0-9]{6}">
<p><button class="primary">${t(lang, 'signIn')}</button></p></form>
<p><a class="button" href="/p">${t(lang, 'newCode')}</a></p>`,
    false,
  );
}

export interface HomeView {
  name: string;
  attached: boolean;
  org: { name: string; address: string; phone: string };
  department: string | null;
  familyDoctor: string | null;
  /** What may be booked here: a doctor's days or a specialty's grid, with its free count. */
  entries: Array<{ label: string; href: string; free: number /** No free time: join the waiting list for this (issue 21). */; wait: { specialty: string; doctor: string } }>;
  /** The patient's live waiting-list entries, with the time offered to them if any. */
  waiting: Array<{ id: string; specialty: string; label: string; offer: { slot: string; when: string; doctor: string; until: string } | null }>;
  notes: string[];
  bookings: Array<{ id: string; when: string; doctor: string; specialty: string; cabinet: string; status: string; cancellable: boolean }>;
  /** Where messages about bookings go; null when this server sends none. */
  contact: { phone: string | null; email: string | null; emailForm: boolean } | null;
  /** R24: the profile lets the patient call the family doctor home from here. */
  homeVisit: boolean;
  notice: string | null;
  error: string | null;
}

export function homePage(lang: Lang, v: HomeView): Html {
  return layout(
    lang,
    t(lang, 'title'),
    html`<h1>${v.name}</h1>
${v.notice ? html`<p class="notice" role="status" data-testid="notice">${v.notice}</p>` : ''}
${v.error ? html`<p class="alert" role="alert" data-testid="refusal">${v.error}</p>` : ''}
<section class="card" data-testid="attachment">${
      v.attached
        ? html`<p class="ok">✔ ${t(lang, 'attached')}: ${v.org.name}</p><dl><dt>${t(lang, 'address')}</dt><dd>${v.org.address}</dd>${v.department ? html`<dt>${t(lang, 'department')}</dt><dd>${v.department}</dd>` : ''}${
            v.familyDoctor ? html`<dt>${t(lang, 'familyDoctor')}</dt><dd>${v.familyDoctor}</dd>` : ''
          }<dt>${t(lang, 'registryPhone')}</dt><dd><a href="tel:${v.org.phone.replace(/[^\d+]/g, '')}">${v.org.phone}</a></dd></dl>`
        : html`<p class="bad">${t(lang, 'notAttached')}</p>`
    }</section>
${
  v.attached
    ? html`<h2>${t(lang, 'specialties')}</h2><ul class="list" data-testid="entries">${v.entries.map((e) =>
        e.free
          ? html`<li><a class="button" href="${e.href}"><span>${e.label}</span><span class="ok">${t(lang, 'free', { n: e.free })}</span></a></li>`
          : html`<li class="card"><span>${e.label}</span> <span class="muted">${t(lang, 'noFree')}</span>${
              // One live entry per patient and specialty (the rule the server applies): no second button.
              !v.waiting.some((w) => w.specialty === e.wait.specialty)
                ? html`<form method="post" action="/p/waiting"><input type="hidden" name="specialty" value="${e.wait.specialty}"><input type="hidden" name="doctor" value="${e.wait.doctor}"><button data-testid="wait-join">${t(lang, 'waitJoin')}</button></form>`
                : ''
            }</li>`,
      )}</ul>${v.notes.map((n) => html`<p class="muted">${n}</p>`)}`
    : ''
}
${v.waiting.length ? waitingCard(lang, v.waiting) : ''}
${v.homeVisit ? html`<p><a class="button" href="/p/home-visit" data-testid="home-visit">${t(lang, 'homeVisit')}</a></p>` : ''}
<h2>${t(lang, 'myBookings')}</h2>${
      v.bookings.length === 0
        ? html`<p class="muted">${t(lang, 'noBookings')}</p>`
        : html`<ul class="list" data-testid="bookings">${v.bookings.map(
            (b) => html`<li class="card"><b>${b.when}</b> · ${b.specialty}<br>${b.doctor} · ${b.cabinet} · ${b.status}
<div class="actions"><a class="button" href="/p/ticket/${b.id}">${t(lang, 'ticket')}</a>${
              b.cancellable ? html`<form method="post" action="/p/cancel/${b.id}"><button class="danger">${t(lang, 'cancel')}</button></form>` : ''
            }</div></li>`,
          )}</ul>`
    }${v.contact ? contactCard(lang, v.contact) : ''}`,
    true,
  );
}

/** The waiting list (issue 21): what the patient waits for, and the time held for them with its answer. */
function waitingCard(lang: Lang, entries: HomeView['waiting']): Html {
  return html`<h2>${t(lang, 'waitTitle')}</h2><ul class="list" data-testid="waiting">${entries.map(
    (e) =>
      html`<li class="card"><b>${e.label}</b> · ${e.offer ? t(lang, 'waitOffered') : t(lang, 'waitWaiting')}${
        e.offer
          ? html`<p><b>${e.offer.when}</b> · ${e.offer.doctor} — ${t(lang, 'waitUntil', { time: e.offer.until })}</p>
<div class="actions">${(['accept', 'decline'] as const).map(
              (a) =>
                html`<form method="post" action="/p/waiting/answer"><input type="hidden" name="entry" value="${e.id}"><input type="hidden" name="slot" value="${e.offer!.slot}"><input type="hidden" name="answer" value="${a}"><button class="${a === 'accept' ? 'primary' : 'danger'}" data-testid="wait-${a}">${t(lang, a === 'accept' ? 'waitAccept' : 'waitDecline')}</button></form>`,
            )}</div>`
          : ''
      }</li>`,
  )}</ul>`;
}

/** R24: calling the family doctor home — the day, the address, what is wrong, a phone to call back. */
export function homeVisitPage(lang: Lang, v: { days: Array<{ value: string; label: string }>; address: string; error: string | null }): Html {
  return layout(
    lang,
    t(lang, 'homeVisit'),
    html`<h1>${t(lang, 'homeVisit')}</h1><p class="muted">${t(lang, 'homeVisitIntro')}</p>
${v.error ? html`<p class="alert" role="alert">${v.error}</p>` : ''}
<form method="post" action="/p/home-visit" class="card"><fieldset style="border:0;padding:0;margin:0"><legend><b>${t(lang, 'homeVisitDay')}</b></legend>${v.days.map(
      (d, i) => html`<label style="font-weight:400"><input type="radio" name="date" value="${d.value}" style="width:auto" ${i === 0 ? raw('checked') : ''}> ${d.label}</label>`,
    )}</fieldset>
<label for="address">${t(lang, 'address')}</label><input id="address" name="address" required maxlength="300" value="${v.address}">
<label for="reason">${t(lang, 'homeVisitReason')}</label><input id="reason" name="reason" required maxlength="300">
<label for="callbackPhone">${t(lang, 'homeVisitPhone')}</label><input id="callbackPhone" name="callbackPhone" type="tel" inputmode="tel" autocomplete="tel" required maxlength="40">
<p><button class="primary">${t(lang, 'homeVisitSend')}</button> <a class="button" href="/p/home">${t(lang, 'back')}</a></p></form>`,
    true,
  );
}

function contactCard(lang: Lang, c: NonNullable<HomeView['contact']>): Html {
  return html`<h2>${t(lang, 'contactTitle')}</h2><section class="card" data-testid="contact">
<p>${c.email ? t(lang, 'contactEmail', { email: c.email }) : c.phone ? t(lang, 'contactSms', { phone: c.phone }) : t(lang, 'contactNone')}</p>${
    c.emailForm
      ? html`<form method="post" action="/p/contact"><label for="email">${t(lang, 'emailLabel')}</label>
<input id="email" name="email" type="email" inputmode="email" autocomplete="email" maxlength="254" value="${c.email ?? ''}">
<p class="muted">${t(lang, 'emailHint')}</p><p><button>${t(lang, 'save')}</button></p></form>`
      : ''
  }</section>`;
}

export function daysPage(lang: Lang, title: string, days: Array<{ label: string; href: string; free: number }>): Html {
  return layout(
    lang,
    title,
    html`<p class="noprint"><a href="/p/home">← ${t(lang, 'back')}</a></p><h1>${title}</h1><h2>${t(lang, 'chooseDay')}</h2>
${days.length === 0 ? html`<p class="muted">${t(lang, 'noFree')}</p>` : ''}
<ul class="list" data-testid="days">${days.map(
      (d) =>
        html`<li><a class="button" href="${d.href}"><span>${d.label}</span><span class="${d.free ? 'ok' : 'muted'}">${d.free ? t(lang, 'free', { n: d.free }) : t(lang, 'noFree')}</span></a></li>`,
    )}</ul>`,
    true,
  );
}

export function timesPage(lang: Lang, title: string, back: string, times: Array<{ fhirSlot: string; time: string }>): Html {
  return layout(
    lang,
    title,
    html`<p><a href="${back}">← ${t(lang, 'back')}</a></p><h1>${title}</h1><h2>${t(lang, 'chooseTime')}</h2>
${times.length === 0 ? html`<p class="muted">${t(lang, 'noFree')}</p>` : ''}
<div class="times" data-testid="times">${times.map((x) => html`<form method="post" action="/p/hold"><input type="hidden" name="slot" value="${x.fhirSlot}"><button>${x.time}</button></form>`)}</div>`,
    true,
  );
}

export function confirmPage(lang: Lang, v: { holdId: string; heldUntil: string; doctor: string; specialty: string; when: string; cabinet: string }): Html {
  return layout(
    lang,
    t(lang, 'confirmTitle'),
    html`<h1>${t(lang, 'confirmTitle')}</h1><div class="card"><dl><dt>${t(lang, 'when')}</dt><dd>${v.when}</dd><dt>${t(lang, 'doctor')}</dt><dd>${v.doctor}</dd>
<dt>${t(lang, 'specialty')}</dt><dd>${v.specialty}</dd><dt>${t(lang, 'cabinet')}</dt><dd>${v.cabinet}</dd></dl>
<p class="muted">${t(lang, 'heldUntil', { time: v.heldUntil })}</p>
<form method="post" action="/p/book"><input type="hidden" name="hold" value="${v.holdId}"><button class="primary">${t(lang, 'confirm')}</button></form>
<p><a href="/p/home">${t(lang, 'otherTime')}</a></p></div>`,
    true,
  );
}

export function ticketPage(
  lang: Lang,
  v: { org: string; address: string; doctor: string; specialty: string; cabinet: string; when: string; queue: number; code: string; barcode: string; status: string },
): Html {
  return layout(
    lang,
    t(lang, 'ticket'),
    html`<p class="noprint"><a href="/p/home">← ${t(lang, 'back')}</a></p>
<div class="ticket" data-testid="ticket"><h1>${t(lang, 'ticket')}</h1><p>${v.org}<br><span class="muted">${v.address}</span></p>
<p class="muted">${t(lang, 'queue')}</p><p class="queue">${v.queue}</p>
<dl><dt>${t(lang, 'when')}</dt><dd>${v.when}</dd><dt>${t(lang, 'doctor')}</dt><dd>${v.doctor}</dd><dt>${t(lang, 'specialty')}</dt><dd>${v.specialty}</dd><dt>${t(lang, 'cabinet')}</dt><dd>${v.cabinet}</dd></dl>
${raw(v.barcode)}<p class="code" data-testid="ticket-code">${v.code}</p><p>${v.status}</p></div>
<p class="muted noprint">${t(lang, 'printHint')}</p>`,
    true,
  );
}
