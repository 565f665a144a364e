import './hall.css';
import type { HallCall, HallState } from '../../src-shared/hall/calls.js';
import { hallLabel } from '../../src-shared/i18n/hall.js';

/**
 * The hall's queue screen (issue 21 part 2): a page any PC or TV browser on the clinic's LAN opens from the registry's
 * desk (`/hall`, or `/hall?cabinets=101,102` for one floor). Plain DOM, no framework: TV browsers are slow. It draws
 * whatever state the desk sends (Server-Sent Events, which reconnect by themselves) and says each new call aloud.
 */
const root = document.getElementById('hall')!;
const cabinets = new URLSearchParams(location.search).get('cabinets');
const query = cabinets ? `?cabinets=${encodeURIComponent(cabinets)}` : '';

/** Calls already on screen when it (re)connected are not announced again; only those made since. */
const announced = new Set<string>();
let first = true;
const sayQueue: string[] = [];
let speaking = false;
let soundBlocked = false;
let state: HallState | null = null;
let connected = false;
/** The desk's clock less this browser's: the screen shows the clinic's time even on a TV whose clock is wrong. */
let clockOffset = 0;

const el = (tag: string, cls: string, text?: string): HTMLElement => {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

function draw(): void {
  if (!state) return;
  const langs = state.voices;
  const label = (k: Parameters<typeof hallLabel>[1]) => hallLabel(langs, k);
  const page = el('div', 'hall-page');
  const head = el('header', 'hall-head');
  const clock = new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: state.timezone }).format(Date.now() + clockOffset);
  head.append(el('span', 'hall-org', state.organization), el('span', 'hall-clock', clock));
  page.append(head);
  if (!connected) page.append(el('p', 'hall-lost', label('lost')));
  if (soundBlocked) {
    const b = el('button', 'hall-sound', label('sound'));
    b.onclick = () => {
      soundBlocked = false;
      draw();
      void speakNext();
    };
    page.append(b);
  }
  const main = el('main', 'hall-main');
  const calls = el('section', 'hall-calls');
  calls.append(el('h1', '', label('called')));
  if (state.calls.length === 0) calls.append(el('p', 'hall-none', label('none')));
  state.calls.forEach((c: HallCall, i) => {
    const row = el('div', i === 0 ? 'hall-call hall-latest' : 'hall-call');
    row.dataset.testid = 'hall-call';
    row.dataset.id = c.id;
    const cab = el('span', 'hall-cabinet');
    cab.append(el('small', '', label('cabinet')), el('span', 'hall-cabinet-no', c.cabinet));
    row.append(el('span', 'hall-number', String(c.queueNumber)), el('span', 'hall-arrow', '→'), cab);
    calls.append(row);
  });
  const side = el('section', 'hall-side');
  side.append(el('h2', '', label('next')));
  for (const w of state.waiting) {
    const row = el('div', 'hall-waiting');
    row.append(el('span', 'hall-cab', w.cabinet), el('span', 'hall-numbers', w.queueNumbers.slice(0, 6).join('  ')));
    side.append(row);
  }
  if (state.liveQueue.length > 0) {
    side.append(el('h2', 'hall-live-title', label('liveQueue')));
    const row = el('div', 'hall-live');
    row.dataset.testid = 'hall-live';
    row.textContent = state.liveQueue.map((l) => `${l.queueNumber} (${l.cabinet})`).join('  ');
    side.append(row);
  }
  main.append(calls, side);
  page.append(main);
  root.replaceChildren(page);
}

/** Each new call in each of the screen's languages, one after another, never two at once. */
async function speakNext(): Promise<void> {
  if (speaking || soundBlocked) return;
  const src = sayQueue[0];
  if (!src) return;
  speaking = true;
  const audio = new Audio(src);
  try {
    await audio.play();
    await new Promise<void>((done) => {
      audio.onended = () => done();
      audio.onerror = () => done();
    });
    sayQueue.shift();
    document.body.dataset.spoken = `${document.body.dataset.spoken ?? ''} ${src}`.trim();
  } catch {
    // The browser wants a touch before it plays sound (a TV's autoplay rule): ask for one, keep the queue.
    soundBlocked = true;
    draw();
  } finally {
    speaking = false;
  }
  void speakNext();
}

function receive(next: HallState): void {
  state = next;
  clockOffset = next.now - Date.now();
  for (const c of [...next.calls].reverse()) {
    if (announced.has(`${c.id}`)) continue;
    announced.add(c.id);
    if (!first) for (const lang of next.voices) sayQueue.push(`/hall/voice/${c.id}/${lang}.wav`);
  }
  first = false;
  draw();
  void speakNext();
}

const events = new EventSource(`/hall/events${query}`);
events.onopen = () => {
  connected = true;
  draw();
};
events.onmessage = (e: MessageEvent<string>) => {
  connected = true;
  receive(JSON.parse(e.data) as HallState);
};
events.onerror = () => {
  connected = false;
  draw();
};
// The clock in the corner.
setInterval(draw, 15_000);
