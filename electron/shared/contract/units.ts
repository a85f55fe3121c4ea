import * as z from 'zod';
import { claimIdArg, cursorArg, unitStateSchema } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf, type Page } from './types';

/**
 * A unit's identity lifecycle. Later issues add the transitions; the states are fixed here so the
 * Devices screen can show them.
 */
export type UnitState = z.output<typeof unitStateSchema>;

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

export const listUnitsRequest = lazySchema(() =>
  z
    .object({
      /** Claim-ID prefix; case, spaces and dashes are ignored. */
      prefix: z.string().max(40).optional(),
      /**
       * One search box: a unit matches when its claim ID starts with it, its serial or order contains
       * it (any case), or its state is it ("failed"). Replaces `prefix` when given.
       */
      query: z.string().max(80).optional(),
      /** Only units in this state. */
      state: unitStateSchema.optional(),
      /** Leave out units that are merely reserved (an order's unused IDs). */
      hideReserved: z.boolean().optional(),
      cursor: cursorArg,
      /** 1..500, default 100. */
      limit: z.number().int().min(1).max(500).optional(),
    })
    .strict(),
);
export type ListUnitsRequest = z.output<typeof listUnitsRequest>;

export interface UnitDetailReport {
  unit: UnitSummary;
  /** The unit's history, oldest first. */
  events: EventEntry[];
}

export const unitsOperations = {
  listUnits: op('units:list', listUnitsRequest).returns<Page<UnitSummary>>(),
  getUnit: op(
    'units:get',
    lazySchema(() => z.object({ claimId: claimIdArg }).strict()),
  ).returns<UnitDetailReport>(),
};

export type UnitsOps = OpsOf<typeof unitsOperations>;
export const unitsChannels = channelsOf(unitsOperations);
export const unitsSchemas = schemasOf(unitsOperations);
