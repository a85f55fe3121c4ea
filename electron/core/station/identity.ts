import type { UnitSummary } from '../../shared/contract';
import type { HeldIdentity } from '../transport/types';

/**
 * How a run came to this unit. `scan`: a scanned (or unit-reported) serial, or nothing; it never
 * turns into a rework of a verified unit. `continue`: Retry on a FAIL card or Resume after a crash,
 * naming the claim ID the station already gave. `rework`: an engineer's explicit "Rework unit X".
 */
export type RunIntent =
  { kind: 'scan' } | { kind: 'continue'; claimId: string } | { kind: 'rework'; claimId: string };

export interface IdentityInput {
  orderId: string;
  intent: RunIntent;
  /** What the unit holds, read after connecting and before any claim ID is taken. */
  held: HeldIdentity;
  /** Scanned, else reported by the unit; placeholder serials already count as none (null). */
  serial: string | null;
  /** The store's unit for the claim ID the unit holds (null: unknown to this station). */
  heldUnit: UnitSummary | null;
  /** The store's unit with this serial, if any (a non-voided one first). */
  serialUnit: UnitSummary | null;
  /** The store's unit the intent names (continue / rework). */
  namedUnit: UnitSummary | null;
}

/** Why a unit is stopped; a stable reason for the event log and tests, with the technician's words. */
export type ConflictReason =
  | 'unreadable'
  | 'unknown-id'
  | 'other-order'
  | 'other-serial'
  | 'voided'
  | 'duplicate-serial'
  | 'other-unit'
  | 'not-found'
  | 'shipped'
  | 'already-verified';

export type IdentityDecision =
  /** A unit that holds nothing, serial unknown or new: the order's next reserved claim ID. */
  | { kind: 'new'; serial: string | null }
  /** The unit holds X and the store has X verified: nothing is written, no new ID. */
  | { kind: 'already-provisioned'; unit: UnitSummary }
  /** The same claim ID again: the unit holds it (or nothing) and the store has it unfinished. */
  | { kind: 'resume'; unit: UnitSummary; why: 'held' | 'serial' | 'continue' | 'rework' }
  /** Stop: nothing is written, no ID is taken. */
  | { kind: 'conflict'; reason: ConflictReason; message: string };

const ASIDE = 'Set this unit aside and call the engineer.';
const UNFINISHED = new Set(['assigned', 'written', 'failed']);
const DONE = new Set(['verified', 'provisioned']);

const conflict = (reason: ConflictReason, message: string): IdentityDecision => ({
  kind: 'conflict',
  reason,
  message: `${message} ${ASIDE}`,
});

/** Serials an unprovisioned unit reports by default (the profile lists them) count as no serial. */
export function effectiveSerial(
  scanned: string | null | undefined,
  reported: string | null | undefined,
  placeholders: readonly string[],
): string | null {
  const pick = (s: string | null | undefined) => {
    const t = s?.trim();
    return t && !placeholders.includes(t) ? t : null;
  };
  return pick(scanned) ?? pick(reported);
}

/**
 * The one place the station decides whose identity a unit gets. The table is in docs/station.md;
 * the claim's IMMEDIATE transaction calls this with the store's view read inside it.
 */
export function decideIdentity(input: IdentityInput): IdentityDecision {
  const { held, heldUnit, serial, orderId, intent } = input;
  if (held.unreadable)
    return conflict('unreadable', `The unit's config/device.json5 cannot be read (${held.unreadable}).`);
  const heldId = held.claimId;

  if (intent.kind !== 'scan') {
    const named = input.namedUnit;
    if (!named) return conflict('not-found', `There is no unit ${intent.claimId} on this station.`);
    if (heldId && heldId !== named.claimId)
      return conflict(
        'other-unit',
        `The unit in the slot holds claim ID ${heldId}, not ${named.claimId}: it is a different unit.`,
      );
    if (named.state === 'voided')
      return conflict('voided', `Unit ${named.claimId} is voided: its identity may not be used again.`);
    if (named.state === 'reserved')
      return conflict('not-found', `Unit ${named.claimId} was never given to a unit: scan the unit instead.`);
    if (intent.kind === 'rework') {
      if (named.state === 'provisioned')
        return conflict(
          'shipped',
          `Unit ${named.claimId} is provisioned: a shipped identity is not reworked.`,
        );
      return { kind: 'resume', unit: named, why: 'rework' };
    }
    if (DONE.has(named.state)) {
      if (heldId === named.claimId) return { kind: 'already-provisioned', unit: named };
      return conflict(
        'already-verified',
        `Unit ${named.claimId} is already ${named.state} and this unit holds no identity: only the engineer's "Rework unit ${named.claimId}" may write it again.`,
      );
    }
    return { kind: 'resume', unit: named, why: 'continue' };
  }

  if (heldId) {
    if (!heldUnit)
      return conflict(
        'unknown-id',
        `The unit already holds claim ID ${heldId}, which this station never issued.`,
      );
    if (heldUnit.orderId !== orderId)
      return conflict(
        'other-order',
        `The unit already holds claim ID ${heldId} of work order ${heldUnit.orderId ?? '(none)'}, not ${orderId}.`,
      );
    if (serial && heldUnit.serial && heldUnit.serial !== serial)
      return conflict(
        'other-serial',
        `The unit holds claim ID ${heldId}, which belongs to serial ${heldUnit.serial}, not ${serial}.`,
      );
    if (heldUnit.state === 'voided')
      return conflict('voided', `The unit holds claim ID ${heldId}, which was voided.`);
    if (DONE.has(heldUnit.state)) return { kind: 'already-provisioned', unit: heldUnit };
    if (UNFINISHED.has(heldUnit.state)) return { kind: 'resume', unit: heldUnit, why: 'held' };
    return conflict('unknown-id', `The unit holds claim ID ${heldId}, which was never handed to a unit.`);
  }

  if (!serial) return { kind: 'new', serial: null };
  const owner = input.serialUnit;
  if (!owner) return { kind: 'new', serial };
  if (owner.state === 'voided')
    return conflict('voided', `Serial ${serial} belongs to voided unit ${owner.claimId}.`);
  if (owner.orderId !== orderId)
    return conflict(
      'other-order',
      `Serial ${serial} already belongs to work order ${owner.orderId ?? '(none)'} (unit ${owner.claimId}).`,
    );
  if (DONE.has(owner.state))
    return conflict(
      'duplicate-serial',
      `Serial ${serial} already belongs to ${owner.state} unit ${owner.claimId}, but this unit holds no identity (a second unit with the same serial, or a wiped unit).`,
    );
  return { kind: 'resume', unit: owner, why: 'serial' };
}
