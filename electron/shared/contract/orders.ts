import type { JobReport } from './jobs';
import * as z from 'zod';
import { claimIdArg, cursorArg, exportFormat, noArgs, unitStateSchema } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf, type Page } from './types';
import type { UnitState, UnitSummary } from './units';

export type OrderState = 'reserving' | 'ready' | 'closed';

const orderId = lazySchema(() =>
  z.string().trim().min(1, 'enter a work-order ID').max(40, 'a work-order ID has at most 40 characters'),
);

export const serialSpecSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('range'),
        prefix: z.string().max(40, 'a serial prefix has at most 40 characters'),
        start: z
          .number({ error: 'enter the first serial as a number' })
          .int('a whole number')
          .min(0, 'at least 0'),
        width: z
          .number({ error: 'enter the number of digits' })
          .int('a whole number of digits')
          .min(0, 'at least 0 digits')
          .max(20, 'at most 20 digits'),
      })
      .strict(),
    z.object({ kind: z.literal('list'), serials: z.array(z.string().trim().min(1).max(80)).min(1) }).strict(),
  ]),
);
/** Serial numbers an order hands out when the station does not scan one. */
export type SerialSpec = z.output<typeof serialSpecSchema>;

export interface OrderSummary {
  orderId: string;
  profileName: string;
  profileHash: string;
  quantity: number;
  /** Claim IDs reserved so far (equals quantity when the reservation finished). */
  reserved: number;
  /** Draws that hit an ID already in the store and were drawn again. */
  collisions: number;
  state: OrderState;
  note: string;
  serials: SerialSpec | null;
  idPolicy: { alphabet: string; length: number; checkSymbol: boolean };
  /** Units per state. */
  counts: Partial<Record<UnitState, number>>;
  createdAt: string;
  updatedAt: string;
}

export const createOrderRequest = lazySchema(() =>
  z
    .object({
      profile: z.string().trim().min(1, 'choose a profile').max(120),
      quantity: z
        .number({ error: 'enter the number of units' })
        .int('a whole number of units')
        .min(1, 'at least 1 unit')
        .max(5_000_000, 'at most 5,000,000 units per order'),
      /** Defaults to WO-<date>-<n>. */
      orderId: orderId.optional(),
      serials: serialSpecSchema.optional(),
      note: z.string().max(500).optional(),
    })
    .strict(),
);
export type CreateOrderRequest = z.output<typeof createOrderRequest>;

export interface OrderStartedReport {
  order: OrderSummary;
  /** The reservation job: progress arrives as jobProgress events. */
  job: JobReport;
}

export const listOrderUnitsRequest = lazySchema(() =>
  z
    .object({
      orderId,
      state: unitStateSchema.optional(),
      cursor: cursorArg,
      limit: z.number().int().min(1).max(500).optional(),
    })
    .strict(),
);
export type ListOrderUnitsRequest = z.output<typeof listOrderUnitsRequest>;

export const voidReasonSchema = lazySchema(() =>
  z.enum(['scrap', 'test', 'label-damaged'], {
    error: 'choose scrap, test or label-damaged',
  }),
);
export type VoidReason = z.output<typeof voidReasonSchema>;

export const voidUnitRequest = lazySchema(() =>
  z.object({ claimId: claimIdArg, reason: voidReasonSchema, note: z.string().max(500).optional() }).strict(),
);
export type VoidUnitRequest = z.output<typeof voidUnitRequest>;

export const exportOrderRequest = lazySchema(() => z.object({ orderId, format: exportFormat }).strict());
export type ExportOrderRequest = z.output<typeof exportOrderRequest>;

export interface OrderExportReport {
  fileName: string;
  mimeType: string;
  content: string;
  rows: number;
}

export interface ActiveOrderReport {
  orderId: string | null;
  /** Who locked it in, and when. */
  setBy: string | null;
  setAt: string | null;
  order: OrderSummary | null;
}

export const checkClaimIdRequest = lazySchema(() =>
  z
    .object({
      claimId: z.string().max(60, 'too long for a claim ID: type the one on the label'),
      /** Check against this order's ID policy (else the active order's, else the default). */
      orderId: orderId.optional(),
    })
    .strict(),
);
export type CheckClaimIdRequest = z.output<typeof checkClaimIdRequest>;

export interface ClaimIdCheckReport {
  normalized: string;
  ok: boolean;
  problem: string | null;
  /** 1-based position of the wrong character, when it can be told. */
  position: number | null;
  unit: UnitSummary | null;
}

const orderIdRequest = lazySchema(() => z.object({ orderId }).strict());

export const ordersOperations = {
  createOrder: op('orders:create', createOrderRequest).returns<OrderStartedReport>(),
  resumeReservation: op('orders:resume-reservation', orderIdRequest).returns<OrderStartedReport>(),
  listOrders: op('orders:list', noArgs).returns<OrderSummary[]>(),
  getOrder: op('orders:get', orderIdRequest).returns<OrderSummary>(),
  listOrderUnits: op('orders:list-units', listOrderUnitsRequest).returns<Page<UnitSummary>>(),
  voidUnit: op('orders:void-unit', voidUnitRequest).returns<UnitSummary>(),
  exportOrder: op('orders:export', exportOrderRequest).returns<OrderExportReport>(),
  getActiveOrder: op('orders:get-active', noArgs).returns<ActiveOrderReport>(),
  setActiveOrder: op(
    'orders:set-active',
    lazySchema(() => z.object({ orderId: orderId.nullable() }).strict()),
  ).returns<ActiveOrderReport>(),
  checkClaimId: op('orders:check-claim-id', checkClaimIdRequest).returns<ClaimIdCheckReport>(),
};

export type OrdersOps = OpsOf<typeof ordersOperations>;
export const ordersChannels = channelsOf(ordersOperations);
export const ordersSchemas = schemasOf(ordersOperations);
