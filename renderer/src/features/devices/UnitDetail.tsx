import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { UnitCertificate } from './UnitCertificate';

/** One unit: its identity and its history as a timeline, oldest first. */
export function UnitDetail({ claimId, onClose }: { claimId: string; onClose: () => void }) {
  const detail = useOperation(() => api.getUnit({ claimId }), [claimId]);
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
          <ol className="timeline">
            {detail.value.events.map((e) => (
              <li key={e.id}>
                <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> <strong>{e.kind}</strong>{' '}
                <span className="muted">
                  {e.station} · {e.operator}
                </span>
              </li>
            ))}
            {detail.value.events.length === 0 ? (
              <li className="muted">No events recorded for this unit.</li>
            ) : null}
          </ol>
        </>
      ) : null}
    </aside>
  );
}
