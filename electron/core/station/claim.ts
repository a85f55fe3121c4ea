import type { UnitSummary } from '../../shared/contract';
import type { Store } from '../store';
import { toUnitSummary, type UnitRow } from '../store/units';
import type { HeldIdentity } from '../transport/types';
import { decideIdentity, type IdentityDecision, type RunIntent } from './identity';
import { takeLease, type LeaseHolder, type LeaseOptions } from './leases';

export interface ClaimRequest {
  orderId: string;
  intent: RunIntent;
  /** What the unit holds (read after connecting). */
  held: HeldIdentity;
  /** Scanned, else reported; placeholder serials already removed. */
  serial: string | null;
  /** The slot (and station) taking the unit's lease. */
  holder: LeaseHolder;
  lease: LeaseOptions;
}

export interface ClaimResult {
  decision: IdentityDecision;
  /** The unit this run works on, its lease taken; null for already-provisioned and conflicts. */
  unit: UnitSummary | null;
  /** True when the unit keeps a claim ID it already had: no new identity was issued. */
  rework: boolean;
}

/**
 * Takes the order's next reserved claim ID for a unit: the orders module's `assignNextReserved`
 * (the seam a leased block of IDs from the line's database will plug into).
 */
export type AssignNext = (orderId: string, serial: string | null) => UnitSummary;

/**
 * The unit's identity in one IMMEDIATE transaction: reads the store's view, asks `decideIdentity`,
 * and for a unit to be worked takes its lease (and, for a new unit, its claim ID through `assign`)
 * before committing. Two slots, two processes or two stations on one database can never work one
 * unit, or hand out one ID, at once. A refusal is committed as an event (station and operator
 * are stamped by the event log).
 */
export function claimUnit(store: Store, assign: AssignNext, request: ClaimRequest): ClaimResult {
  const { orderId, serial, held, intent } = request;
  const db = store.db;
  const unitById = (claimId: string | null) =>
    claimId
      ? ((db.prepare('SELECT * FROM units WHERE claim_id = ?').get(claimId) as UnitRow | undefined) ?? null)
      : null;
  return store.transaction(() => {
    const bySerial = serial
      ? ((db
          .prepare(
            "SELECT * FROM units WHERE serial = ? ORDER BY state = 'voided', updated_at DESC, claim_id LIMIT 1",
          )
          .get(serial) as UnitRow | undefined) ?? null)
      : null;
    const heldRow = unitById(held.claimId);
    const namedRow = intent.kind === 'scan' ? null : unitById(intent.claimId.toUpperCase());
    const decision = decideIdentity({
      orderId,
      intent,
      held,
      serial,
      heldUnit: heldRow && toUnitSummary(heldRow),
      serialUnit: bySerial && toUnitSummary(bySerial),
      namedUnit: namedRow && toUnitSummary(namedRow),
    });
    const base = { slot: request.holder.slot, port: request.holder.port, serial, held: held.claimId };
    switch (decision.kind) {
      case 'conflict':
        store.events.append({
          kind: 'station.refused',
          claimId: held.claimId && heldRow ? held.claimId : null,
          orderId,
          data: { ...base, reason: decision.reason, message: decision.message, intent },
        });
        return { decision, unit: null, rework: false };
      case 'already-provisioned':
        store.events.append({
          kind: 'station.already-provisioned',
          claimId: decision.unit.claimId,
          orderId: decision.unit.orderId,
          data: { ...base, state: decision.unit.state },
        });
        return { decision, unit: null, rework: false };
      case 'resume': {
        takeLease(store, decision.unit.claimId, request.holder, request.lease);
        if (decision.why === 'rework' || decision.why === 'held' || decision.why === 'serial')
          store.events.append({
            kind: 'unit.rework',
            claimId: decision.unit.claimId,
            orderId: decision.unit.orderId,
            data: { ...base, why: decision.why, previousState: decision.unit.state },
          });
        return { decision, unit: decision.unit, rework: true };
      }
      case 'new': {
        const unit = assign(orderId, decision.serial);
        takeLease(store, unit.claimId, request.holder, request.lease);
        return { decision, unit, rework: false };
      }
    }
  });
}
