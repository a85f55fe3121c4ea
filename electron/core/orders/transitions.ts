import type { UnitState, UnitSummary, VoidReason } from '../../shared/contract';
import type { Clock } from '../clock';
import { Failure } from '../failure';
import type { Store } from '../store';
import { normalizeClaimIdInput, toUnitSummary, type UnitRow } from '../store/units';
import { orderSerials, type OrderRow } from './rows';
import { serialAt, serialInSpec } from './serials';

export const VOID_REASONS: readonly VoidReason[] = ['scrap', 'test', 'label-damaged'];
/** States a unit can be voided from: anything not yet provisioned (and not already voided). */
const VOIDABLE: readonly UnitState[] = ['reserved', 'assigned', 'written', 'verified', 'failed'];
/** The station run ends at 'verified'; a unit assigned and written by hand may skip it. */
const PROVISIONABLE: readonly UnitState[] = ['assigned', 'verified'];

export interface TransitionDeps {
  store: Store;
  clock: Clock;
  onChange?: (claimId: string, orderId: string | null) => void;
}

export function createTransitions(deps: TransitionDeps) {
  const { store, clock } = deps;
  const db = store.db;
  const getOrder = db.prepare('SELECT * FROM orders WHERE id = ?');
  const lowestReserved = db.prepare(
    "SELECT * FROM units WHERE order_id = ? AND state = 'reserved' ORDER BY claim_id LIMIT 1",
  );
  const bySerial = db.prepare(
    "SELECT * FROM units WHERE serial = ? AND state <> 'voided' ORDER BY updated_at DESC, claim_id LIMIT 1",
  );
  const getUnit = db.prepare('SELECT * FROM units WHERE claim_id = ?');
  const setAssigned = db.prepare(
    "UPDATE units SET state = 'assigned', serial = ?, updated_at = ? WHERE claim_id = ? AND state = 'reserved'",
  );
  const setState = db.prepare('UPDATE units SET state = ?, updated_at = ? WHERE claim_id = ?');
  const bumpSerial = db.prepare('UPDATE orders SET next_serial = ?, updated_at = ? WHERE id = ?');

  function unitOrFail(claimId: string): UnitRow {
    const row = getUnit.get(normalizeClaimIdInput(claimId)) as UnitRow | undefined;
    if (!row)
      throw new Failure('not-found', `No unit with claim ID ${claimId} on this station.`, {
        field: 'claimId',
      });
    return row;
  }

  function findUnitBySerial(serial: string): UnitSummary | null {
    const row = bySerial.get(serial.trim()) as UnitRow | undefined;
    return row ? toUnitSummary(row) : null;
  }

  function assignNextReserved(orderId: string, options: { serial?: string | null } = {}): UnitSummary {
    const result = store.transaction(() => {
      const order = getOrder.get(orderId) as OrderRow | undefined;
      if (!order) throw new Failure('not-found', `There is no work order ${orderId} on this station.`);
      if (order.state === 'closed')
        throw new Failure('conflict', `Work order ${orderId} is closed. Pick another order.`);
      const spec = orderSerials(order);
      let serial = options.serial?.trim() || null;
      let nextSerial = order.next_serial;
      if (serial) {
        if (spec && !serialInSpec(spec, serial))
          throw new Failure(
            'validation',
            `Serial ${serial} is not one of work order ${orderId}'s serials. Check the unit.`,
            {
              field: 'serial',
            },
          );
        const holder = findUnitBySerial(serial);
        if (holder)
          throw new Failure(
            'conflict',
            `Serial ${serial} already has claim ID ${holder.claimId} (${holder.state}). Rework that unit instead of giving it a new identity.`,
            { field: 'serial', detail: JSON.stringify(holder) },
          );
      } else if (spec) {
        // The next serial of the order nobody holds yet.
        for (;;) {
          const candidate = serialAt(spec, nextSerial++);
          if (candidate === null)
            throw new Failure(
              'order-exhausted',
              `Work order ${orderId} has handed out all its serial numbers. Scan the unit's serial or extend the order.`,
            );
          if (!findUnitBySerial(candidate)) {
            serial = candidate;
            break;
          }
        }
      }
      // No serial scanned and none of the order's own: the unit is known by its claim ID alone
      // (the serialization service, or a product without serial numbers).
      const row = lowestReserved.get(orderId) as UnitRow | undefined;
      if (!row)
        throw new Failure(
          'order-exhausted',
          `Work order ${orderId} has no reserved claim IDs left (${order.reserved} of ${order.quantity} reserved, all used). Create a new order or finish the reservation.`,
        );
      const at = clock.now().toISOString();
      setAssigned.run(serial, at, row.claim_id);
      if (nextSerial !== order.next_serial) bumpSerial.run(nextSerial, at, orderId);
      store.events.append({ kind: 'unit.assigned', claimId: row.claim_id, orderId, data: { serial } });
      return toUnitSummary(getUnit.get(row.claim_id) as UnitRow);
    });
    deps.onChange?.(result.claimId, orderId);
    return result;
  }

  function move(
    claimId: string,
    allowed: readonly UnitState[],
    to: UnitState,
    kind: string,
    data: Record<string, unknown>,
    refuse: (row: UnitRow) => string,
  ): UnitSummary {
    const result = store.transaction(() => {
      const row = unitOrFail(claimId);
      if (!allowed.includes(row.state))
        throw new Failure('conflict', refuse(row), { detail: `state ${row.state}` });
      const at = clock.now().toISOString();
      setState.run(to, at, row.claim_id);
      store.events.append({
        kind,
        claimId: row.claim_id,
        orderId: row.order_id,
        data: { from: row.state, ...data },
      });
      return toUnitSummary(getUnit.get(row.claim_id) as UnitRow);
    });
    deps.onChange?.(result.claimId, result.orderId);
    return result;
  }

  function voidUnit(claimId: string, options: { reason: VoidReason; note?: string }): UnitSummary {
    if (!VOID_REASONS.includes(options.reason))
      throw new Failure(
        'validation',
        `"${options.reason}" is not a reason to void: use scrap, test or label-damaged.`,
        {
          field: 'reason',
        },
      );
    return move(
      claimId,
      VOIDABLE,
      'voided',
      'unit.voided',
      { reason: options.reason, ...(options.note ? { note: options.note } : {}) },
      (row) =>
        row.state === 'voided'
          ? `Claim ID ${row.claim_id} is already voided.`
          : `Claim ID ${row.claim_id} is provisioned: a shipped identity cannot be voided.`,
    );
  }

  function markProvisioned(claimId: string, data: Record<string, unknown> = {}): UnitSummary {
    return move(
      claimId,
      PROVISIONABLE,
      'provisioned',
      'unit.provisioned',
      data,
      (row) =>
        `Claim ID ${row.claim_id} is ${row.state}: only an assigned or verified unit can be marked provisioned.`,
    );
  }

  /** The serial the order would give its next unit now (nothing is assigned), or null. */
  function peekNextSerial(orderId: string): string | null {
    const order = getOrder.get(orderId) as OrderRow | undefined;
    const spec = order ? orderSerials(order) : null;
    if (!order || !spec) return null;
    for (let index = order.next_serial; ; index++) {
      const candidate = serialAt(spec, index);
      if (candidate === null || !findUnitBySerial(candidate)) return candidate;
    }
  }

  return { assignNextReserved, findUnitBySerial, peekNextSerial, voidUnit, markProvisioned };
}
