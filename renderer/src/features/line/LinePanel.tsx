import { useEffect, useState } from 'react';
import type { ErrorInfo, LineStatusReport, Result } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { lineSettingsRequest } from '../../../../electron/shared/contract/line';
import { ErrorNote } from '../../components/ErrorNote';
import { checkRequest } from '../../lib/validate';
import { lineBadgeText } from './LineBadge';

/**
 * Why the typed lease settings cannot be applied, in one sentence; null when they can. Each field is
 * checked with setLineSettings' own schema (the words dispatch uses); the form adds the one rule
 * between the two fields: the next lease must be asked for before the block runs out.
 */
export function leaseSettingsProblem(blockSize: string, lowWater: string): string | null {
  const request = { blockSize: Number(blockSize.trim() || NaN), lowWater: Number(lowWater.trim() || NaN) };
  const checked = checkRequest(lineSettingsRequest, request);
  if (!checked.ok) {
    const field = checked.problems.blockSize ? 'IDs per lease' : 'Lease more below';
    return `${field}: ${checked.problems.blockSize ?? checked.problems.lowWater ?? Object.values(checked.problems)[0]}.`;
  }
  if (request.lowWater >= request.blockSize)
    return 'Lease more below must be smaller than IDs per lease, so the next lease comes before the block runs out.';
  return null;
}

/** Settings → Line: the line database URL, the lease block size and its low-water mark. */
export function LinePanel() {
  const status = useOperation(() => api.line.getStatus(), []);
  const [url, setUrl] = useState('');
  // The lease fields show the stored values until edited: the status reloads on every lineChanged
  // (pushes, leases) and must never overwrite what the engineer is typing.
  const [draft, setDraft] = useState<{ blockSize?: string; lowWater?: string }>({});
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const { reload } = status;
  useEffect(() => api.on('lineChanged', () => reload()), [reload]);
  const s = status.value;
  const blockSize = draft.blockSize ?? (s ? String(s.blockSize) : '');
  const lowWater = draft.lowWater ?? (s ? String(s.lowWater) : '');
  const leaseProblem =
    draft.blockSize === undefined && draft.lowWater === undefined
      ? null
      : leaseSettingsProblem(blockSize, lowWater);

  async function act(call: () => Promise<Result<LineStatusReport>>, after?: () => void) {
    setBusy(true);
    const result = await call();
    setBusy(false);
    setError(result.ok ? null : result.error);
    if (result.ok) after?.();
    reload();
  }

  return (
    <section aria-labelledby="line-settings-title">
      <h2 id="line-settings-title">Line</h2>
      <p className="muted">
        Several stations on one PostgreSQL line database share one claim-ID space and one report. Without it
        this station works alone.
      </p>
      {s ? (
        <p className={`line-state line-${s.state}`} data-testid="line-state">
          {s.state === 'standalone'
            ? 'Working alone (not on a line).'
            : `${lineBadgeText(s)} · ${s.url ?? ''}`}
          {s.source === 'environment' ? ' (from LINESIDE_LINE_URL)' : ''}
        </p>
      ) : null}
      {s?.message ? <ErrorNote error={{ code: 'line-unavailable', message: s.message }} /> : null}
      {s?.clockWarning ? <p className="warning">{s.clockWarning}</p> : null}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            () => api.line.connect({ url }),
            () => setUrl(''),
          );
        }}
      >
        <label>
          <span>Line database URL</span>
          <input
            type="password"
            autoComplete="off"
            placeholder="postgres://user:password@host:5432/line"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={busy || !url.trim()}>
          Connect
        </button>
        {s && s.state !== 'standalone' && s.source === 'setting' ? (
          <button
            type="button"
            onClick={() =>
              void act(
                () => api.line.disconnect(),
                () => setUrl(''),
              )
            }
          >
            Disconnect
          </button>
        ) : null}
      </form>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (leaseSettingsProblem(blockSize, lowWater)) return;
          void act(
            () => api.line.setSettings({ blockSize: Number(blockSize), lowWater: Number(lowWater) }),
            () => setDraft({}),
          );
        }}
      >
        <label>
          <span>IDs per lease</span>
          <input
            type="number"
            min={1}
            value={blockSize}
            onChange={(e) => setDraft((d) => ({ ...d, blockSize: e.target.value }))}
          />
        </label>
        <label>
          <span>Lease more below</span>
          <input
            type="number"
            min={0}
            value={lowWater}
            onChange={(e) => setDraft((d) => ({ ...d, lowWater: e.target.value }))}
          />
        </label>
        <button type="submit" disabled={busy || !s || leaseProblem !== null}>
          Apply lease size
        </button>
        {leaseProblem ? (
          <p className="field-problem" role="alert">
            {leaseProblem}
          </p>
        ) : null}
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {status.error ? <ErrorNote error={status.error} /> : null}
    </section>
  );
}
