import { useState } from 'react';
import type { ConnectivityReport, ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { emptyPem, PemField, pemRequest, type PemValue } from './PemField';

/** From this station: is the broker there, and does it accept the unit's certificate? */
export function ConnectivityTab() {
  const [url, setUrl] = useState('');
  const [pems, setPems] = useState<{ cert: PemValue; key: PemValue; ca: PemValue }>({
    cert: emptyPem,
    key: emptyPem,
    ca: emptyPem,
  });
  const [report, setReport] = useState<ConnectivityReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    setError(null);
    const r = await api.diagnostics.checkConnectivity({
      url: url.trim(),
      ...pemRequest(pems.cert, 'certPath', 'certPem'),
      ...pemRequest(pems.key, 'keyPath', 'keyPem'),
      ...pemRequest(pems.ca, 'caPath', 'caPem'),
    });
    setBusy(false);
    if (r.ok) setReport(r.value);
    else setError(r.error);
  }

  return (
    <div className="connectivity-tab">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          <span>Broker URL</span>
          <input
            value={url}
            spellCheck={false}
            placeholder="mqtts://broker.local:8883"
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <PemField
          label="Unit's certificate"
          value={pems.cert}
          placeholder="/media/usb/state/certs/ioto.crt"
          onChange={(cert) => setPems({ ...pems, cert })}
        />
        <PemField
          label="Unit's key"
          value={pems.key}
          placeholder="/media/usb/state/certs/ioto.key"
          onChange={(key) => setPems({ ...pems, key })}
        />
        <PemField
          label="CA certificate (optional)"
          value={pems.ca}
          onChange={(ca) => setPems({ ...pems, ca })}
        />
        <button type="submit" disabled={!url.trim() || busy}>
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
