import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { UnitCertificate } from './UnitCertificate';
import { UnitTimeline } from './UnitTimeline';

/** One unit: its identity and its history as a timeline, oldest first. */
export function UnitDetail({ claimId, onClose }: { claimId: string; onClose: () => void }) {
  const detail = useOperation(() => api.units.get({ claimId }), [claimId]);
  // Only units that went through a station slot have a run; the others answer not-found.
  const run = useOperation(() => api.station.getUnitRun({ claimId }), [claimId]);
  return (
    <aside className="unit-detail" aria-label={`Unit ${claimId}`}>
      <header>
        <h2 className="claim-id">{claimId}</h2>
        <button onClick={onClose} aria-label="Close unit detail">
          Close
        </button>
      </header>
      {detail.error ? <ErrorNote error={detail.error} /> : null}
      {detail.value ? (
        <>
          <dl>
            <dt>State</dt>
            <dd>{detail.value.unit.state}</dd>
            <dt>Serial</dt>
            <dd>{detail.value.unit.serial ?? '—'}</dd>
            <dt>Order</dt>
            <dd>{detail.value.unit.orderId ?? '—'}</dd>
            <dt>Profile</dt>
            <dd className="mono">{detail.value.unit.profileHash?.slice(0, 12) ?? '—'}</dd>
          </dl>
          <UnitCertificate claimId={detail.value.unit.claimId} />
          <h3>History</h3>
          <UnitTimeline events={detail.value.events} />
          {run.value ? (
            <>
              <h3>Written to the device</h3>
              <ul className="written-files">
                {run.value.files.map((f) => (
                  <li key={f.path}>
                    <span className="mono">{f.path}</span> · {f.size} B · mode {f.mode.toString(8)} ·{' '}
                    {f.verifiedAt ? 'read back and verified' : 'not verified'}
                    <div className="mono muted">sha256 {f.sha256}</div>
                    {f.content !== null ? (
                      <details>
                        <summary>Content</summary>
                        <pre className="file-content">{f.content}</pre>
                      </details>
                    ) : (
                      <div className="muted">Secret file: its content is not kept.</div>
                    )}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </aside>
  );
}
