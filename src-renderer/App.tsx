import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import type { Session } from '../src-shared/rpc/views.js';
import { StatusBar } from './components/StatusBar.js';
import { call, onSessionLost, setToken } from './lib/rpc.js';
import { useI18n } from './lib/i18n.js';
import { DeskScreen } from './screens/DeskScreen.js';
import { RegisterScreen } from './screens/RegisterScreen.js';
import { SignInScreen } from './screens/SignInScreen.js';
import { TodayScreen } from './screens/TodayScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { CallListScreen } from './screens/CallListScreen.js';
import { WaitingListScreen } from './screens/WaitingListScreen.js';
import { ScheduleScreen } from './screens/ScheduleScreen.js';
import { StaffScreen } from './screens/StaffScreen.js';
import { PasswordForm } from './components/PasswordForm.js';
import { SetupWizard } from './screens/SetupWizard.js';
import { useNotify } from './lib/notice.js';
import { useScanCheckIn } from './lib/scan-check-in.js';
import { qk } from './lib/query-keys.js';
import { useDeskChanges } from './lib/desk-changes.js';
import { KioskApp } from './kiosk/KioskApp.js';

/** The reports bring a charting library the desk's own screens do not need: loaded when first opened. */
const ReportsScreen = lazy(() => import('./screens/ReportsScreen.js').then((m) => ({ default: m.ReportsScreen })));

type Tab = 'desk' | 'today' | 'register' | 'settings' | 'calls' | 'waiting' | 'schedule' | 'staff' | 'reports';

