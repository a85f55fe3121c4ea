import { useEffect, useState } from 'react';
import type { ErrorInfo, LineStatusReport, Result } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { lineSettingsRequest } from '../../../../electron/shared/contract/line';
import { ErrorNote } from '../../components/ErrorNote';
import { FieldProblem } from '../../components/FieldProblem';
import { checkRequest, fieldAria, type FieldProblems } from '../../lib/validate';

const ID = 'line-settings';
import { lineBadgeText } from './LineBadge';

/** Settings → Line: the line database URL, the lease block size and its low-water mark. */
export function LinePanel() {
  const status = useOperation(() => api.line.getStatus(), []);
  const [url, setUrl] = useState('');
  const [blockSize, setBlockSize] = useState('');
  const [lowWater, setLowWater] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>({});
  const { reload } = status;
  useEffect(() => api.on('lineChanged', () => reload()), [reload]);
  const s = status.value;
  useEffect(() => {
    if (s) {
      setBlockSize(String(s.blockSize));
      setLowWater(String(s.lowWater));
    }
  }, [s]);

  async function act(call: () => Promise<Result<LineStatusReport>>) {
    setBusy(true);
    const result = await call();
    setBusy(false);
    setError(result.ok ? null : result.error);
    if (result.ok) setUrl('');
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
          void act(() => api.line.connect({ url }));
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
          <button type="button" onClick={() => void act(() => api.line.disconnect())}>
            Disconnect
          </button>
        ) : null}
      </form>
      <form
        className="form"
        aria-label="Lease size"
        // The schema's words, not the browser's, say what is wrong with a number.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const checked = checkRequest(lineSettingsRequest, {
            blockSize: Number(blockSize.trim() || NaN),
            lowWater: Number(lowWater.trim() || NaN),
          });
          setProblems(checked.ok ? {} : checked.problems);
          if (checked.ok) void act(() => api.line.setSettings(checked.request));
        }}
      >
        <label>
          <span>IDs per lease</span>
          <input
            type="number"
            min={1}
            value={blockSize}
            onChange={(e) => setBlockSize(e.target.value)}
            {...fieldAria(problems, 'blockSize', ID)}
          />
        </label>
        <FieldProblem problems={problems} field="blockSize" idPrefix={ID} />
        <label>
          <span>Lease more below</span>
          <input
            type="number"
            min={0}
            value={lowWater}
            onChange={(e) => setLowWater(e.target.value)}
            {...fieldAria(problems, 'lowWater', ID)}
          />
        </label>
        <FieldProblem problems={problems} field="lowWater" idPrefix={ID} />
        <button type="submit">Apply lease size</button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {status.error ? <ErrorNote error={status.error} /> : null}
    </section>
  );
}
