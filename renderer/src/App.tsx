import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { StationScreen } from './features/station/StationScreen';
import { useAccess } from './features/access/useAccess';
import { LineBadge } from './features/line/LineBadge';
import { firstScreen, screens, type ScreenEntry, type ScreenId } from './nav';

// Every screen but the station's is its own chunk, loaded the first time it is opened.
const named = <K extends string>(load: () => Promise<Record<K, () => ReactNode>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const OrdersScreen = named(() => import('./features/orders/OrdersScreen'), 'OrdersScreen');
const DevicesScreen = named(() => import('./features/devices/DevicesScreen'), 'DevicesScreen');
const ProfilesScreen = named(() => import('./features/profiles/ProfilesScreen'), 'ProfilesScreen');
const LabelsScreen = named(() => import('./features/labels/LabelsScreen'), 'LabelsScreen');
const DiagnosticsScreen = named(
  () => import('./features/diagnostics/DiagnosticsScreen'),
  'DiagnosticsScreen',
);
const CloudScreen = named(() => import('./features/cloud/CloudScreen'), 'CloudScreen');
const SettingsScreen = named(() => import('./features/settings/SettingsScreen'), 'SettingsScreen');
const ReportsScreen = named(() => import('./features/reports/ReportsScreen'), 'ReportsScreen');
// The Line screen draws with chart.js: its own chunk with the charts, like the shift report.
const LineScreen = named(() => import('./features/line/LineScreen'), 'LineScreen');

const views: Partial<Record<ScreenId, () => ReactNode>> = {
  orders: () => <OrdersScreen />,
  station: () => <StationScreen />,
  devices: () => <DevicesScreen />,
  profiles: () => <ProfilesScreen />,
  labels: () => <LabelsScreen />,
  diagnostics: () => <DiagnosticsScreen />,
  cloud: () => <CloudScreen />,
  line: () => <LineScreen />,
  settings: () => <SettingsScreen />,
  reports: () => <ReportsScreen />,
};

/** A locked station shows the technician the Station screen only: nothing there changes setup. */
const LOCKED_SCREENS: readonly ScreenId[] = ['station'];

function visibleScreens(locked: boolean): ScreenEntry[] {
  return locked ? screens.filter((s) => LOCKED_SCREENS.includes(s.id)) : screens;
}

function screenFromHash(locked = false): ScreenId {
  const id = window.location.hash.replace(/^#\/?/, '') as ScreenId;
  return visibleScreens(locked).some((s) => s.id === id) ? id : firstScreen;
}

export function App() {
  const { access } = useAccess();
  const locked = access?.locked ?? false;
  const [current, setCurrent] = useState<ScreenId>(() => screenFromHash());
  const shown = visibleScreens(locked);

  useEffect(() => {
    // A locked station rewrites a setup screen's address to the Station, so unlocking stays there.
    const follow = () => {
      const next = screenFromHash(locked);
      if (locked && window.location.hash !== `#/${next}`) window.history.replaceState(null, '', `#/${next}`);
      setCurrent(next);
    };
    follow();
    const onHash = follow;
    // Alt+1..9 and Alt+0 jump to a screen from anywhere, so gloved hands never need the mouse.
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      // Alt+0 is the tenth screen, as on a keyboard's number row.
      const entry = visibleScreens(locked)[e.key === '0' ? 9 : Number(e.key) - 1];
      if (entry) {
        e.preventDefault();
        window.location.hash = `/${entry.id}`;
      }
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, [locked]);

  return (
    <div className="shell">
      <nav className="nav" aria-label="Screens">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            L
          </span>
          <span className="nav-label">Lineside</span>
        </div>
        <LineBadge />
        <ul>
          {shown.map((s, i) => (
            <li key={s.id}>
              <a
                href={`#/${s.id}`}
                aria-current={s.id === current ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${i + 1}`}
                title={`${s.label} (Alt+${i + 1})`}
              >
                <span className="key">{i + 1}</span> <span className="nav-label">{s.label}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="screen">
        <Suspense fallback={<p className="muted">Loading…</p>}>
          {views[locked ? 'station' : current]?.()}
        </Suspense>
      </main>
    </div>
  );
}
