import { useState } from 'react';
import type { ErrorInfo, LabelPrintEntry } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';

/** Every print and reprint, newest first; a reprint asks for its reason. */
export function PrintHistory({ refresh, onPrinted }: { refresh: number; onPrinted: () => void }) {
  const history = useOperation(() => api.labels.listPrints({ limit: 200 }), [refresh]);
  const [reprinting, setReprinting] = useState<LabelPrintEntry | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function reprint(e: React.FormEvent) {
    e.preventDefault();
    if (!reprinting) return;
    const result = await api.labels.reprint({ claimId: reprinting.claimId, reason });
    setError(result.ok ? null : result.error);
    if (result.ok) {
      setReprinting(null);
      setReason('');
      onPrinted();
    }
  }

  const rows = history.value ?? [];
  return (
    <div className="panel">
      <h2>Print history</h2>
      {history.error ? <ErrorNote error={history.error} /> : null}
      {reprinting ? (
        <form className="form" onSubmit={(e) => void reprint(e)} aria-label={`Reprint ${reprinting.claimId}`}>
          <label>
            <span>Why print {reprinting.claimId} again?</span>
            <input
              autoFocus
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="label torn at packing"
              size={40}
            />
          </label>
          <button type="submit" disabled={reason.trim().length < 3}>
            Reprint
          </button>
          <button type="button" onClick={() => setReprinting(null)}>
            Cancel
          </button>
        </form>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {rows.length === 0 ? (
        <p className="muted">No label printed yet.</p>
      ) : (
        <table aria-label="Label prints">
          <thead>
            <tr>
              <th>Time</th>
              <th>Claim ID</th>
              <th>Kind</th>
              <th>Template</th>
              <th>Printer</th>
              <th>Operator</th>
              <th>Reason</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id}>
                <td>{p.at.replace('T', ' ').slice(0, 19)}</td>
                <td className="mono">{p.claimId}</td>
                <td>{p.kind}</td>
                <td>{p.templateVersion}</td>
                <td>{p.printer}</td>
                <td>{p.operator}</td>
                <td>{p.reason ?? ''}</td>
                <td>
                  {p.kind === 'print' ? (
                    <button type="button" onClick={() => setReprinting(p)}>
                      Reprint
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
