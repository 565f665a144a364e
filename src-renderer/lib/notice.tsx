import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

type Kind = 'ok' | 'error' | 'warn';
const Ctx = createContext<(text: string, kind?: Kind) => void>(() => undefined);

/** One short message at a time, top right, gone after a few seconds (scan results, print results). */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<{ text: string; kind: Kind } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const notify = useCallback((text: string, kind: Kind = 'ok') => {
    setNotice({ text, kind });
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setNotice(null), 5000);
  }, []);
  return (
    <Ctx.Provider value={notify}>
      {children}
      {notice && (
        <div className={`notice ${notice.kind}`} role="status" data-testid="notice">
          {notice.text}
        </div>
      )}
    </Ctx.Provider>
  );
}

export const useNotify = () => useContext(Ctx);
