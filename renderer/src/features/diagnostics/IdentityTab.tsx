import { useState } from 'react';
import type { ErrorInfo, IdentityReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';

/** A unit's identity files read back and compared with the station's record. */
export function IdentityTab() {
  const [dir, setDir] = useState('');
  const [deviceTime, setDeviceTime] = useState('');
  const [report, setReport] = useState<IdentityReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const [unit, setUnit] = useState({
    path: '',
    transport: 'shell' as 'shell' | 'framed' | 'esp32',
    deviceDir: '',
  });
  const [reading, setReading] = useState(false);

  async function fromUnit() {
    setError(null);
    setReading(true);
    const r = await api.diagnostics.readUnitIdentity({
      path: unit.path.trim(),
      transport: unit.transport,
      ...(unit.deviceDir.trim() && unit.transport !== 'esp32' ? { deviceDir: unit.deviceDir.trim() } : {}),
    });
    setReading(false);
    if (r.ok) setReport(r.value);
    else {
      setReport(null);
      setError(r.error);
    }
  }

  async function inspect(request: Parameters<typeof api.diagnostics.inspectIdentity>[0]) {
    setError(null);
    const r = await api.diagnostics.inspectIdentity({
      ...request,
      ...(deviceTime.trim() ? { deviceTime: deviceTime.trim() } : {}),
    });
    if (r.ok) setReport(r.value);
    else {
      setReport(null);
      setError(r.error);
    }
  }

  async function fromFiles(files: File[]) {
    const text = async (name: string) => {
      const f = files.find((x) => x.name === name);
      return f ? await f.text() : undefined;
    };
    await inspect({
      deviceJson5: await text('device.json5'),
      provisionJson5: await text('provision.json5'),
      certificatePem: await text('ioto.crt'),
    });
  }

  return (
    <div className="identity-tab">
      <form
        className="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          void inspect({ dir: dir.trim() });
        }}
      >
        <label>
          <span>The unit's state or config folder</span>
          <input
            value={dir}
            spellCheck={false}
            placeholder="/media/usb/state"
            onChange={(e) => setDir(e.target.value)}
          />
        </label>
        <label>
          <span>Unit's time (optional, from `date -u`)</span>
          <input
            value={deviceTime}
            spellCheck={false}
            placeholder="2026-11-21T10:00:00Z"
            onChange={(e) => setDeviceTime(e.target.value)}
          />
        </label>
        <button type="submit" disabled={!dir.trim()}>
          Check identity
        </button>
      </form>
      <label className="file-pick">
        <span>Or pick device.json5, provision.json5 and ioto.crt</span>
        <input type="file" multiple onChange={(e) => void fromFiles([...(e.target.files ?? [])])} />
      </label>
      <form
        className="form inline unit-identity"
        onSubmit={(e) => {
          e.preventDefault();
          void fromUnit();
        }}
      >
        <label>
          <span>Or the unit on serial port</span>
          <input
            value={unit.path}
            spellCheck={false}
            placeholder="/dev/ttyUSB0"
            onChange={(e) => setUnit({ ...unit, path: e.target.value })}
          />
        </label>
        <label>
          <span>Over</span>
          <select
            aria-label="Identity transport"
            value={unit.transport}
            onChange={(e) => setUnit({ ...unit, transport: e.target.value as 'shell' | 'framed' | 'esp32' })}
          >
            <option value="shell">shell (Linux console)</option>
            <option value="framed">framed (microcontroller)</option>
            <option value="esp32">ESP32 over USB (storage partition)</option>
          </select>
        </label>
        <label hidden={unit.transport === 'esp32'}>
          <span>Device directory (optional)</span>
          <input
            value={unit.deviceDir}
            spellCheck={false}
            placeholder={unit.transport === 'shell' ? '/opt/ioto/state' : "the unit's root"}
            onChange={(e) => setUnit({ ...unit, deviceDir: e.target.value })}
          />
        </label>
        <button type="submit" disabled={!unit.path.trim() || reading}>
          {reading ? 'Reading the unit…' : 'Read identity from the unit'}
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {report ? <IdentityResult report={report} /> : null}
    </div>
  );
}

function IdentityResult({ report }: { report: IdentityReport }) {
  return (
    <div className="identity-result">
      <ul className="warnings" aria-label="Findings">
        {report.warnings.length === 0 ? <li className="pass">PASS: no problems found</li> : null}
        {report.warnings.map((w, i) => (
          <li key={i} className={w.severity === 'error' ? 'fail' : 'warn'}>
            {w.severity === 'error' ? 'FAIL' : 'WARNING'}: {w.message}
          </li>
        ))}
      </ul>
      {report.comparison ? (
        <table className="comparison" aria-label="Station record">
          <thead>
            <tr>
              <th>Field</th>
              <th>Station record</th>
              <th>On the unit</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {report.comparison.map((r) => (
              <tr key={r.field} className={r.match === false ? 'mismatch' : undefined}>
                <td>{r.field}</td>
                <td>{r.station ?? '—'}</td>
                <td>{r.device ?? '—'}</td>
                <td>{r.match === null ? 'not known' : r.match ? 'same' : 'DIFFERENT'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.certificate ? (
        <dl className="cert">
          <dt>Subject</dt>
          <dd>{report.certificate.subject}</dd>
          <dt>Issuer</dt>
          <dd>{report.certificate.issuer}</dd>
          <dt>Valid</dt>
          <dd>
            {report.certificate.validFrom.slice(0, 10)} to {report.certificate.validTo.slice(0, 10)} (
            {report.certificate.daysLeft} days left)
          </dd>
          <dt>SHA-256</dt>
          <dd className="mono">{report.certificate.fingerprint256}</dd>
        </dl>
      ) : null}
      {report.clockSkewMs !== null ? (
        <p>Clock skew: {Math.round(report.clockSkewMs / 1000)} s (unit minus station)</p>
      ) : null}
      <details>
        <summary>device.json5 and provision.json5</summary>
        <pre>{JSON.stringify({ device: report.device, provision: report.provision }, null, 2)}</pre>
      </details>
    </div>
  );
}
