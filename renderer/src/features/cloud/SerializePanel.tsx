import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { ProductTokens } from './ProductTokens';

/** The serialization service: off by default; on, devices in factory mode ask it for their ID. */
export function SerializePanel() {
  const status = useOperation(() => api.serialize.getStatus(), []);
  const tokens = useOperation(() => api.cloud.listProductTokens(), []);
  const [orderId, setOrderId] = useState('');
  const [productRef, setProductRef] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [path, setPath] = useState('');
  const [allow, setAllow] = useState('');
  const [printLabels, setPrintLabels] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const { reload } = status;
  useEffect(() => api.on('serializeAnswered', () => reload()), [reload]);
  useEffect(() => {
    const v = status.value?.settings;
    if (!v) return;
    setHost((h) => h || v.host);
    setPort((p) => p || String(v.port));
    setPath((p) => p || v.path);
    setAllow((a) => a || v.allow.join(', '));
    setPrintLabels(v.printLabels);
  }, [status.value]);

  const s = status.value;
  // Empty order and product: the active order and its profile's product token.
  const ref = productRef;

  async function start(e: React.FormEvent) {
    e.preventDefault();
    const result = await api.serialize.start({
      ...(orderId.trim() ? { orderId: orderId.trim() } : {}),
      ...(ref ? { productRef: ref } : {}),
      printLabels,
      host,
      port: Number(port),
      path,
      allow: allow
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    });
    setError(result.ok ? null : result.error);
    reload();
  }

  async function stop() {
    const result = await api.serialize.stop();
    setError(result.ok ? null : result.error);
    reload();
  }

  return (
    <section aria-labelledby="serialize-title">
      <h2 id="serialize-title">Serialization service</h2>
      <p className={`sender-state ${s?.running ? 'on' : 'off'}`} role="status" data-testid="serialize-state">
        {s?.running ? `On at ${s.url} for order ${s.orderId}` : 'Off'}
      </p>
      {status.error ? <ErrorNote error={status.error} /> : null}
      {error ? <ErrorNote error={error} /> : null}
      {s?.running ? (
        <button onClick={() => void stop()}>Stop the service</button>
      ) : (
        <form className="form" onSubmit={(e) => void start(e)} aria-label="Start the serialization service">
          <label>
            <span>Work order</span>
            <input
              value={orderId}
              onChange={(e) => setOrderId(e.target.value)}
              placeholder="the active order"
            />
          </label>
          <label>
            <span>Product token</span>
            <select value={ref} onChange={(e) => setProductRef(e.target.value)}>
              <option value="">the order&apos;s profile</option>
              {tokens.value?.map((t) => (
                <option key={t.ref} value={t.ref}>
                  {t.label} ({t.fingerprint})
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Address</span>
            <input value={host} onChange={(e) => setHost(e.target.value)} size={12} />
          </label>
          <label>
            <span>Port</span>
            <input value={port} onChange={(e) => setPort(e.target.value)} size={6} inputMode="numeric" />
          </label>
          <label>
            <span>Path</span>
            <input value={path} onChange={(e) => setPath(e.target.value)} size={10} />
          </label>
          <label>
            <span>Allowed networks</span>
            <input value={allow} onChange={(e) => setAllow(e.target.value)} size={22} />
          </label>
          <label className="check">
            <input type="checkbox" checked={printLabels} onChange={(e) => setPrintLabels(e.target.checked)} />
            <span>Print each issued ID&apos;s label</span>
          </label>
          <button type="submit" className="primary">
            Start the service
          </button>
        </form>
      )}
      <ProductTokens tokens={tokens.value ?? []} onStored={tokens.reload} />
      {s && s.wrongProduct.length > 0 ? (
        <>
          <h3>Devices with the wrong product token</h3>
          <p className="fail-text">
            These units keep asking (every 2 s, forever) with another product token than the order&apos;s: fix
            their device.json5 or serve the order they belong to.
          </p>
          <table className="units" aria-label="Devices with the wrong product token">
            <thead>
              <tr>
                <th>From</th>
                <th>Device</th>
                <th>Refused</th>
                <th>Last asked</th>
              </tr>
            </thead>
            <tbody>
              {s.wrongProduct.map((d) => (
                <tr key={`${d.remote} ${d.name ?? ''} ${d.model ?? ''}`}>
                  <td className="mono">{d.remote}</td>
                  <td>{[d.name, d.model].filter(Boolean).join(' · ') || '-'}</td>
                  <td>{d.count}</td>
                  <td>{new Date(d.lastAt).toLocaleTimeString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h3>Last requests</h3>
      {s && s.lastRequests.length === 0 ? <p className="empty">No device has asked yet.</p> : null}
      {s && s.lastRequests.length > 0 ? (
        <table className="units" aria-label="Last serialization requests">
          <thead>
            <tr>
              <th>Time</th>
              <th>From</th>
              <th>Answer</th>
              <th>Request</th>
            </tr>
          </thead>
          <tbody>
            {s.lastRequests.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.at).toLocaleTimeString()}</td>
                <td className="mono">{r.remote}</td>
                <td>
                  {r.claimId ? (
                    <span className="claim-id">{r.claimId}</span>
                  ) : (
                    <>
                      <span className="state state-failed">{r.status}</span>{' '}
                      <span className="fail-text">{r.reason}</span>
                    </>
                  )}
                </td>
                <td className="mono request-body">{r.body}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
