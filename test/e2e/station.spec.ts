import { expect, test as base } from './fixtures';
import { systemClock } from '../../electron/core/clock';
import { createJournal } from '../../electron/core/station/journal';
import {
  createFakeDevice,
  deviceFile,
  deviceLog,
  renderTestFiles,
  setDeviceFaults,
} from '../support/fakeDevice';
import { createTestStation, seedUnits, type TestStation } from '../support/station';
import { makeTempDir } from '../support/tempDir';

const ORDER = 'WO-E2E';
const IDS = ['E000000001', 'E000000002', 'E000000003', 'E000000004', 'E000000005', 'E000000006'];

// The real core services with the fake device on the far side of every slot, an order's reserved
// IDs seeded, and slots 1-4 bound to ports.
const test = base.extend<{ devices: string }>({
  devices: async ({}, use) => {
    const temp = makeTempDir('lineside-fake-');
    await use(temp.dir);
    temp.cleanup();
  },
  station: async ({ devices }, use) => {
    const { openSession } = createFakeDevice({ dir: devices, bytesPerSecond: 8000 });
    const station: TestStation = createTestStation({
      transport: 'browser',
      device: { openSession, renderFiles: renderTestFiles },
    });
    seedUnits(station, IDS, 'reserved', ORDER);
    station.services.configureStation({
      activeOrderId: ORDER,
      slotCount: 4,
      ports: { '1': 'fix-1', '2': 'fix-2', '3': 'fix-3', '4': 'fix-4' },
    });
    await use(station);
    station.cleanup();
  },
});

test('the Station screen is first; a scan without clicking anywhere runs a unit to PASS', async ({
  app,
  station,
  devices,
}) => {
  await expect(app.getByRole('heading', { name: 'Station' })).toBeVisible();
  const slot1 = app.getByRole('article', { name: 'Slot 1' });
  await expect(slot1.getByText('next scan')).toBeVisible();
  await expect(app.getByTestId('order-count')).toHaveText('WO-E2E: 0 good of 6');

  // A scanner is a keyboard that types fast and presses Enter; nothing has focus.
  await app.keyboard.type('SN-E2E-1', { delay: 5 });
  await app.keyboard.press('Enter');

  await expect(slot1.getByTestId('slot-1-claim')).toHaveText('E000000001');
  await expect(slot1.getByRole('status')).toContainText('PASS');
  await expect(slot1.getByRole('status')).toContainText('Unplug and insert the next unit.');
  await expect(app.getByTestId('order-count')).toHaveText('WO-E2E: 1 good of 6');
  expect(station.store.units.get('E000000001')).toMatchObject({ state: 'verified', serial: 'SN-E2E-1' });
  expect(deviceFile(devices, 'fix-1', 'config/device.json5').toString()).toContain("id: 'E000000001'");

  // A passed slot stays occupied: the next scan goes to the next free slot, without clicking.
  await expect(app.getByRole('article', { name: 'Slot 2' }).getByText('next scan')).toBeVisible();
  await expect(slot1.getByText('next scan')).toHaveCount(0);
  await app.keyboard.type('SN-E2E-2', { delay: 5 });
  await app.keyboard.press('Enter');
  const slot2 = app.getByRole('article', { name: 'Slot 2' });
  await expect(slot2.getByTestId('slot-2-claim')).toHaveText('E000000002');
  await expect(slot2.getByRole('status')).toContainText('PASS');

  // What was written is one click away.
  await slot2.getByText('Technical detail').click();
  await expect(slot2.getByText('config/device.json5')).toBeVisible();
  await expect(slot2.locator('.file-content')).toContainText("id: 'E000000002'");
  await expect(slot2.getByText('Secret: not kept.')).toBeVisible();

  // ...and later from the Devices screen's unit detail.
  await app.keyboard.press('Alt+3');
  await app.getByLabel('Search claim ID, serial, state or order').fill('E000000002');
  await app.getByRole('table', { name: 'Units' }).locator('tbody tr').first().click();
  const detail = app.getByRole('complementary', { name: 'Unit E000000002' });
  await expect(detail.getByText('config/device.json5 · ', { exact: false })).toContainText(
    'read back and verified',
  );
  await expect(detail.getByText('Secret file: its content is not kept.')).toBeVisible();
});

