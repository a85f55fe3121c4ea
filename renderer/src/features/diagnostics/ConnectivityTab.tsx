import { useState } from 'react';
import type { ConnectivityReport, ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';

/** From this station: is the broker there, and does it accept the unit's certificate? */
export function ConnectivityTab() {
  const [form, setForm] = useState({ url: '', certPath: '', keyPath: '', caPath: '' });
  const [report, setReport] = useState<ConnectivityReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const optional = (v: string) => (v.trim() ? v.trim() : undefined);

  async function run() {
    setBusy(true);
    setError(null);
    const r = await api.checkConnectivity({
      url: form.url.trim(),
      certPath: optional(form.certPath),
      keyPath: optional(form.keyPath),
      caPath: optional(form.caPath),
    });
    setBusy(false);
    if (r.ok) setReport(r.value);
    else setError(r.error);
  }

  const field = (key: keyof typeof form, label: string, placeholder = '') => (
    <label>
      <span>{label}</span>
      <input
        value={form[key]}
        spellCheck={false}
        placeholder={placeholder}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </label>
  );

  return (
    <div className="connectivity-tab">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        {field('url', 'Broker URL', 'mqtts://broker.local:8883')}
        {field('certPath', "Unit's certificate (path)", '/media/usb/state/certs/ioto.crt')}
        {field('keyPath', "Unit's key (path)", '/media/usb/state/certs/ioto.key')}
        {field('caPath', 'CA certificate (path, optional)')}
        <button type="submit" disabled={!form.url.trim() || busy}>
          {busy ? 'Checking…' : 'Run checks'}
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {report ? (
        <ul className="checks" aria-label="Checks">
          {report.checks.map((c) => (
            <li key={c.name} className={c.ok ? 'pass' : 'fail'}>
              <strong>{c.ok ? 'PASS' : 'FAIL'}</strong> {c.name}: {c.message}{' '}
              <span className="muted">({Math.round(c.ms)} ms)</span>
              {c.detail ? (
                <details>
                  <summary>Technical detail</summary>
                  <pre>{c.detail}</pre>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
