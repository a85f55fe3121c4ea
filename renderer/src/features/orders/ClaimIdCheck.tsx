import { useState } from 'react';
import type { ClaimIdCheckReport, ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { checkClaimIdRequest } from '../../../../electron/shared/contract/orders';
import { ErrorNote } from '../../components/ErrorNote';
import { FieldProblem } from '../../components/FieldProblem';
import { checkRequest, fieldAria, type FieldProblems } from '../../lib/validate';

/** Hand entry of a claim ID: checked against the order's policy (check symbol too), then looked up. */
export function ClaimIdCheck({ orderId }: { orderId: string | null }) {
  const [text, setText] = useState('');
  const [report, setReport] = useState<ClaimIdCheckReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [problems, setProblems] = useState<FieldProblems>({});

  async function check(e: React.FormEvent) {
    e.preventDefault();
    const checked = checkRequest(checkClaimIdRequest, { claimId: text, ...(orderId ? { orderId } : {}) });
    setProblems(checked.ok ? {} : checked.problems);
    if (!checked.ok) return setReport(null);
    const result = await api.orders.checkClaimId(checked.request);
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
          {...fieldAria(problems, 'claimId', 'claim-check')}
        />
      </label>
      <FieldProblem problems={problems} field="claimId" idPrefix="claim-check" />
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
