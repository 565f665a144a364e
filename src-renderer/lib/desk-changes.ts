import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { changeNotice, TOPICS } from '../../src-shared/rpc/changes.js';
import { invalidate } from './query-keys.js';
import { currentToken, sessionGone } from './rpc.js';

/**
 * The desk tells this window what changed — its own other windows' writes, the LAN PCs it serves, what the sync
 * brought from other desks, the printer — and the lists showing it load again at once (issue 23 finding 12); no
 * screen asks again on a timer. Electron hears the notices over IPC; a browser keeps `POST /events` open and reads its
 * NDJSON lines, reconnecting after a break (the desk restarted, the LAN PC's cable) — and on every (re)connection
 * reloads everything, for what changed while it was not listening. A desk that no longer knows the session (restarted)
 * sends the window back to sign-in.
 */
export function useDeskChanges(signedIn: boolean): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (!signedIn) return;
    const heard = (raw: unknown) => {
      const n = changeNotice.safeParse(raw);
      if (n.success) invalidate(qc, n.data.topics);
    };
    if (window.kezek?.onChanges) {
      invalidate(qc, TOPICS);
      return window.kezek.onChanges(heard);
    }
    const stop = new AbortController();
    void listen(stop.signal, heard, () => invalidate(qc, TOPICS));
    return () => stop.abort();
  }, [signedIn, qc]);
}

async function listen(signal: AbortSignal, heard: (n: unknown) => void, connected: () => void): Promise<void> {
  let wait = 500;
  while (!signal.aborted) {
    try {
      const token = currentToken();
      const res = await fetch('./events', { method: 'POST', signal, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: '{}' });
      // The desk restarted (sessions live in its memory) or the session ended: the window goes back to sign-in
      // at once, as a call would find out — nothing else may ask the desk for a long while.
      if (res.status === 401) return sessionGone();
      if (res.ok && res.body) {
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let rest = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          rest += value;
          const lines = rest.split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) {
            if (line.trim() === '') continue;
            const msg = JSON.parse(line) as { ready?: boolean };
            if (msg.ready) {
              wait = 500;
              connected();
            } else heard(msg);
          }
        }
      }
    } catch {
      // The desk is away (restarting) or the window is closing: try again below, unless it is closing.
    }
    if (signal.aborted) return;
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 15_000);
  }
}
