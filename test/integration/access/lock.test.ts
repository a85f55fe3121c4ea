import { describe, expect, it } from 'vitest';
import { operationNames } from '../../../electron/shared/contract';
import { allowedWhileLocked } from '../../../electron/core/access';
import type { PinHash } from '../../../electron/core/access/pin';
import { createFakeDevice, renderTestFiles } from '../../support/fakeDevice';
import { createTestStation, seedUnits } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const ORDER = 'WO-LOCK';
const IDS = ['L000000001', 'L000000002', 'L000000003'];

function lockedStation() {
  const devices = makeTempDir('lineside-lock-');
  const { openSession } = createFakeDevice({ dir: devices.dir });
  const station = createTestStation({ device: { openSession, renderFiles: renderTestFiles } });
  seedUnits(station, IDS, 'reserved', ORDER);
  station.services.configureStation({
    activeOrderId: ORDER,
    slotCount: 2,
    ports: { '1': 'fix-1', '2': 'fix-2' },
  });
  return {
    station,
    call: (op: string, arg?: unknown) => station.dispatch(op, arg),
    cleanup: () => {
      station.cleanup();
      devices.cleanup();
    },
  };
}

describe('locked station mode', () => {
  it('keeps the engineer PIN only as a slow scrypt hash', async () => {
    const { station, call, cleanup } = lockedStation();
    try {
      expect(await call('lockStation', { pin: '4711' })).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
      expect(await call('setEngineerPin', { pin: '4711' })).toMatchObject({
        ok: true,
        value: { pinSet: true },
      });
      const stored = station.store.settings.get<PinHash | null>('access.pin', null)!;
      expect(stored.algorithm).toBe('scrypt');
      expect(stored.N).toBeGreaterThanOrEqual(2 ** 15);
      expect(Buffer.from(stored.salt, 'base64')).toHaveLength(16);
      const raw = station.store.db
        .prepare('SELECT group_concat(value) FROM settings')
        .pluck()
        .get() as string;
      expect(raw).not.toContain('4711');
      // Changing the PIN needs the current one.
      expect(await call('setEngineerPin', { pin: '9999' })).toMatchObject({
        ok: false,
        error: { code: 'validation', field: 'currentPin' },
      });
      expect(await call('setEngineerPin', { currentPin: '0000', pin: '9999' })).toMatchObject({
        ok: false,
        error: { code: 'bad-passphrase' },
      });
      expect(await call('setEngineerPin', { currentPin: '4711', pin: '9999' })).toMatchObject({ ok: true });
      expect(await call('lockStation', { pin: '4711' })).toMatchObject({
        ok: false,
        error: { code: 'bad-passphrase' },
      });
      expect(await call('lockStation', { pin: '9999' })).toMatchObject({ ok: true, value: { locked: true } });
    } finally {
      cleanup();
    }
  });

  it('refuses every setup change while locked, and the PIN unlocks it', async () => {
    const { station, call, cleanup } = lockedStation();
    try {
      await call('updateStationSettings', { operator: 'Eve Engineer' });
      await call('setEngineerPin', { pin: '2468' });
      const locked = await call('lockStation', { pin: '2468' });
      expect(locked).toMatchObject({
        ok: true,
        value: {
          locked: true,
          role: 'technician',
          lockedBy: 'Eve Engineer',
          operator: null,
          setup: {
            orderId: ORDER,
            slotCount: 2,
            ports: { '1': 'fix-1', '2': 'fix-2' },
            printer: 'no label printer',
          },
        },
      });
      for (const [op, arg] of [
        ['configureStation', { activeOrderId: null }],
        ['setActiveOrder', { orderId: null }],
        ['setSlots', { slots: [] }],
        ['updateLabelSettings', { copies: 2 }],
        ['updateStationSettings', { stationName: 'elsewhere' }],
        ['createOrder', { profile: 'ioto-demo', quantity: 1 }],
        ['setEngineerPin', { currentPin: '2468', pin: '1111' }],
        ['lockCa', undefined],
      ] as const) {
        expect(await call(op, arg), op).toMatchObject({ ok: false, error: { code: 'station-locked' } });
      }
      // A rework with an existing claim ID is the engineer's, even on an allowed operation.
      expect(await call('startUnit', { slot: 1, orderId: ORDER, rework: IDS[0] })).toMatchObject({
        ok: false,
        error: { code: 'station-locked', field: 'rework' },
      });
      // Reading still works.
      expect(await call('getStationState')).toMatchObject({ ok: true });
      // Work is recorded against a person: nobody signed in, no unit.
      expect(await call('startUnit', { slot: 1, orderId: ORDER, serial: 'SN-1' })).toMatchObject({
        ok: false,
        error: { code: 'unauthorized', field: 'operator' },
      });
      expect(await call('unlockStation', { pin: '1357' })).toMatchObject({
        ok: false,
        error: { code: 'bad-passphrase' },
      });
      expect(await call('configureStation', { slotCount: 3 })).toMatchObject({
        ok: false,
        error: { code: 'station-locked' },
      });
      expect(await call('unlockStation', { pin: '2468' })).toMatchObject({
        ok: true,
        value: { locked: false, role: 'engineer' },
      });
      expect(await call('configureStation', { slotCount: 3 })).toMatchObject({ ok: true });
      const kinds = station.store.events.recent(50).map((e) => e.kind);
      expect(kinds).toEqual(
        expect.arrayContaining(['access.locked', 'access.pin-refused', 'access.unlocked']),
      );
    } finally {
      cleanup();
    }
  });

  it('pauses unlocking after five wrong PINs', async () => {
    const { call, cleanup } = lockedStation();
    try {
      await call('setEngineerPin', { pin: '2468' });
      await call('lockStation', { pin: '2468' });
      for (let i = 0; i < 5; i++)
        expect(await call('unlockStation', { pin: `000${i}` })).toMatchObject({
          ok: false,
          error: { code: 'bad-passphrase' },
        });
      expect(await call('unlockStation', { pin: '2468' })).toMatchObject({
        ok: false,
        error: { code: 'busy' },
      });
    } finally {
      cleanup();
    }
  });

  it('records the operator who signed in with a badge, and the role, on the unit it ran', async () => {
    const { station, call, cleanup } = lockedStation();
    try {
      await call('setEngineerPin', { pin: '2468' });
      await call('lockStation', { pin: '2468' });
      expect(await call('signInOperator', { badge: 'OP-0042 Tina Tech' })).toMatchObject({
        ok: true,
        value: { operator: { name: 'OP-0042 Tina Tech', method: 'badge', badge: 'OP-0042 Tina Tech' } },
      });
      const started = await call('startUnit', { slot: 1, orderId: ORDER, serial: 'SN-1', wait: true });
      expect(started).toMatchObject({ ok: true, value: { status: 'pass', claimId: IDS[0] } });
      const events = station.store.events.forUnit(IDS[0]!);
      expect(events.length).toBeGreaterThan(2);
      for (const e of events.filter((x) => x.kind !== 'unit.seeded')) {
        expect(e.operator, e.kind).toBe('OP-0042 Tina Tech');
        expect(e.role, e.kind).toBe('technician');
      }
      const signIn = station.store.events.recent(20).find((e) => e.kind === 'operator.signed-in')!;
      expect(signIn).toMatchObject({
        operator: 'OP-0042 Tina Tech',
        role: 'technician',
        data: { method: 'badge' },
      });
    } finally {
      cleanup();
    }
  });

  it('denies by default: only reading, the station run, reprints and sign-in pass a lock', () => {
    const allowed = operationNames
      .filter(allowedWhileLocked)
      .filter((op) => !/^(get|list|check|preview|export|inspect)[A-Z]/.test(op));
    expect(allowed.sort()).toEqual(
      [
        'cancelJob',
        'cancelUnit',
        'claimIdCard',
        'clearSlot',
        'closeTerminal',
        'closeDeviceStore',
        'openTerminal',
        'reprintLabel',
        'resumeUnit',
        'retryUnit',
        'signInOperator',
        'signOutOperator',
        'startUnit',
        'unlockStation',
        'writeTerminal',
      ].sort(),
    );
  });
});