test('a forced fault shows FAIL with its reason; Retry reworks the unit with the same claim ID', async ({
  app,
  station,
  devices,
}) => {
  setDeviceFaults(devices, 'fix-1', { verify: 'mismatch' });
  await expect(app.getByRole('article', { name: 'Slot 1' }).getByText('next scan')).toBeVisible();
  await app.keyboard.type('SN-BAD', { delay: 5 });
  await app.keyboard.press('Enter');

  const slot1 = app.getByRole('article', { name: 'Slot 1' });
  const fail = slot1.getByRole('alert');
  await expect(fail).toContainText('FAIL');
  await expect(fail).toContainText("Slot 1: the unit's files did not read back as written.");
  await expect(fail).toContainText('Press Retry to write them again.');
  await expect(slot1.getByTestId('slot-1-claim')).toHaveText('E000000001');
  expect(station.store.units.get('E000000001')?.state).toBe('failed');
  await slot1.getByText('Technical detail').click();
  await expect(slot1.getByText(/verify-mismatch/)).toBeVisible();
  // The transport comes from the order's profile (the demo profile: a Linux console).
  await expect(slot1.getByLabel('Slot 1 console')).toContainText('fake-ioto ready (shell, 115200 baud)');

  setDeviceFaults(devices, 'fix-1', {});
  await slot1.getByRole('button', { name: 'Retry' }).click();
  await expect(slot1.getByRole('status')).toContainText('PASS');
  await expect(slot1.getByText('Same claim ID (rework)')).toBeVisible();
  await expect(slot1.getByTestId('slot-1-claim')).toHaveText('E000000001');
  expect(station.store.units.get('E000000001')?.state).toBe('verified');
  expect(station.store.units.get('E000000002')?.state).toBe('reserved');
});

test('a unit pulled mid-write fails with the cable message and never passes', async ({
  app,
  station,
  devices,
}) => {
  setDeviceFaults(devices, 'fix-3', { write: 'disconnect' });
  await app.getByRole('article', { name: 'Slot 3' }).click();
  await app.keyboard.type('SN-PULL', { delay: 5 });
  await app.keyboard.press('Enter');
  const slot3 = app.getByRole('article', { name: 'Slot 3' });
  await expect(slot3.getByRole('alert')).toContainText(
    'Slot 3: the unit disconnected while writing its files.',
  );
  await expect(slot3.getByRole('alert')).toContainText('Check the cable and press Retry.');
  expect(station.store.units.get('E000000001')).toMatchObject({ state: 'failed', serial: 'SN-PULL' });
});

test('after a crash the screen lists the unit written but not verified, and Resume verifies it without writing', async ({
  app,
  station,
  devices,
}) => {
  // What a power cut between write and read-back leaves behind: the files on the device, the
  // journal saying 'written'.
  const at = systemClock.now().toISOString();
  const unit = station.orders.assignNextReserved(ORDER, { serial: 'SN-CUT' });
  const journal = createJournal(station.store);
  journal.begin(unit.claimId, { slot: 2, port: 'fix-2' }, 'claim', at);
  const files = renderTestFiles(unit);
  const { openSession } = createFakeDevice({ dir: devices });
  const session = await openSession({
    path: 'fix-2',
    settings: { kind: 'framed', baudRate: 115200, deviceDir: '/opt/ioto/state' },
  });
  await session.writeFiles(files);
  await session.close();
  journal.written(unit.claimId, files, 0, at);
  await app.reload();

  const panel = app.getByRole('region', { name: 'Interrupted units' });
  await expect(panel).toContainText('E000000001 written, not verified · slot 2');
  await panel.getByRole('button', { name: 'Resume E000000001' }).click();
  const slot2 = app.getByRole('article', { name: 'Slot 2' });
  await expect(slot2.getByRole('status')).toContainText('PASS');
  await expect(slot2.getByTestId('slot-2-claim')).toHaveText('E000000001');
  await expect(slot2.getByRole('progressbar', { name: 'Write: skipped' })).toBeVisible();
  await expect(panel).toHaveCount(0);
  expect(station.store.units.get('E000000001')?.state).toBe('verified');
  expect(station.store.units.get('E000000002')?.state).toBe('reserved');
  // Each file was written once, before the "power cut"; the resume only read them back.
  expect(deviceLog(devices, 'fix-2').filter((e) => e.op === 'write')).toHaveLength(files.length);
});

base(
  'with the real transports, a slot whose port is missing says PORT MISSING with the cable message and uses no ID',
  async ({ app, station }) => {
    seedUnits(station, IDS, 'reserved', ORDER);
    station.services.configureStation({ activeOrderId: ORDER, ports: { '1': '/dev/ttyLINESIDE-MISSING' } });
    await app.reload();
    await expect(app.getByRole('heading', { name: 'Station' })).toBeVisible();
    const slot1 = app.getByRole('article', { name: 'Slot 1' });
    await expect(slot1.locator('.verdict')).toContainText('PORT MISSING');
    await expect(slot1).toContainText(
      "Slot 1: nothing is at /dev/ttyLINESIDE-MISSING. Check the fixture's USB cable.",
    );
    // A scan has nowhere to go, and says why.
    await app.keyboard.type('SN-X', { delay: 5 });
    await app.keyboard.press('Enter');
    await expect(app.getByRole('alert').filter({ hasText: 'nothing is at' })).toContainText(
      "Slot 1: nothing is at /dev/ttyLINESIDE-MISSING. Check the fixture's USB cable.",
    );
    expect(station.store.units.get('E000000001')?.state).toBe('reserved');
  },
);
