import { isFailure } from '../failure';
import { timingSafeEqual } from 'node:crypto';
import { hashSecret } from '../secrets';

/** What the serialization service asks for each device request. */
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
 * Hands out an order's reserved IDs through the orders module (`assign`: the order's next reserved
 * claim ID becomes 'assigned', its serial taken from the order's range when it has one), only to
 * devices whose body names the order's product token.
 */
export function createUnitsIdSource(deps: {
  orderId: string;
  product: string;
  assign: (orderId: string) => string;
}): IdSource {
  const { orderId, product, assign } = deps;
  return {
    next({ body }) {
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
      try {
        return { ok: true, claimId: assign(orderId), orderId };
      } catch (error) {
        if (isFailure(error) && (error.code === 'order-exhausted' || error.code === 'conflict'))
          return { ok: false, status: 409, reason: error.message };
        if (isFailure(error) && error.code === 'not-found')
          return { ok: false, status: 404, reason: error.message };
        throw error;
      }
    },
  };
}
