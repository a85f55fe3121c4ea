import { useEffect, useState } from 'react';
import type { ErrorInfo, OrderSummary, UnitSummary, VoidReason } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { ClaimIdCheck } from './ClaimIdCheck';

const PAGE = 100;
const REASONS: { value: VoidReason; label: string }[] = [
  { value: 'scrap', label: 'Scrap' },
  { value: 'test', label: 'Test' },
  { value: 'label-damaged', label: 'Label damaged' },
];

function download(fileName: string, mimeType: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One order: counts, its units page by page, void with a reason, export, make active. */
export function OrderDetail({
  order,
  active,
  onChanged,
}: {
  order: OrderSummary;
  active: boolean;
  onChanged: () => void;
}) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const cursor = cursors.at(-1) ?? null;
  const units = useOperation(
    () => api.orders.listUnits({ orderId: order.orderId, cursor, limit: PAGE }),
    [order.orderId, cursor, order.updatedAt],
  );
  const { reload } = units;
  useEffect(() => api.on('unitsChanged', () => reload()), [reload]);

  async function exportAs(format: 'csv' | 'json') {
    const result = await api.orders.export({ orderId: order.orderId, format });
    setError(result.ok ? null : result.error);
    if (result.ok) download(result.value.fileName, result.value.mimeType, result.value.content);
  }

  async function makeActive() {
    const result = await api.orders.setActive({ orderId: active ? null : order.orderId });
    setError(result.ok ? null : result.error);
    onChanged();
  }

  return (
    <article className="order-detail" aria-label={`Order ${order.orderId}`}>
      <header className="screen-header">
        <h2>{order.orderId}</h2>
        <p className="count" data-testid="order-counts">
          {Object.entries(order.counts)
            .map(([state, n]) => `${n.toLocaleString('en')} ${state}`)
            .join(' · ') || 'no units yet'}
        </p>
        <button onClick={() => void exportAs('csv')}>Export CSV</button>
        <button onClick={() => void exportAs('json')}>Export JSON</button>
        <button onClick={() => void makeActive()}>
          {active ? 'Release as active order' : 'Make active order'}
        </button>
        {order.state === 'reserving' ? (
          <button
            onClick={() => void api.orders.resumeReservation({ orderId: order.orderId }).then(onChanged)}
          >
            Resume reservation
          </button>
        ) : null}
      </header>
      <p className="muted">
        Profile {order.profileName} <span className="mono">{order.profileHash.slice(0, 12)}</span> ·{' '}
        {order.collisions} collision{order.collisions === 1 ? '' : 's'} redrawn
      </p>
      <ClaimIdCheck orderId={order.orderId} />
      {error ? <ErrorNote error={error} /> : null}
      {units.error ? <ErrorNote error={units.error} /> : null}
      <table className="units" aria-label="Order units">
        <thead>
          <tr>
            <th>Claim ID</th>
            <th>State</th>
            <th>Serial</th>
            <th>Updated</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {units.value?.items.map((u) => (
            <OrderUnitRow key={u.claimId} unit={u} onError={setError} />
          ))}
        </tbody>
      </table>
      <footer className="pager">
        <button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </button>
        <span>
          Page {cursors.length} of {Math.max(1, Math.ceil((units.value?.total ?? 0) / PAGE))}
        </span>
        <button
          disabled={!units.value?.nextCursor}
          onClick={() => units.value?.nextCursor && setCursors((c) => [...c, units.value!.nextCursor])}
        >
          Next page
        </button>
      </footer>
    </article>
  );
}

function OrderUnitRow({ unit, onError }: { unit: UnitSummary; onError: (e: ErrorInfo | null) => void }) {
  const [voiding, setVoiding] = useState(false);
  // No reason is chosen for the engineer: a void is on the record for good, so it says why.
  const [reason, setReason] = useState<VoidReason | ''>('');
  const canVoid = unit.state !== 'provisioned' && unit.state !== 'voided';

  async function confirm() {
    if (!reason) return;
    const result = await api.orders.voidUnit({ claimId: unit.claimId, reason });
    onError(result.ok ? null : result.error);
    setVoiding(false);
  }

  return (
    <tr>
      <td className="claim-id">{unit.claimId}</td>
      <td>
        <span className={`state state-${unit.state}`}>{unit.state}</span>
      </td>
      <td>{unit.serial ?? '—'}</td>
      <td>{new Date(unit.updatedAt).toLocaleString()}</td>
      <td className="row-actions">
        {voiding ? (
          <span role="group" aria-label={`Void ${unit.claimId}`}>
            <select
              aria-label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value as VoidReason | '')}
            >
              <option value="" disabled>
                Choose a reason…
              </option>
              {REASONS.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>{' '}
            <button disabled={!reason} onClick={() => void confirm()}>
              Confirm void
            </button>{' '}
            <button
              onClick={() => {
                setVoiding(false);
                setReason('');
              }}
            >
              Keep
            </button>
          </span>
        ) : canVoid ? (
          <button aria-label={`Void ${unit.claimId}`} onClick={() => setVoiding(true)}>
            Void…
          </button>
        ) : null}
      </td>
    </tr>
  );
}
