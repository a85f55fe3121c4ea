import { useEffect, useState } from 'react';
import type { ErrorInfo, LineLeaseReport, LineReport, Result } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { ParetoChart, UnitsPerHourChart } from './charts';

const pct = (v: number | null) => (v === null ? '–' : `${v}%`);

/** The line's picture of one work order: every station and slot, yield, failures, IDs. */
export function LineScreen() {
  const status = useOperation(() => api.line.getStatus(), []);
  const [orderId, setOrderId] = useState('');
  const [actionError, setActionError] = useState<ErrorInfo | null>(null);
  const orders = status.value?.orders ?? [];
  const chosen = orderId || status.value?.activeOrder?.orderId || orders[0] || '';
  const report = useOperation<LineReport | null>(
    (): Promise<Result<LineReport | null>> =>
      chosen ? api.line.getReport({ orderId: chosen }) : Promise.resolve({ ok: true, value: null }),
    [chosen],
  );
  const leases = useOperation<LineLeaseReport[]>(
    (): Promise<Result<LineLeaseReport[]>> =>
      chosen ? api.line.listLeases({ orderId: chosen }) : Promise.resolve({ ok: true, value: [] }),
    [chosen],
  );
  const reloadAll = () => {
    report.reload();
    leases.reload();
  };
  const { reload: reloadReport } = report;
  const { reload: reloadLeases } = leases;
  useEffect(() => {
    // Other stations' units arrive on the line without an event here: look again every 10 s.
    const t = setInterval(() => {
      reloadReport();
      reloadLeases();
    }, 10_000);
    return () => clearInterval(t);
  }, [reloadReport, reloadLeases]);

  async function download(format: 'csv' | 'json') {
    const result = await api.line.exportReport({ orderId: chosen, format });
    if (!result.ok) return setActionError(result.error);
    setActionError(null);
    const url = URL.createObjectURL(new Blob([result.value.content], { type: result.value.mimeType }));
    const a = document.createElement('a');
    a.href = url;
    a.download = result.value.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function leaseAction(call: () => Promise<Result<LineLeaseReport>>) {
    const result = await call();
    setActionError(result.ok ? null : result.error);
    reloadAll();
  }

  const s = status.value;
  const r = report.value;
  return (
    <section aria-labelledby="line-title" className="line">
      <header className="screen-header">
        <h1 id="line-title">Line</h1>
        <button onClick={reloadAll} disabled={!chosen}>
          Refresh
        </button>
      </header>
      {status.error ? <ErrorNote error={status.error} /> : null}
      {s && s.state === 'standalone' ? (
        <p className="empty">
          This station works alone. Connect it to a line in Settings → Line to see every station here.
        </p>
      ) : null}
      {s && s.state !== 'standalone' && orders.length === 0 ? (
        <p className="empty">No work order on the line yet: create one in Work orders.</p>
      ) : null}
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
      {actionError ? <ErrorNote error={actionError} /> : null}
      {r ? <ReportView report={r} /> : null}
      {r ? (
        <Leases
          leases={leases.value ?? []}
          onReturn={(l) => void leaseAction(() => api.line.returnLease({ leaseId: l.leaseId }))}
          onVoid={(l) => void leaseAction(() => api.line.voidLease({ leaseId: l.leaseId }))}
        />
      ) : null}
    </section>
  );
}

function ReportView({ report: r }: { report: LineReport }) {
  const t = r.totals;
  return (
    <>
      <ul className="outbox-counts" aria-label="Line totals">
        <li data-testid="line-passed">
          <strong>{t.passed}</strong>
          <span>Passed</span>
        </li>
        <li data-testid="line-failed">
          <strong>{t.failed}</strong>
          <span>Failed</span>
        </li>
        <li data-testid="line-fpy">
          <strong>{pct(t.firstPassYield)}</strong>
          <span>First-pass yield</span>
        </li>
        <li data-testid="line-ids">
          <strong>
            {t.used}/{t.leased}
          </strong>
          <span>
            IDs used / leased ({t.left} left, {r.free} not leased)
          </span>
        </li>
      </ul>
      {t.conflicts > 0 ? (
        <p className="warning" role="alert">
          {t.conflicts} claim IDs were reported by a station they were not leased to: call the engineer.
        </p>
      ) : null}

      <h2>Stations and slots</h2>
      <table className="units" aria-label="Stations and slots">
        <thead>
          <tr>
            <th>Station</th>
            <th>Slot</th>
            <th>Passed</th>
            <th>Failed</th>
            <th>First-pass yield</th>
            <th>IDs leased</th>
            <th>Used</th>
            <th>Left</th>
          </tr>
        </thead>
        <tbody>
          {r.stations.flatMap((s) => [
            <tr key={s.stationId} className="station-row">
              <td>{s.stationName}</td>
              <td>all</td>
              <td>{s.passed}</td>
              <td>{s.failed}</td>
              <td>{pct(s.firstPassYield)}</td>
              <td>{s.leased}</td>
              <td>{s.used}</td>
              <td>{s.left}</td>
            </tr>,
            ...s.slots.map((slot) => (
              <tr key={`${s.stationId}-${slot.slot ?? 'none'}`}>
                <td></td>
                <td>{slot.slot ?? '–'}</td>
                <td>{slot.passed}</td>
                <td>{slot.failed}</td>
                <td>{pct(slot.firstPassYield)}</td>
                <td colSpan={3}></td>
              </tr>
            )),
          ])}
        </tbody>
      </table>

      <div className="line-charts">
        <figure>
          <figcaption>Units passed per hour</figcaption>
          {r.hours.length > 0 ? (
            <UnitsPerHourChart report={r} />
          ) : (
            <p className="empty">No unit passed yet.</p>
          )}
        </figure>
        <figure>
          <figcaption>Failure reasons (Pareto)</figcaption>
          {r.pareto.length > 0 ? <ParetoChart report={r} /> : <p className="empty">No unit failed.</p>}
        </figure>
      </div>
    </>
  );
}

function Leases({
  leases,
  onReturn,
  onVoid,
}: {
  leases: LineLeaseReport[];
  onReturn: (l: LineLeaseReport) => void;
  onVoid: (l: LineLeaseReport) => void;
}) {
  return (
    <>
      <h2>Leases</h2>
      {leases.length === 0 ? <p className="empty">No station has leased IDs of this order yet.</p> : null}
      {leases.length > 0 ? (
        <table className="units" aria-label="Leases">
          <thead>
            <tr>
              <th>Station</th>
              <th>Leased</th>
              <th>State</th>
              <th>IDs</th>
              <th>Used</th>
              <th>Left</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {leases.map((l) => (
              <tr key={l.leaseId}>
                <td>{l.stationName}</td>
                <td className="nowrap">{new Date(l.leasedAt).toLocaleString()}</td>
                <td>{l.state}</td>
                <td>{l.count}</td>
                <td>{l.used}</td>
                <td>{l.left}</td>
                <td>
                  {l.state === 'active' && l.left > 0 ? (
                    <>
                      <button
                        onClick={() => onReturn(l)}
                        title="The station is gone: put its unused IDs back in the pool"
                      >
                        Return
                      </button>{' '}
                      <button onClick={() => onVoid(l)} title="Nobody will ever use these IDs">
                        Void
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
