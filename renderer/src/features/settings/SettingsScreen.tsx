import { useState } from 'react';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import type { ErrorInfo, InputOf } from '../../../../electron/shared/contract';
import { updateStationSettingsRequest } from '../../../../electron/shared/contract/app';
import { FieldProblem } from '../../components/FieldProblem';
import { checkRequest, fieldAria, type FieldProblems } from '../../lib/validate';
import { PortsSection } from './PortsSection';
import { CaPanel } from './CaPanel';
import { PinSettings } from '../access/PinSettings';
import { applyTheme, readTheme, type ThemeChoice } from '../../theme';
import { LinePanel } from '../line/LinePanel';

/** The station's identity (recorded with every event) and what this installation is. */
export function SettingsScreen() {
  const info = useOperation(() => api.app.getInfo(), []);
  const settings = useOperation(() => api.app.getStationSettings(), []);
  // What the user typed wins over a load that answers late: a field shows the stored value only
  // until it is edited, and Save sends only the fields that were edited.
  const [draft, setDraft] = useState<InputOf<'updateStationSettings'>>({});
  const [problems, setProblems] = useState<FieldProblems>({});
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);
  const stationName = draft.stationName ?? settings.value?.stationName ?? '';
  const operator = draft.operator ?? settings.value?.operator ?? '';
  const edit = (patch: typeof draft) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...patch }));
  };

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setSaved(false);
    const checked = checkRequest(updateStationSettingsRequest, draft);
    setProblems(checked.ok ? {} : checked.problems);
    if (!checked.ok) return;
    const result = await api.app.updateStationSettings(checked.request);
    setSaveError(result.ok ? null : result.error);
    setSaved(result.ok);
    if (result.ok) {
      setDraft({});
      settings.reload();
    }
  }

  const [theme, setTheme] = useState<ThemeChoice>(readTheme);
  const i = info.value;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <h2>Station</h2>
      <form onSubmit={save} className="form">
        <label>
          <span>Station name</span>
          <input
            value={stationName}
            onChange={(e) => edit({ stationName: e.target.value })}
            {...fieldAria(problems, 'stationName', 'station-settings')}
          />
        </label>
        <FieldProblem problems={problems} field="stationName" idPrefix="station-settings" />
        <label>
          <span>Operator</span>
          <input
            value={operator}
            onChange={(e) => edit({ operator: e.target.value })}
            {...fieldAria(problems, 'operator', 'station-settings')}
          />
        </label>
        <FieldProblem problems={problems} field="operator" idPrefix="station-settings" />
        <button type="submit">Save</button>
        {saved ? <span role="status">Saved.</span> : null}
      </form>
      {saveError ? <ErrorNote error={saveError} /> : null}
      {settings.error ? <ErrorNote error={settings.error} /> : null}

      <h2>Screen</h2>
      <label className="form">
        <span>Theme</span>
        <select
          value={theme}
          onChange={(e) => {
            const next = e.target.value as ThemeChoice;
            setTheme(next);
            applyTheme(next);
          }}
        >
          <option value="system">Same as the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>

      <PinSettings />
      <PortsSection />
      <CaPanel />
      <LinePanel />

      <h2>About</h2>
      {info.error ? <ErrorNote error={info.error} /> : null}
      {i ? (
        <dl className="about">
          <dt>Version</dt>
          <dd>Lineside {i.version}</dd>
          <dt>Transport</dt>
          <dd data-testid="transport">
            {i.transport === 'electron' ? 'Electron window (IPC)' : 'Browser mode (loopback bridge)'}
          </dd>
          <dt>Data directory</dt>
          <dd className="mono" data-testid="data-dir">
            {i.dataDir}
          </dd>
          <dt>Database</dt>
          <dd className="mono">
            {i.databaseFile} (schema {i.schemaVersion})
          </dd>
          <dt>Versions</dt>
          <dd>
            Node {i.versions.node} · SQLite {i.versions.sqlite}
            {i.versions.electron ? ` · Electron ${i.versions.electron}` : ''}
            {i.versions.chrome ? ` · Chromium ${i.versions.chrome}` : ''}
          </dd>
          <dt>Platform</dt>
          <dd>{i.platform}</dd>
        </dl>
      ) : null}
    </section>
  );
}
