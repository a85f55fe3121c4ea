import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import type { ErrorInfo } from '../../../../electron/shared/contract';
import { PortsSection } from './PortsSection';
import { CaPanel } from './CaPanel';
import { LinePanel } from '../line/LinePanel';

/** The station's identity (recorded with every event) and what this installation is. */
export function SettingsScreen() {
  const info = useOperation(() => api.getAppInfo(), []);
  const settings = useOperation(() => api.getStationSettings(), []);
  const [stationName, setStationName] = useState('');
  const [operator, setOperator] = useState('');
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (settings.value) {
      setStationName(settings.value.stationName);
      setOperator(settings.value.operator);
    }
  }, [settings.value]);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setSaved(false);
    const result = await api.updateStationSettings({ stationName, operator });
    setSaveError(result.ok ? null : result.error);
    setSaved(result.ok);
  }

  const i = info.value;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <h2>Station</h2>
      <form onSubmit={save} className="form">
        <label>
          <span>Station name</span>
          <input value={stationName} onChange={(e) => setStationName(e.target.value)} />
        </label>
        <label>
          <span>Operator</span>
          <input value={operator} onChange={(e) => setOperator(e.target.value)} />
        </label>
        <button type="submit">Save</button>
        {saved ? <span role="status">Saved.</span> : null}
      </form>
      {saveError ? <ErrorNote error={saveError} /> : null}
      {settings.error ? <ErrorNote error={settings.error} /> : null}

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
