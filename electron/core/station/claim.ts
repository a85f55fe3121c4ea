import type { UnitSummary } from '../../shared/contract';
import { Failure } from '../failure';
import type { Store } from '../store';
import { toUnitSummary, type UnitRow } from '../store/units';

export interface ClaimRequest {
  orderId: string;
  /** Scanned or reported by the device; a serial that already has a unit gets that unit back. */
  serial?: string | null;
  at: string;
}

export interface ClaimResult {
  unit: UnitSummary;
  /** True when the serial already had a unit: same claim ID, no new identity. */
  rework: boolean;
}

/** Takes the order's next reserved claim ID for a unit: the orders module's `assignNextReserved`. */
export type AssignNext = (orderId: string, serial: string | null) => UnitSummary;

/**
 * Takes the unit's identity in one IMMEDIATE transaction: the serial's existing unit (rework, with
 * the station's refusals for voided units and other orders), or a new claim ID from the order
 * through `assign`. Two slots or two processes can never take the same ID.
 */
export function claimUnit(store: Store, assign: AssignNext, request: ClaimRequest): ClaimResult {
  const { orderId } = request;
  const serial = request.serial ?? null;
  return store.transaction(() => {
    if (serial) {
      const existing = store.db
        .prepare('SELECT * FROM units WHERE serial = ? ORDER BY created_at LIMIT 1')
        .get(serial) as UnitRow | undefined;
      if (existing) {
        if (existing.state === 'voided')
          throw new Failure(
            'conflict',
            `Serial ${serial} belongs to voided unit ${existing.claim_id}: set this unit aside and call the engineer.`,
          );
        if (existing.order_id !== null && existing.order_id !== orderId)
          throw new Failure(
            'conflict',
            `Serial ${serial} already belongs to order ${existing.order_id} (unit ${existing.claim_id}): set it aside and call the engineer.`,
          );
        store.events.append({
          kind: 'unit.rework',
          claimId: existing.claim_id,
          orderId: existing.order_id,
          data: { serial, previousState: existing.state },
        });
        return { unit: toUnitSummary(existing), rework: true };
      }
    }
    return { unit: assign(orderId, serial), rework: false };
  });
}
