import type { OrderSummary, OrdersOps } from '../../shared/contract';
import { CROCKFORD, checkTypedId, DEFAULT_ID_LENGTH, type IdPolicy } from '../ids';
import type { Jobs } from '../jobs';
import type { OrderBook } from '../orders';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

/** Line mode's part in orders: a line order's IDs are reserved in the line's claim-ID space. */
export interface OrdersOnLine {
  adoptOrder(orderId: string): void;
  isLineOrder(orderId: string): boolean;
  reserve(
    orderId: string,
    options: { onProgress?: (reserved: number, quantity: number) => void; signal?: AbortSignal },
  ): Promise<OrderSummary>;
}

export function createOrdersService(deps: {
  store: Store;
  book: OrderBook;
  jobs: Jobs;
  line?: OrdersOnLine;
}): ServiceImpl<OrdersOps> {
  const { store, book, jobs, line } = deps;

  function startReservation(orderId: string) {
    const order = book.getOrder(orderId);
    const job = jobs.start({
      kind: 'orders.reserve',
      label: `Reserving ${order.quantity.toLocaleString('en')} claim IDs for ${orderId}`,
      total: order.quantity,
      run: (ctx) => {
        ctx.progress(order.reserved);
        if (line?.isLineOrder(orderId))
          return line.reserve(orderId, { signal: ctx.signal, onProgress: (done) => ctx.progress(done) });
        return book.reserveRemaining(orderId, {
          signal: ctx.signal,
          onProgress: (done) => ctx.progress(done),
        });
      },
    });
    return { order, job };
  }

  return {
    createOrder(req) {
      const order = book.createOrder(req);
      line?.adoptOrder(order.orderId);
      return startReservation(order.orderId);
    },
    resumeReservation: ({ orderId }) => startReservation(orderId),
    listOrders: () => book.listOrders(),
    getOrder: ({ orderId }) => book.getOrder(orderId),
    listOrderUnits: (req) => book.pageUnits(req),
    voidUnit: ({ claimId, reason, note }) => book.voidUnit(claimId, { reason, ...(note ? { note } : {}) }),
    exportOrder: ({ orderId, format }) => book.exportManifest(orderId, format),
    getActiveOrder: () => book.getActiveOrder(),
    setActiveOrder: ({ orderId }) => book.setActiveOrder(orderId),
    checkClaimId({ claimId, orderId }) {
      const id = orderId ?? book.getActiveOrderId();
      const policy: IdPolicy = id
        ? book.getOrder(id).idPolicy
        : { alphabet: CROCKFORD, length: DEFAULT_ID_LENGTH, checkSymbol: false };
      const check = checkTypedId(claimId, policy);
      return { ...check, unit: check.ok ? store.units.get(check.normalized) : null };
    },
  };
}
