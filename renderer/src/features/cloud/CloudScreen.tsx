import { useEffect, useState } from 'react';
import type { CloudFailure, ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { CloudReport } from './CloudReport';
import { SerializePanel } from './SerializePanel';

const COUNTS = [
  ['pending', 'Waiting'],
  ['sending', 'Sending'],
  ['registered', 'Registered'],
  ['claimed', 'Claimed'],
  ['rejected', 'Rejected'],
] as const;

/** The registration outbox, the per-order reconciliation, and the serialization service. */
export function CloudScreen() {
  const status = useOperation(() => api.cloud.getStatus(), []);
  const [actionError, setActionError] = useState<ErrorInfo | null>(null);
  const { reload } = status;
  useEffect(() => api.on('cloudChanged', () => reload()), [reload]);
  useEffect(() => {
    // The rate is over the last minute: refresh it even when nothing else moves.
    const t = setInterval(reload, 5000);
    return () => clearInterval(t);
  }, [reload]);

  async function act(call: () => Promise<{ ok: boolean; error?: ErrorInfo }>) {
    const result = await call();
    setActionError(result.ok ? null : (result.error ?? null));
    reload();
  }

  const s = status.value;
  const rejected = s?.failures.filter((f) => f.kind === 'rejected') ?? [];
  return (
    <section aria-labelledby="cloud-title" className="cloud">
      <header className="screen-header">
        <h1 id="cloud-title">Cloud</h1>
        {s ? (
          <p className={`sender-state ${s.running ? 'on' : 'off'}`} role="status">
            {s.running ? 'Sending registrations' : 'Sending paused'} · {s.ratePerMinute} per minute
          </p>
        ) : null}
        {s ? (
          s.running ? (
            <button onClick={() => void act(() => api.cloud.pauseSender())}>Pause sending</button>
          ) : (
            <button className="primary" onClick={() => void act(() => api.cloud.resumeSender())}>
              Resume sending
            </button>
          )
        ) : null}
      </header>
      {status.error ? <ErrorNote error={status.error} /> : null}
      {actionError ? <ErrorNote error={actionError} /> : null}

      <h2>Registration outbox</h2>
      <ul className="outbox-counts" aria-label="Outbox">
        {COUNTS.map(([key, label]) => (
          <li key={key} className={`count-${key}`} data-testid={`outbox-${key}`}>
            <strong>{s ? s.counts[key].toLocaleString() : '–'}</strong>
            <span>{label}</span>
          </li>
        ))}
      </ul>

      <h2>Problems</h2>
      {s && s.failures.length === 0 ? <p className="empty">No registration is failing.</p> : null}
      {s && s.failures.length > 0 ? (
        <>
          {rejected.length > 0 ? (
            <button onClick={() => void act(() => api.cloud.retryRegistrations({}))}>
              Retry all {rejected.length} rejected
            </button>
          ) : null}
          <table className="units failures" aria-label="Failing registrations">
            <thead>
              <tr>
                <th>Claim ID</th>
                <th>What happened</th>
                <th>Tries</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {s.failures.map((f) => (
                <FailureRow
                  key={f.claimId}
                  failure={f}
                  onRetry={() => void act(() => api.cloud.retryRegistrations({ claimIds: [f.claimId] }))}
                />
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      <CloudReport orders={s?.orders ?? []} />
      <SerializePanel />
    </section>
  );
}

function FailureRow({ failure: f, onRetry }: { failure: CloudFailure; onRetry: () => void }) {
  return (
    <tr className={`failure-${f.kind}`}>
      <td className="claim-id">{f.claimId}</td>
      <td>
        <span className={`state ${f.kind === 'rejected' ? 'state-failed' : ''}`}>
          {f.kind === 'rejected' ? 'Rejected' : 'Will retry'}
        </span>{' '}
        {f.reason}
        {f.nextAttemptAt ? (
          <span className="muted"> Next try {new Date(f.nextAttemptAt).toLocaleTimeString()}.</span>
        ) : null}
      </td>
      <td>{f.attempts}</td>
      <td>
        <button onClick={onRetry} aria-label={`Retry ${f.claimId}`}>
          {f.kind === 'rejected' ? 'Retry' : 'Retry now'}
        </button>
      </td>
    </tr>
  );
}
