import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../shared/meetings';
import { api } from './api/http';
import { session, useSession } from './api/session';
import { type languages, setLanguage } from './i18n';
import { BridgePointPage } from './pages/BridgePointPage';
import { ChairPage } from './pages/ChairPage';
import { AdminPage } from './pages/AdminPage';
import { LoginPage } from './pages/LoginPage';
import { MeetingsPage } from './pages/MeetingsPage';
import { PasswordPage } from './pages/PasswordPage';
import { WallPage } from './pages/WallPage';
import { CountersPage } from './counters/CountersPage';

/** Each role's pages; the first is where it lands after signing in. */
const pagesByRole: Record<Role, string[]> = {
  BRIDGE_POINT: ['/site', '/account'],
  CHAIR: ['/chair', '/meetings', '/reports', '/account'],
  SECRETARIAT: ['/reports', '/meetings', '/counters', '/account'],
  ADMIN: ['/admin', '/meetings', '/reports', '/wall', '/counters', '/account'],
  SUPERVISOR: ['/wall', '/counters', '/account'],
};

// The charting library is only loaded by the reports page.
const ReportsPage = lazy(() => import('./pages/ReportsPage').then((m) => ({ default: m.ReportsPage })));

const pages: Record<string, React.ComponentType> = {
  '/site': BridgePointPage,
  '/chair': ChairPage,
  '/reports': ReportsPage,
  '/wall': WallPage,
  '/counters': CountersPage,
  '/admin': AdminPage,
  '/meetings': MeetingsPage,
  '/account': PasswordPage,
};

export function App() {
  const { t, i18n } = useTranslation();
  const signedIn = useSession();
  useEffect(() => {
    session.load().catch(() => session.set(null));
  }, []);
  const allowed = signedIn ? pagesByRole[signedIn.user.role] : [];
  const path = window.location.pathname;
  const Page =
    signedIn === undefined
      ? Loading
      : !signedIn
        ? LoginPage
        : signedIn.user.mustChangePassword
          ? PasswordPage
          : allowed.includes(path)
            ? pages[path]!
            : allowed[0]
              ? pages[allowed[0]]!
              : NoPage;

  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        <nav>
          {allowed.length > 1 &&
            allowed.map((p) => (
              <a key={p} href={p} aria-current={p === path ? 'page' : undefined}>
                {t(`nav.${p.slice(1)}`)}
              </a>
            ))}
        </nav>
        <div className="header-right">
          {signedIn && (
            <>
              <span data-testid="signed-in-as">{signedIn.user.displayName}</span>
              <button
                type="button"
                onClick={() => {
                  // signed out here even when the server cannot be told (its session then just expires)
                  const signOut = () => session.set(null);
                  api.post('/api/auth/logout').then(signOut, signOut);
                }}
              >
                {t('login.logout')}
              </button>
            </>
          )}
          <label>
            {t('app.language')}{' '}
            <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as (typeof languages)[number])}>
              <option value="vi">Tiếng Việt</option>
              <option value="en">English</option>
            </select>
          </label>
        </div>
      </header>
      <Suspense>
        <Page />
      </Suspense>
    </div>
  );
}

function Loading() {
  return <main className="page" aria-busy="true" />;
}

function NoPage() {
  const { t } = useTranslation();
  return <main className="page">{t('app.noPage')}</main>;
}
