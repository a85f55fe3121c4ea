import type { ChannelMap, Op, Page } from './types';

/**
 * A unit's identity lifecycle. Later issues add the transitions; the states are fixed here so the
 * Devices screen can show them.
 */
export type UnitState =
  'reserved' | 'assigned' | 'written' | 'verified' | 'provisioned' | 'failed' | 'voided';

export interface UnitSummary {
  claimId: string;
  serial: string | null;
  orderId: string | null;
  state: UnitState;
  profileHash: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EventEntry {
  id: number;
  at: string;
  station: string;
  operator: string;
  /** 'engineer' or 'technician' (locked station); '' for entries written before roles were recorded. */
  role: string;
  kind: string;
  claimId: string | null;
  orderId: string | null;
  data: Record<string, unknown>;
}

export interface ListUnitsRequest {
  /** Claim-ID prefix; case, spaces and dashes are ignored. */
  prefix?: string;
  /**
   * One search box: a unit matches when its claim ID starts with it, its serial or order contains
   * it (any case), or its state is it ("failed"). Replaces `prefix` when given.
   */
  query?: string;
  /** Only units in this state. */
  state?: UnitState;
  /** Leave out units that are merely reserved (an order's unused IDs). */
  hideReserved?: boolean;
  cursor?: string | null;
  /** 1..500, default 100. */
  limit?: number;
}

export interface UnitDetailReport {
  unit: UnitSummary;
  /** The unit's history, oldest first. */
  events: EventEntry[];
}

export interface UnitsOps {
  listUnits: Op<ListUnitsRequest, Page<UnitSummary>>;
  getUnit: Op<{ claimId: string }, UnitDetailReport>;
}

export const unitsChannels = {
  listUnits: 'units:list',
  getUnit: 'units:get',
} as const satisfies ChannelMap<UnitsOps>;
