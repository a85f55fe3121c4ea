import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { StationScreen } from './features/station/StationScreen';
import { LineBadge } from './features/line/LineBadge';
import { LineScreen } from './features/line/LineScreen';
import { firstScreen, screens, type ScreenId } from './nav';

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
};

function screenFromHash(): ScreenId {
  const id = window.location.hash.replace(/^#\/?/, '') as ScreenId;
  return screens.some((s) => s.id === id && s.enabled) ? id : firstScreen;
}

export function App() {
  const [current, setCurrent] = useState<ScreenId>(screenFromHash);

  useEffect(() => {
    const onHash = () => setCurrent(screenFromHash());
    // Alt+1..9 jumps to a screen from anywhere, so gloved hands never need the mouse.
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const entry = screens[Number(e.key) - 1];
      if (entry?.enabled) {
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
  }, []);

  return (
    <div className="shell">
      <nav className="nav" aria-label="Screens">
        <div className="brand">Lineside</div>
        <LineBadge />
        <ul>
          {screens.map((s, i) => (
            <li key={s.id}>
              {s.enabled ? (
                <a
                  href={`#/${s.id}`}
                  aria-current={s.id === current ? 'page' : undefined}
                  aria-keyshortcuts={`Alt+${i + 1}`}
                >
                  <span className="key">{i + 1}</span> {s.label}
                </a>
              ) : (
                <span className="disabled" aria-disabled="true" title="Not available in this version yet">
                  <span className="key">{i + 1}</span> {s.label}
                </span>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <main className="screen">
        <Suspense fallback={<p className="muted">Loading…</p>}>{views[current]?.()}</Suspense>
      </main>
    </div>
  );
}
