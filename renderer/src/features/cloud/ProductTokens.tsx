import { useState } from 'react';
import type { ErrorInfo, ProductTokenSummary } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { storeProductTokenRequest } from '../../../../electron/shared/contract/cloud';
import { ErrorNote } from '../../components/ErrorNote';
import { FieldProblem } from '../../components/FieldProblem';
import { checkRequest, fieldAria, type FieldProblems } from '../../lib/validate';

const ID = 'product-token';

/** Product tokens are write-only: entered here, stored encrypted, shown only by name and fingerprint. */
export function ProductTokens({ tokens, onStored }: { tokens: ProductTokenSummary[]; onStored: () => void }) {
  const [label, setLabel] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [problems, setProblems] = useState<FieldProblems>({});

  async function store(e: React.FormEvent) {
    e.preventDefault();
    const checked = checkRequest(storeProductTokenRequest, { label, token });
    setProblems(checked.ok ? {} : checked.problems);
    if (!checked.ok) return;
    const result = await api.cloud.storeProductToken(checked.request);
    setError(result.ok ? null : result.error);
    if (result.ok) {
      setLabel('');
      setToken('');
      onStored();
    }
  }

  return (
    <details className="product-tokens">
      <summary>Product tokens ({tokens.length})</summary>
      <ul>
        {tokens.map((t) => (
          <li key={t.ref}>
            {t.label} <span className="mono muted">{t.fingerprint}</span>
          </li>
        ))}
      </ul>
      <form className="form" onSubmit={(e) => void store(e)} aria-label="Store a product token" noValidate>
        <label>
          <span>Name</span>
          <input
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            required
            {...fieldAria(problems, 'label', ID)}
          />
        </label>
        <FieldProblem problems={problems} field="label" idPrefix={ID} />
        <label>
          <span>Token (from the builder)</span>
          <input
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            required
            {...fieldAria(problems, 'token', ID)}
          />
        </label>
        <FieldProblem problems={problems} field="token" idPrefix={ID} />
        <button type="submit">Store token</button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
    </details>
  );
}
