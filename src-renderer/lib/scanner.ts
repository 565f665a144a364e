import { useEffect, useRef } from 'react';
import { ticketCodeFromScan } from '../../src-shared/print/ticket-layout.js';

/**
 * A barcode scanner is a keyboard that types fast and ends with Enter. Outside
 * text fields, a burst of keys (under 50 ms apart) that reads as a ticket is a scan.
 * (In the search field the desk screen recognises ticket codes itself.)
 */
export function useScanner(onScan: (text: string) => void, accept: (text: string) => boolean = (text) => ticketCodeFromScan(text) !== null): void {
  const buf = useRef<{ text: string; last: number }>({ text: '', last: 0 });
  const handler = useRef(onScan);
  handler.current = onScan;
  const accepts = useRef(accept);
  accepts.current = accept;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      // When the key was pressed (the event's own stamp), not when this busy page got round to it: a scan on a
      // loaded old PC is still a burst.
      const now = e.timeStamp;
      const b = buf.current;
      if (now - b.last > 50) b.text = '';
      b.last = now;
      if (e.key === 'Enter') {
        if (accepts.current(b.text)) {
          e.preventDefault();
          e.stopPropagation();
          handler.current(b.text);
        }
        b.text = '';
      } else if (e.key.length === 1) {
        b.text += e.key;
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
