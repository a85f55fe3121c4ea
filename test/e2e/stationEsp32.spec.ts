/**
 * ESP32 units in the app, through the bridge: the Station screen runs a unit of the shipped
 * ioto-esp32 profile against the ROM bootloader simulator on a real pty (esptool-js over serialport),
 * showing the erase, write and verify phases, and a fault (an MD5 mismatch) fails the card with its
 * reason. (A pulled cable removes the simulator's pty, so the card then says the port is missing; the
 * cable message itself is checked in test/integration/line-wiring/esp32Run.test.ts.)
 * Diagnostics → Device store → "ESP32 over USB" opens a unit's Store from its storage partition.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { expect, test as base } from './fixtures';
import { buildLittleFs, espGeometry, mountLittleFs } from '../../electron/core/littlefs';
import { storeItem, writeDeviceDb } from '../support/deviceDb';
import { initialFlash, startEsp32Sim, type Esp32Sim, type RomFault } from '../support/esp32Sim';
import { createTestStation, type TestStation } from '../support/station';
import { makeTempDir } from '../support/tempDir';

const STORAGE = 0x210000;

const test = base.extend<{ faults: RomFault[]; sim: Esp32Sim }>({
  faults: [[], { option: true }],
  sim: async ({ faults }, use) => {
    const temp = makeTempDir('lineside-esp32-e2e-');
    const sim = await startEsp32Sim({ dir: temp.dir, eraseMsPerSector: 5, faults });
    await use(sim);
    await sim.stop();
    temp.cleanup();
  },
  station: async ({ sim }, use) => {
    const station: TestStation = createTestStation({ transport: 'browser' });
    station.orders.createOrder({ profile: 'ioto-esp32', quantity: 3, orderId: 'WO-ESP' });
    await station.orders.reserveRemaining('WO-ESP');
    station.orders.setActiveOrder('WO-ESP');
    await station.services.configureStation({ slotCount: 1, ports: { '1': sim.path } });
    await use(station);
    station.cleanup();
  },
});

test('an ESP32 unit runs to PASS showing erase, write and verify, and its flash holds its identity', async ({
  app,
  station,
  sim,
}) => {
  const slot1 = app.getByRole('article', { name: 'Slot 1' });
  await app.keyboard.type('ESP-SERIAL-1', { delay: 5 });
  await app.keyboard.press('Enter');
  // Each phase appears on the card while the unit is worked on.
  await expect(slot1.locator('[data-stage="erase"]')).toBeVisible({ timeout: 30_000 });
  await expect(slot1.locator('[data-stage="write"]')).toBeVisible({ timeout: 30_000 });
  await expect(slot1.locator('[data-stage="verify"]')).toBeVisible({ timeout: 30_000 });
  await expect(slot1.getByRole('status')).toContainText('PASS', { timeout: 30_000 });
  for (const stage of ['erase', 'write', 'verify'])
    await expect(slot1.locator(`[data-stage="${stage}"]`)).toHaveAttribute('data-done', 'yes');
  await expect(slot1.locator('[data-stage="verify"]')).toContainText('Verify (MD5 + read-back)');

  const claimId = (await slot1.getByTestId('slot-1-claim').textContent())!.trim();
  expect(station.store.units.get(claimId)).toMatchObject({ state: 'verified', serial: 'ESP-SERIAL-1' });
  const flash = fs.readFileSync(sim.flashFile);
  const onUnit = await mountLittleFs(flash.subarray(STORAGE, STORAGE + 0x400000));
  expect(JSON5.parse((await onUnit.readFile('config/device.json5')).toString())).toMatchObject({
    id: claimId,
    model: 'ESP32-DEMO',
  });
  await expect(app.getByTestId('order-count')).toHaveText('WO-ESP: 1 good of 3');
});

test.describe('with a flash whose MD5 does not match', () => {
  test.use({ faults: [{ kind: 'md5-mismatch', op: 'SPI_FLASH_MD5', nth: 1 }] });
  test('the card FAILs with its reason, and the unit keeps its claim ID', async ({ app, station }) => {
    const slot1 = app.getByRole('article', { name: 'Slot 1' });
    await app.keyboard.type('ESP-SERIAL-2', { delay: 5 });
    await app.keyboard.press('Enter');
    const verdict = slot1.getByRole('alert');
    await expect(verdict).toContainText('FAIL', { timeout: 30_000 });
    await expect(verdict).toContainText("Slot 1: the unit's files did not read back as written.");
    await expect(verdict).toContainText('Press Retry to write them again.');
    const claimId = (await slot1.getByTestId('slot-1-claim').textContent())!.trim();
    expect(station.store.units.get(claimId)?.state).toBe('failed');
    // The write phases finished; the verify phase is where it stopped.
    await expect(slot1.locator('[data-stage="write"]')).toHaveAttribute('data-done', 'yes');
  });
});

test("Diagnostics opens an ESP32's Store and identity from its storage partition, read-only", async ({
  app,
}) => {
  const temp = makeTempDir('lineside-esp32-store-');
  const at = '2026-11-30T10:00:00.000Z';
  const { image } = buildLittleFs(
    [
      { path: 'config/device.json5', content: Buffer.from("{ id: 'M72DANY8BZ' }") },
      {
        path: 'db/device.db',
        content: writeDeviceDb([storeItem('mode', 'eco', at), storeItem('limit', 42, at)]),
      },
    ],
    espGeometry(0x400000),
  );
  const flash = initialFlash({});
  image.copy(flash, STORAGE);
  fs.writeFileSync(path.join(temp.dir, 'flash.bin'), flash);
  const unit = await startEsp32Sim({ dir: temp.dir });
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Device store' }).click();
    await app.getByLabel('Port', { exact: true }).fill(unit.path);
    await app.getByLabel('Transport').selectOption('esp32');
    await app.getByRole('button', { name: 'Open over serial' }).click();
    await expect(app.getByText("Read from the ESP32's storage partition")).toBeVisible({ timeout: 30_000 });
    const table = app.getByRole('table', { name: 'Store items' });
    await expect(table.getByRole('row', { name: /limit/ })).toContainText('42');
    await expect(table.getByRole('row', { name: /mode/ })).toContainText('eco');

    // The identity files, read the same way, in Device identity.
    await app.getByRole('tab', { name: 'Device identity' }).click();
    await app.getByLabel('Or the unit on serial port').fill(unit.path);
    await app.getByLabel('Identity transport').selectOption('esp32');
    await app.getByRole('button', { name: 'Read identity from the unit' }).click();
    await expect(app.getByText('M72DANY8BZ').first()).toBeVisible({ timeout: 30_000 });
  } finally {
    await unit.stop();
    temp.cleanup();
  }
});
