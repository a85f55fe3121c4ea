/**
 * A short shift on real station services with the fake device on two slots: two units pass, one
 * fails a read-back and passes on Retry (a rework), one is unplugged while written and stays
 * failed, and a port that does not open fails before a claim ID is taken; one label is reprinted
 * with a reason. Used by the shift report's integration and e2e tests.
 */
import type { ServicesHandle } from '../../electron/core/services';
import { createFakeDevice, renderTestFiles, setDeviceFaults } from './fakeDevice';
import { createTestStation, seedUnits, type TestStation } from './station';

export const SHIFT_ORDER = 'WO-SHIFT';
export const SHIFT_IDS = ['S000000001', 'S000000002', 'S000000003', 'S000000004', 'S000000005'];

export function createShiftStation(devices: string, transport: 'cli' | 'browser' = 'cli'): TestStation {
  const { openSession } = createFakeDevice({ dir: devices });
  const station = createTestStation({ transport, device: { openSession, renderFiles: renderTestFiles } });
  seedUnits(station, SHIFT_IDS, 'reserved', SHIFT_ORDER);
  return station;
}

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export async function runShift(station: ServicesHandle, devices: string, printDir: string): Promise<void> {
  const d = station.dispatch;
  await ok(
    d('configureStation', { activeOrderId: SHIFT_ORDER, slotCount: 2, ports: { '1': 'fx-1', '2': 'fx-2' } }),
  );
  await ok(d('updateLabelSettings', { printer: { kind: 'file', dir: printDir, format: 'png' } }));
  // Each unit is its own fake device (its own port folder): a new, blank unit in the slot.
  const unit = async (slot: number, serial: string, port: string) =>
    ok(d('startUnit', { slot, orderId: SHIFT_ORDER, serial, port, wait: true }));
  await unit(1, 'SN-1', 'fx-1a');
  await ok(d('clearSlot', { slot: 1 }));
  await unit(2, 'SN-2', 'fx-2a');
  await ok(d('clearSlot', { slot: 2 }));
  setDeviceFaults(devices, 'fx-1b', { verify: 'mismatch' });
  await unit(1, 'SN-3', 'fx-1b');
  setDeviceFaults(devices, 'fx-1b', {});
  await ok(d('retryUnit', { slot: 1, wait: true }));
  await ok(d('clearSlot', { slot: 1 }));
  setDeviceFaults(devices, 'fx-2b', { write: 'disconnect' });
  await unit(2, 'SN-4', 'fx-2b');
  await ok(d('clearSlot', { slot: 2 }));
  // A port that does not open: the station stops before it takes a claim ID.
  setDeviceFaults(devices, 'fx-2c', { connect: 'refused' });
  await unit(2, 'SN-5', 'fx-2c');
  const first = station.store.db
    .prepare("SELECT claim_id FROM units WHERE serial = 'SN-1'")
    .pluck()
    .get() as string;
  if (
    !station.store.db.prepare("SELECT 1 FROM label_prints WHERE claim_id = ? AND kind = 'print'").get(first)
  )
    await ok(d('printUnitLabel', { claimId: first }));
  await ok(d('reprintLabel', { claimId: first, reason: 'label smeared' }));
}
