import { describe, expect, it } from 'vitest';
import type { UnitState, UnitSummary } from '../../../electron/shared/contract';
import { decideIdentity, effectiveSerial, type IdentityInput } from '../../../electron/core/station/identity';
import { parseHeldIdentity } from '../../../electron/core/transport/heldIdentity';

const ORDER = 'WO-1';
const u = (
  claimId: string,
  state: UnitState,
  serial: string | null = null,
  orderId = ORDER,
): UnitSummary => ({
  claimId,
  state,
  serial,
  orderId,
  profileHash: 'h',
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
});
const input = (over: Partial<IdentityInput>): IdentityInput => ({
  orderId: ORDER,
  intent: { kind: 'scan' },
  held: { claimId: null },
  serial: null,
  heldUnit: null,
  serialUnit: null,
  namedUnit: null,
  ...over,
});

/** The table in docs/station.md, row by row. */
describe('decideIdentity', () => {
  it('holds nothing, serial unknown: a new unit', () => {
    expect(decideIdentity(input({}))).toEqual({ kind: 'new', serial: null });
    expect(decideIdentity(input({ serial: 'SN-1' }))).toEqual({ kind: 'new', serial: 'SN-1' });
  });

  it('holds X, verified for this serial: already provisioned, no write', () => {
    const x = u('X1', 'verified', 'SN-1');
    for (const serial of ['SN-1', null])
      expect(decideIdentity(input({ held: { claimId: 'X1' }, heldUnit: x, serial }))).toMatchObject({
        kind: 'already-provisioned',
        unit: x,
      });
  });

  it('holds X, failed / assigned / written: resume X', () => {
    for (const state of ['failed', 'assigned', 'written'] as const)
      expect(
        decideIdentity(input({ held: { claimId: 'X1' }, heldUnit: u('X1', state, 'SN-1'), serial: 'SN-1' })),
      ).toMatchObject({ kind: 'resume', why: 'held' });
  });

  it('holds X unknown here, of another order, or of another serial: conflict', () => {
    const cases: [Partial<IdentityInput>, string][] = [
      [{ held: { claimId: 'X1' } }, 'unknown-id'],
      [{ held: { claimId: 'X1' }, heldUnit: u('X1', 'verified', null, 'WO-2') }, 'other-order'],
      [{ held: { claimId: 'X1' }, heldUnit: u('X1', 'verified', 'SN-1'), serial: 'SN-2' }, 'other-serial'],
      [{ held: { claimId: 'X1' }, heldUnit: u('X1', 'voided') }, 'voided'],
      [{ held: { claimId: null, unreadable: 'bad' } }, 'unreadable'],
    ];
    for (const [over, reason] of cases) {
      const d = decideIdentity(input(over));
      expect(d).toMatchObject({ kind: 'conflict', reason });
      expect(d.kind === 'conflict' && d.message).toMatch(/Set this unit aside and call the engineer\.$/);
    }
  });

  it('holds nothing, but the serial belongs to a verified unit: conflict (duplicate serial or wiped unit)', () => {
    expect(decideIdentity(input({ serial: 'SN-1', serialUnit: u('X1', 'verified', 'SN-1') }))).toMatchObject({
      kind: 'conflict',
      reason: 'duplicate-serial',
    });
    expect(decideIdentity(input({ serial: 'SN-1', serialUnit: u('X1', 'failed', 'SN-1') }))).toMatchObject({
      kind: 'resume',
      why: 'serial',
    });
  });

  it("a rework is explicit: Retry/Resume never rewrites a verified unit; the engineer's rework may", () => {
    const x = u('X1', 'verified', 'SN-1');
    expect(
      decideIdentity(input({ intent: { kind: 'continue', claimId: 'X1' }, namedUnit: x })),
    ).toMatchObject({ kind: 'conflict', reason: 'already-verified' });
    expect(decideIdentity(input({ intent: { kind: 'rework', claimId: 'X1' }, namedUnit: x }))).toMatchObject({
      kind: 'resume',
      why: 'rework',
    });
    expect(
      decideIdentity(
        input({ intent: { kind: 'rework', claimId: 'X1' }, namedUnit: x, held: { claimId: 'Y2' } }),
      ),
    ).toMatchObject({ kind: 'conflict', reason: 'other-unit' });
  });

  it('placeholder serials count as none; device.json5 ids are read as the agent reads them', () => {
    expect(effectiveSerial(null, 'SIM-0001', ['SIM-0001'])).toBeNull();
    expect(effectiveSerial('SN-1', 'SIM-0001', ['SIM-0001'])).toBe('SN-1');
    expect(effectiveSerial(null, 'BOARD-7', ['SIM-0001'])).toBe('BOARD-7');
    expect(parseHeldIdentity(null)).toEqual({ claimId: null });
    expect(parseHeldIdentity("{ id: 'auto', product: 'x' }")).toEqual({ claimId: null });
    expect(parseHeldIdentity("// c\n{ id: 'm72dany8bz', }")).toEqual({ claimId: 'M72DANY8BZ' });
    expect(parseHeldIdentity('{ id: ')).toMatchObject({ claimId: null, unreadable: expect.any(String) });
  });
});
