import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock';
import { hashSecret } from '../secrets';
import type { Store } from '../store';

/** What the serialization service asks for each device request; the lead wires the active order. */
export type IdAnswer =
  { ok: true; claimId: string; orderId: string } | { ok: false; status: number; reason: string };

export interface IdSource {
  /** Runs inside the transaction that journals the answer: an ID is issued and recorded together. */
  next(request: { body: Record<string, unknown>; remote: string }): IdAnswer;
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashSecret(a), 'hex'), Buffer.from(hashSecret(b), 'hex'));
}

/**
 * Hands out an order's reserved IDs in serial (then claim-ID) order, each `reserved` row becoming
 * `assigned` in one statement, only to devices whose body names the order's product token.
 */
export function createUnitsIdSource(deps: {
  store: Store;
  clock: Clock;
  orderId: string;
  product: string;
}): IdSource {
  const { store, clock, orderId, product } = deps;
  const take = store.db.prepare(
    `UPDATE units SET state = 'assigned', updated_at = @now
     WHERE claim_id = (SELECT claim_id FROM units WHERE order_id = @orderId AND state = 'reserved'
                       ORDER BY serial, claim_id LIMIT 1)
     RETURNING claim_id`,
  );
  return {
    next({ body, remote }) {
      if (typeof body.product !== 'string' || body.product.length === 0) {
        return { ok: false, status: 400, reason: 'The request names no product.' };
      }
      if (!sameSecret(body.product, product)) {
        return {
          ok: false,
          status: 403,
          reason: `This station is serializing order ${orderId}, whose product token is not the one this device sent.`,
        };
      }
      const claimId = take.pluck().get({ now: clock.now().toISOString(), orderId }) as string | undefined;
      if (!claimId) {
        return { ok: false, status: 409, reason: `Order ${orderId} has no reserved IDs left: reserve more.` };
      }
      store.events.append({ kind: 'unit.assigned', claimId, orderId, data: { by: 'serialize', remote } });
      return { ok: true, claimId, orderId };
    },
  };
}
