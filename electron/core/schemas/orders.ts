import { z } from 'zod';
import type { OrdersOps } from '../../shared/contract';
import { claimIdArg, cursorArg, noArgs } from './common';
import type { SchemaMap } from './types';

const orderId = z.string().trim().min(1, 'enter a work-order ID').max(40);
const unitState = z.enum(['reserved', 'assigned', 'written', 'verified', 'provisioned', 'failed', 'voided']);
const serials = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('range'),
      prefix: z.string().max(40),
      start: z.number().int().min(0),
      width: z.number().int().min(0).max(20),
    })
    .strict(),
  z.object({ kind: z.literal('list'), serials: z.array(z.string().trim().min(1).max(80)).min(1) }).strict(),
]);

export const ordersSchemas = {
  createOrder: z
    .object({
      profile: z.string().trim().min(1, 'choose a profile').max(120),
      quantity: z
        .number()
        .int()
        .min(1, 'at least 1 unit')
        .max(5_000_000, 'at most 5,000,000 units per order'),
      orderId: orderId.optional(),
      serials: serials.optional(),
      note: z.string().max(500).optional(),
    })
    .strict(),
  resumeReservation: z.object({ orderId }).strict(),
  listOrders: noArgs,
  getOrder: z.object({ orderId }).strict(),
  listOrderUnits: z
    .object({
      orderId,
      state: unitState.optional(),
      cursor: cursorArg,
      limit: z.number().int().min(1).max(500).optional(),
    })
    .strict(),
  voidUnit: z
    .object({
      claimId: claimIdArg,
      reason: z.enum(['scrap', 'test', 'label-damaged'], { error: 'choose scrap, test or label-damaged' }),
      note: z.string().max(500).optional(),
    })
    .strict(),
  exportOrder: z.object({ orderId, format: z.enum(['csv', 'json']) }).strict(),
  getActiveOrder: noArgs,
  setActiveOrder: z.object({ orderId: orderId.nullable() }).strict(),
  checkClaimId: z.object({ claimId: z.string().max(60), orderId: orderId.optional() }).strict(),
} satisfies SchemaMap<OrdersOps>;
