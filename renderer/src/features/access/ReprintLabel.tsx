import { useState } from 'react';
import type { ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { reprintLabelRequest } from '../../../../electron/shared/contract/labels';
import { ErrorNote } from '../../components/ErrorNote';
import { FieldProblem } from '../../components/FieldProblem';
import { checkRequest, fieldAria, type FieldProblems } from '../../lib/validate';

const ID = 'reprint';

const REASONS = ['Label damaged', 'Printer jam', 'Label unreadable', 'Box label missing'];

/** Reprint a unit's label, always with a reason (the print audit keeps it). */
export function ReprintLabel({ suggested }: { suggested: string | null }) {
  const [open, setOpen] = useState(false);
  const [claimId, setClaimId] = useState('');
  const [reason, setReason] = useState(REASONS[0]!);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldProblems>({});
  if (!open)
    return (
      <div className="reprint">
        <button
          type="button"
          onClick={() => {
            setClaimId(suggested ?? '');
            setDone(null);
            setOpen(true);
          }}
        >
          Reprint a label
        </button>
        {done ? <p role="status">{done}</p> : null}
      </div>
    );
  return (
    <form
      className="form inline reprint"
      aria-label="Reprint a label"
      onSubmit={(e) => {
        e.preventDefault();
        const checked = checkRequest(reprintLabelRequest, { claimId, reason });
        setProblems(checked.ok ? {} : checked.problems);
        if (!checked.ok) return;
        void api.labels.reprint(checked.request).then((r) => {
          setError(r.ok ? null : r.error);
          if (r.ok) {
            setDone(`Label for ${r.value.claimId} sent again.`);
            setOpen(false);
          }
        });
      }}
    >
      <label>
        <span>Claim ID</span>
        <input
          value={claimId}
          spellCheck={false}
          autoFocus
          onChange={(e) => setClaimId(e.target.value)}
          {...fieldAria(problems, 'claimId', ID)}
        />
      </label>
      <FieldProblem problems={problems} field="claimId" idPrefix={ID} />
      <label>
        <span>Reason</span>
        <select value={reason} onChange={(e) => setReason(e.target.value)}>
          {REASONS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!claimId.trim()}>
        Reprint
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </form>
  );
}
