import { useEffect, useState } from 'react';
import type { ErrorInfo, ShiftReportRequest } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { ShiftReportView } from './ShiftReportView';

/** A datetime-local input's value (local time, minutes) for an ISO time, and back. */
const toLocal = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocal = (local: string) => new Date(local).toISOString();

function save(fileName: string, mimeType: string, content: string, encoding: 'utf8' | 'base64') {
  const data = encoding === 'base64' ? Uint8Array.from(atob(content), (c) => c.charCodeAt(0)) : content;
  const url = URL.createObjectURL(new Blob([data], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The shift report per station and order: the engineer's after-shift view, with exports. */
export function ReportsScreen() {
  const [request, setRequest] = useState<ShiftReportRequest>({});
  const report = useOperation(() => api.reports.getShift(request), [JSON.stringify(request)]);
  const { reload } = report;
  useEffect(() => api.on('unitsChanged', () => reload()), [reload]);
  const r = report.value;
  // Typed times only: untouched, the window keeps ending now (the inputs show where it is).
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [exportError, setExportError] = useState<ErrorInfo | null>(null);

  function apply(e: React.FormEvent) {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const station = String(data.get('station') ?? '');
    const orderId = String(data.get('order') ?? '');
    const step = Number(data.get('step') ?? 0);
    setRequest({
      ...(from ? { from: fromLocal(from) } : {}),
      ...(to ? { to: fromLocal(to) } : {}),
      ...(station ? { station } : {}),
      ...(orderId ? { orderId } : {}),
      ...(step ? { bucketMinutes: step } : {}),
    });
  }

  async function exportAs(format: 'csv' | 'json' | 'pdf') {
    const result = await api.reports.exportShift({ ...request, format });
    setExportError(result.ok ? null : result.error);
    if (result.ok)
      save(result.value.fileName, result.value.mimeType, result.value.content, result.value.encoding);
  }

  return (
    <section aria-labelledby="reports-title" className="reports">
      <header className="screen-header">
        <h1 id="reports-title">Shift report</h1>
        <p className="count">{r ? `${r.station ?? 'All stations'} · ${r.orderId ?? 'all orders'}` : ' '}</p>
      </header>
      <form className="form report-filters" onSubmit={apply} aria-label="Report filters">
        <label>
          <span>From</span>
          <input
            type="datetime-local"
            value={from ?? (r ? toLocal(r.from) : '')}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label>
          <span>To</span>
          <input
            type="datetime-local"
            value={to ?? (r ? toLocal(r.to) : '')}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        <label>
          <span>Station</span>
          <select name="station" defaultValue="">
            <option value="">All stations</option>
            {(r?.stations ?? []).map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Work order</span>
          <select name="order" defaultValue="">
            <option value="">All orders</option>
            {(r?.orders ?? []).map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Chart step</span>
          <select name="step" defaultValue="0">
            <option value="0">automatic</option>
            {[5, 15, 30, 60].map((m) => (
              <option key={m} value={m}>
                {m} minutes
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show report</button>
        <span className="export-buttons">
          <button type="button" onClick={() => void exportAs('csv')}>
            Export CSV
          </button>
          <button type="button" onClick={() => void exportAs('json')}>
            Export JSON
          </button>
          <button type="button" onClick={() => void exportAs('pdf')}>
            Export PDF
          </button>
        </span>
      </form>
      {report.error ? <ErrorNote error={report.error} /> : null}
      {exportError ? <ErrorNote error={exportError} /> : null}
      {r ? <ShiftReportView report={r} /> : null}
    </section>
  );
}
