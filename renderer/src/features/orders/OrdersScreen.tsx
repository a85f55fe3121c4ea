import { useEffect, useState } from 'react';
import type { OrderStartedReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { CreateOrderForm } from './CreateOrderForm';
import { OrderDetail } from './OrderDetail';
import { ReservationProgress } from './ReservationProgress';
import { useJob } from './useJob';

/** Work orders: create one and watch its IDs being reserved, then follow, void and export its units. */
export function OrdersScreen() {
  const orders = useOperation(() => api.orders.list(), []);
  const active = useOperation(() => api.orders.getActive(), []);
  const [selected, setSelected] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);

  const reloadOrders = orders.reload;
  const reloadActive = active.reload;
  useEffect(() => api.on('ordersChanged', () => reloadOrders()), [reloadOrders]);
  useEffect(() => {
    if (job && job.state !== 'running') reloadOrders();
  }, [job, reloadOrders]);

  function started(s: OrderStartedReport) {
    setJobId(s.job.jobId);
    setSelected(s.order.orderId);
    reloadOrders();
  }

  const list = orders.value ?? [];
  const current = list.find((o) => o.orderId === selected) ?? null;
  const activeId = active.value?.orderId ?? null;
  return (
    <section aria-labelledby="orders-title" className="orders">
      <header className="screen-header">
        <h1 id="orders-title">Work orders</h1>
        <p className="count" data-testid="active-order">
          {activeId ? `Active order: ${activeId}` : 'No active order: make one active before the shift.'}
        </p>
      </header>
      <CreateOrderForm onStarted={started} />
      {job ? <ReservationProgress job={job} /> : null}
      {orders.error ? <ErrorNote error={orders.error} /> : null}
      <table className="units orders-table" aria-label="Work orders">
        <thead>
          <tr>
            <th>Order</th>
            <th>Profile</th>
            <th>Reserved</th>
            <th>State</th>
            <th>Units</th>
          </tr>
        </thead>
        <tbody>
          {list.map((o) => (
            <tr
              key={o.orderId}
              tabIndex={0}
              className={o.orderId === selected ? 'selected' : undefined}
              onClick={() => setSelected(o.orderId)}
              onKeyDown={(e) => e.key === 'Enter' && setSelected(o.orderId)}
            >
              <td className="mono">
                {o.orderId}
                {o.orderId === activeId ? ' ★' : ''}
              </td>
              <td>{o.profileName}</td>
              <td>
                {o.reserved.toLocaleString('en')} / {o.quantity.toLocaleString('en')}
              </td>
              <td>{o.state}</td>
              <td className="muted">
                {Object.entries(o.counts)
                  .map(([s, n]) => `${n} ${s}`)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {orders.value && list.length === 0 ? <p className="empty">No work orders yet.</p> : null}
      {current ? (
        <OrderDetail
          order={current}
          active={current.orderId === activeId}
          onChanged={() => {
            reloadActive();
            reloadOrders();
          }}
        />
      ) : null}
    </section>
  );
}
