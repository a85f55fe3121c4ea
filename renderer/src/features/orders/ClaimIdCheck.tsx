import { useState } from 'react';
import type { ClaimIdCheckReport, ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';

/** Hand entry of a claim ID: checked against the order's policy (check symbol too), then looked up. */
export function ClaimIdCheck({ orderId }: { orderId: string | null }) {
  const [text, setText] = useState('');
  const [report, setReport] = useState<ClaimIdCheckReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function check(e: React.FormEvent) {
    e.preventDefault();
    const result = await api.orders.checkClaimId({ claimId: text, ...(orderId ? { orderId } : {}) });
    setReport(result.ok ? result.value : null);
    setError(result.ok ? null : result.error);
  }

  return (
    <form className="form claim-check" onSubmit={check} aria-label="Check a typed claim ID">
      <label>
        <span>Typed claim ID</span>
        <input
          className="mono"
          value={text}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button type="submit" disabled={!text.trim()}>
        Check
      </button>
      {report ? (
        <p role="status" className={report.ok ? 'pass-text' : 'fail-text'}>
          {report.ok
            ? report.unit
              ? `${report.normalized}: ${report.unit.state}${report.unit.serial ? `, serial ${report.unit.serial}` : ''}.`
              : `${report.normalized} is well formed but not on this station.`
            : report.problem}
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
    </form>
  );
}