export function App() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session | null>(null);
  const [tab, setTab] = useState<Tab>('desk');
  const [ended, setEnded] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  const [kioskLeft, setKioskLeft] = useState(false);
  const notify = useNotify();
  const qc = useQueryClient();
  // Signed out, or the desk forgot the session (restarted): back to sign-in, and the next user starts on F1.
  const leave = (sessionEnded: boolean) => {
    setToken(null);
    qc.clear();
    setSession(null);
    // At a kiosk the administrator's sign-out is the way back to the kiosk's screen.
    setKioskLeft(false);
    setTab('desk');
    setEnded(sessionEnded);
  };
  useEffect(() => onSessionLost(() => leave(true)));
  const directory = useQuery({ queryKey: qk.directory(), queryFn: () => call('directory.get', {}), enabled: session !== null && !session.mustChangePassword, staleTime: Infinity });

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

  useScanCheckIn(session !== null && !session.mustChangePassword);
  // Lists load again when the desk says their data changed, not on timers.
  useDeskChanges(session !== null && !session.mustChangePassword);
  // A fresh desk first asks for its clinic (the first-run wizard); a set-up one answers "ready" at once.
  const setup = useQuery({ queryKey: qk.setup(), queryFn: () => call('setup.status', {}), staleTime: Infinity, enabled: session === null });

  // A kiosk (issue 21) opens its own screen with no one signing in — on its own PC only; the administrator leaves it.
  const kiosk = useQuery({ queryKey: ['kiosk', 'start'], queryFn: () => call('kiosk.start', {}).catch(() => null), staleTime: Infinity, enabled: session === null && !kioskLeft });
  // Nothing until both answered: a sign-in form shown first and then swapped for the kiosk's screen (or the wizard)
  // would lose what someone had begun to type in it.
  if (!session && (setup.isPending || (kiosk.isPending && !kioskLeft))) return null;
  if (!session && setup.data && setup.data.state !== 'ready') return <SetupWizard initial={setup.data} onReady={() => void setup.refetch()} />;
  if (!session && kiosk.data && !kioskLeft) {
    setToken(kiosk.data.token);
    const leaveKiosk = () => {
      setToken(null);
      setKioskLeft(true);
    };
    return <KioskApp onAdmin={leaveKiosk} />;
  }
  if (!session)
    return (
      <SignInScreen
        sessionEnded={ended}
        onSignedIn={(s) => {
          setToken(s.token);
          setSession(s);
          setEnded(false);
          // The wizard's last step: the administrator's first sign-in on a desk without a printer goes to the printer.
          if (s.user.role === 'admin' && !s.mustChangePassword)
            void call('printer.status', {}).then((p) => {
              if (!p.configured) {
                setTab('settings');
                notify(t('ui.setupChoosePrinter'));
              }
            });
        }}
      />
    );

  const signOut = async () => {
    await call('auth.signOut', {}).catch(() => undefined);
    leave(false);
  };
  // A temporary password from the administrator: the person's own first, nothing else until then.
  if (session.mustChangePassword)
    return (
      <div className="signin">
        <div className="card signin-card" data-testid="must-change-password">
          <h1>{t('ui.mustChangeTitle')}</h1>
          <p className="muted">{t('ui.mustChangeText')}</p>
          <PasswordForm
            onDone={() => {
              notify(t('ui.passwordChanged'));
              setSession({ ...session, mustChangePassword: false });
            }}
            onCancel={signOut}
          />
        </div>
      </div>
    );
  const canSeeRegister = session.user.role !== 'doctor';
  // The clinic's own management: the head of registry and the administrator (004 §3.4.3).
  const manages = session.user.role === 'head' || session.user.role === 'admin';

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
          <button type="button" className={tab === 'waiting' ? 'tab active' : 'tab'} onClick={() => setTab('waiting')} data-testid="tab-waiting">
            {t('waiting.tab')}
          </button>
          {manages && (
            <button type="button" className={tab === 'schedule' ? 'tab active' : 'tab'} onClick={() => setTab('schedule')} data-testid="tab-schedule">
              {t('ui.schedule')}
            </button>
          )}
          {manages && (
            <button type="button" className={tab === 'reports' ? 'tab active' : 'tab'} onClick={() => setTab('reports')} data-testid="tab-reports">
              {t('ui.reports')}
            </button>
          )}
          {session.user.role === 'admin' && (
            <button type="button" className={tab === 'staff' ? 'tab active' : 'tab'} onClick={() => setTab('staff')} data-testid="tab-staff">
              {t('ui.staff')}
            </button>
          )}
        </nav>
        <span className="org">{directory.data?.organization.name}</span>
        {/* The administrator came from a kiosk's screen: signing out goes back to it; this closes the kiosk's window. */}
        {kioskLeft && session.user.role === 'admin' && (
          <button type="button" className="tab" onClick={() => void call('kiosk.exit', {})} data-testid="kiosk-exit">
            {t('kiosk.exit')}
          </button>
        )}
      </header>
      <main className="content">
        {/* The desk stays mounted behind the other screens: a booking half done survives a look at F2 or F3. */}
        {directory.data && (
          <div className="screen" hidden={tab !== 'desk'}>
            <DeskScreen directory={directory.data} role={session.user.role} ownDoctorId={session.user.doctorId} active={tab === 'desk'} />
          </div>
        )}
        {!directory.data ? (
          <p className="muted pad">{t('ui.loading')}</p>
        ) : tab === 'desk' ? null : tab === 'today' ? (
          <TodayScreen directory={directory.data} defaultDoctorId={session.user.doctorId} />
        ) : tab === 'register' ? (
          <RegisterScreen directory={directory.data} />
        ) : tab === 'calls' ? (
          <CallListScreen directory={directory.data} />
        ) : tab === 'waiting' ? (
          <WaitingListScreen directory={directory.data} />
        ) : tab === 'schedule' ? (
          <ScheduleScreen directory={directory.data} />
        ) : tab === 'reports' ? (
          <Suspense fallback={<p className="muted pad">{t('ui.loading')}</p>}>
            <ReportsScreen directory={directory.data} />
          </Suspense>
        ) : tab === 'staff' ? (
          <StaffScreen directory={directory.data} />
        ) : (
          <SettingsScreen />
        )}
      </main>
      <StatusBar
        // A doctor's account is named by its doctor (a cabinet PC's own account is just «Врач» until then).
        user={(session.user.doctorId && directory.data?.doctors.find((d) => d.id === session.user.doctorId)?.fullName) || session.user.fullName}
        isAdmin={session.user.role === 'admin'}
        devicePrefix={directory.data?.device.prefix ?? ''}
        timezone={directory.data?.organization.timezone ?? 'Asia/Bishkek'}
        onSignOut={signOut}
        onChangePassword={() => setChangingPassword(true)}
      />
      {changingPassword && (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-label={t('ui.changePassword')}>
            <h3>{t('ui.changePassword')}</h3>
            <PasswordForm
              onDone={() => {
                setChangingPassword(false);
                notify(t('ui.passwordChanged'));
              }}
              onCancel={() => setChangingPassword(false)}
            />
          </div>
        </div>
      )}
    </div>
  );
}
