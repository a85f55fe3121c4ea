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

/**
 * Takes the unit's identity in one IMMEDIATE transaction: the serial's existing unit (rework), or
 * the active order's lowest reserved claim ID, set 'assigned' with the serial. Two slots or two
 * processes can never take the same ID. (The orders module has an equivalent `assignNextReserved`.)
 */
export function claimUnit(store: Store, request: ClaimRequest): ClaimResult {
  const { orderId, at } = request;
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
    const next = store.db
      .prepare(
        "SELECT claim_id FROM units WHERE order_id = ? AND state = 'reserved' ORDER BY claim_id LIMIT 1",
      )
      .pluck()
      .get(orderId) as string | undefined;
    if (next === undefined)
      throw new Failure(
        'conflict',
        `Work order ${orderId} has no reserved claim IDs left: reserve more IDs on the Work orders screen.`,
      );
    store.db
      .prepare(
        "UPDATE units SET state = 'assigned', serial = ?, updated_at = ? WHERE claim_id = ? AND state = 'reserved'",
      )
      .run(serial, at, next);
    store.events.append({ kind: 'unit.assigned', claimId: next, orderId, data: { serial } });
    const row = store.db.prepare('SELECT * FROM units WHERE claim_id = ?').get(next) as UnitRow;
    return { unit: toUnitSummary(row), rework: false };
  });
}
