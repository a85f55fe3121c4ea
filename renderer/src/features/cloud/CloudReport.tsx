import { useEffect, useState } from 'react';
import type { CloudReconciliationReport, ErrorInfo, Result } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';

const SHOWN = 200;

/** One order's units as registered / claimed / rejected (with reason) / pending, with export. */
export function CloudReport({ orders }: { orders: string[] }) {
  const [orderId, setOrderId] = useState('');
  const [exportError, setExportError] = useState<ErrorInfo | null>(null);
  const chosen = orderId || orders[0] || '';
  const report = useOperation<CloudReconciliationReport | null>(
    (): Promise<Result<CloudReconciliationReport | null>> =>
      chosen ? api.cloud.getReport({ orderId: chosen }) : Promise.resolve({ ok: true, value: null }),
    [chosen],
  );
  const { reload } = report;
  useEffect(() => api.on('cloudChanged', () => reload()), [reload]);

  async function download(format: 'csv' | 'json') {
    const result = await api.cloud.exportReport({ orderId: chosen, format });
    if (!result.ok) return setExportError(result.error);
    setExportError(null);
    const url = URL.createObjectURL(new Blob([result.value.content], { type: result.value.mimeType }));
    const a = document.createElement('a');
    a.href = url;
    a.download = result.value.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  const r = report.value;
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">Reconciliation report</h2>
      {orders.length === 0 ? <p className="empty">No unit has been queued for registration yet.</p> : null}
      {orders.length > 0 ? (
        <div className="form">
          <label>
            <span>Work order</span>
            <select value={chosen} onChange={(e) => setOrderId(e.target.value)}>
              {orders.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
          <button onClick={() => void download('csv')}>Export CSV</button>
          <button onClick={() => void download('json')}>Export JSON</button>
        </div>
      ) : null}
      {report.error ? <ErrorNote error={report.error} /> : null}
      {exportError ? <ErrorNote error={exportError} /> : null}
      {r ? (
        <>
          <p className="report-counts" data-testid="report-counts">
            {r.counts.registered} registered · {r.counts.claimed} claimed · {r.counts.rejected} rejected ·{' '}
            {r.counts.pending} pending
          </p>
          {r.needsProvisionFile.length > 0 ? (
            <p className="store-notice" role="note" data-testid="needs-provision">
              Pre-claimed units written without provision.json5 (the builder was not reachable then):{' '}
              {r.needsProvisionFile.join(', ')}. Rework each one (Rework unit, or lineside provision --rework
              ID) to add it.
            </p>
          ) : null}
          <div className="report-scroll">
            <table className="units" aria-label={`Report for ${r.orderId}`}>
              <thead>
                <tr>
                  <th>Claim ID</th>
                  <th>Status</th>
                  <th>Reason</th>
                  <th>Answered</th>
                </tr>
              </thead>
              <tbody>
                {r.units.slice(0, SHOWN).map((u) => (
                  <tr key={u.claimId}>
                    <td className="claim-id">{u.claimId}</td>
                    <td>
                      <span className={`state cloud-${u.status}`}>{u.status}</span>
                    </td>
                    <td>{u.reason ?? ''}</td>
                    <td className="nowrap">{u.answeredAt ? new Date(u.answeredAt).toLocaleString() : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.units.length > SHOWN ? (
            <p className="muted">
              Showing {SHOWN} of {r.units.length.toLocaleString()} units: export for the full list.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
