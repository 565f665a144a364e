import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Session } from '../src-shared/rpc/views.js';
import { StatusBar } from './components/StatusBar.js';
import { call, setToken } from './lib/rpc.js';
import { useI18n } from './lib/i18n.js';
import { DeskScreen } from './screens/DeskScreen.js';
import { RegisterScreen } from './screens/RegisterScreen.js';
import { SignInScreen } from './screens/SignInScreen.js';
import { TodayScreen } from './screens/TodayScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { CallListScreen } from './screens/CallListScreen.js';
import { useScanCheckIn } from './lib/scan-check-in.js';

type Tab = 'desk' | 'today' | 'register' | 'settings' | 'calls';

export function App() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session | null>(null);
  const [tab, setTab] = useState<Tab>('desk');
  const qc = useQueryClient();
  const directory = useQuery({ queryKey: ['directory'], queryFn: () => call('directory.get', {}), enabled: session !== null, staleTime: Infinity });

  // F1–F3 switch screens from anywhere: the desk is keyboard-first.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tabs: Record<string, Tab> = { F1: 'desk', F2: 'today', F3: 'register', F4: 'settings', F5: 'calls' };
      if (tabs[e.key]) {
        e.preventDefault();
        setTab(tabs[e.key]!);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useScanCheckIn(session !== null);

  if (!session)
    return (
      <SignInScreen
        onSignedIn={(s) => {
          setToken(s.token);
          setSession(s);
        }}
      />
    );

  const signOut = async () => {
    await call('auth.signOut', {}).catch(() => undefined);
    setToken(null);
    qc.clear();
    setSession(null);
  };
  const canSeeRegister = session.user.role !== 'doctor';

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Кезек</span>
        <nav>
          <button type="button" className={tab === 'desk' ? 'tab active' : 'tab'} onClick={() => setTab('desk')}>
            F1 · {t('ui.desk')}
          </button>
          <button type="button" className={tab === 'today' ? 'tab active' : 'tab'} onClick={() => setTab('today')}>
            F2 · {t('ui.todayList')}
          </button>
          {canSeeRegister && (
            <button type="button" className={tab === 'register' ? 'tab active' : 'tab'} onClick={() => setTab('register')}>
              F3 · {t('ui.register')}
            </button>
          )}
          <button type="button" className={tab === 'settings' ? 'tab active' : 'tab'} onClick={() => setTab('settings')}>
            F4 · {t('ui.printer')}
          </button>
          <button type="button" className={tab === 'calls' ? 'tab active' : 'tab'} onClick={() => setTab('calls')}>
            F5 · {t('ui.callList')}
          </button>
        </nav>
        <span className="org">{directory.data?.organization.name}</span>
      </header>
      <main className="content">
        {!directory.data ? (
          <p className="muted pad">{t('ui.loading')}</p>
        ) : tab === 'desk' ? (
          <DeskScreen directory={directory.data} channel={session.user.role === 'doctor' ? 'doctor' : 'registry'} />
        ) : tab === 'today' ? (
          <TodayScreen directory={directory.data} defaultDoctorId={session.user.doctorId} />
        ) : tab === 'register' ? (
          <RegisterScreen directory={directory.data} />
        ) : tab === 'calls' ? (
          <CallListScreen directory={directory.data} />
        ) : (
          <SettingsScreen />
        )}
      </main>
      <StatusBar user={session.user.fullName} devicePrefix={directory.data?.device.prefix ?? ''} timezone={directory.data?.organization.timezone ?? 'Asia/Bishkek'} onSignOut={signOut} />
    </div>
  );
}
