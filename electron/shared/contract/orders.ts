import type { JobReport } from './jobs';
import type { ChannelMap, Op, Page } from './types';
import type { UnitState, UnitSummary } from './units';

export type OrderState = 'reserving' | 'ready' | 'closed';

/** Serial numbers an order hands out when the station does not scan one. */
export type SerialSpec =
  { kind: 'range'; prefix: string; start: number; width: number } | { kind: 'list'; serials: string[] };

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

export interface CreateOrderRequest {
  profile: string;
  quantity: number;
  /** Defaults to WO-<date>-<n>. */
  orderId?: string;
  serials?: SerialSpec;
  note?: string;
}

export interface OrderStartedReport {
  order: OrderSummary;
  /** The reservation job: progress arrives as jobProgress events. */
  job: JobReport;
}

export interface ListOrderUnitsRequest {
  orderId: string;
  state?: UnitState;
  cursor?: string | null;
  limit?: number;
}

export type VoidReason = 'scrap' | 'test' | 'label-damaged';

export interface VoidUnitRequest {
  claimId: string;
  reason: VoidReason;
  note?: string;
}

export interface ExportOrderRequest {
  orderId: string;
  format: 'csv' | 'json';
}

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

export interface CheckClaimIdRequest {
  claimId: string;
  /** Check against this order's ID policy (else the active order's, else the default). */
  orderId?: string;
}

export interface ClaimIdCheckReport {
  normalized: string;
  ok: boolean;
  problem: string | null;
  /** 1-based position of the wrong character, when it can be told. */
  position: number | null;
  unit: UnitSummary | null;
}

export interface OrdersOps {
  createOrder: Op<CreateOrderRequest, OrderStartedReport>;
  resumeReservation: Op<{ orderId: string }, OrderStartedReport>;
  listOrders: Op<void, OrderSummary[]>;
  getOrder: Op<{ orderId: string }, OrderSummary>;
  listOrderUnits: Op<ListOrderUnitsRequest, Page<UnitSummary>>;
  voidUnit: Op<VoidUnitRequest, UnitSummary>;
  exportOrder: Op<ExportOrderRequest, OrderExportReport>;
  getActiveOrder: Op<void, ActiveOrderReport>;
  setActiveOrder: Op<{ orderId: string | null }, ActiveOrderReport>;
  checkClaimId: Op<CheckClaimIdRequest, ClaimIdCheckReport>;
}

export const ordersChannels = {
  createOrder: 'orders:create',
  resumeReservation: 'orders:resume-reservation',
  listOrders: 'orders:list',
  getOrder: 'orders:get',
  listOrderUnits: 'orders:list-units',
  voidUnit: 'orders:void-unit',
  exportOrder: 'orders:export',
  getActiveOrder: 'orders:get-active',
  setActiveOrder: 'orders:set-active',
  checkClaimId: 'orders:check-claim-id',
} as const satisfies ChannelMap<OrdersOps>;
