/**
 * The Station screen against a simulated unit on a real pty, through the bridge: the real framed
 * transport, a real work order from a profile, the scanner, and a forced fault.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { expect, test as base } from './fixtures';
import { startSimulator, type Simulator } from '../support/deviceSim';
import { createTestStation, factoryProfilesDir, type TestStation } from '../support/station';
import { makeTempDir } from '../support/tempDir';

const test = base.extend<{ unitDir: string; sim: Simulator }>({
  unitDir: async ({}, use) => {
    const temp = makeTempDir('lineside-sim-unit-');
    await use(temp.dir);
    temp.cleanup();
  },
  sim: async ({ unitDir }, use) => {
    const sim = await startSimulator({ dir: unitDir, baud: 115200 });
    await use(sim);
    await sim.stop();
  },
  station: async ({ sim }, use) => {
    const station: TestStation = createTestStation({ transport: 'browser' });
    // The shipped demo profile, for a microcontroller unit on the framed protocol.
    const text = fs
      .readFileSync(path.join(factoryProfilesDir, 'ioto-demo.json5'), 'utf8')
      .replace("kind: 'shell'", "kind: 'framed'")
      .replace("deviceDir: '/opt/ioto/state'", "deviceDir: '/state'")
      .replace('timeoutMs: 10000', 'timeoutMs: 3000');
    fs.mkdirSync(path.join(station.dataDir, 'profiles'), { recursive: true });
    fs.writeFileSync(path.join(station.dataDir, 'profiles', 'sim-demo.json5'), text);
    station.orders.createOrder({ profile: 'sim-demo', quantity: 5, orderId: 'WO-SIM' });
    await station.orders.reserveRemaining('WO-SIM');
    station.orders.setActiveOrder('WO-SIM');
    await station.services.configureStation({ slotCount: 2, ports: { '1': sim.path } });
    await use(station);
    station.cleanup();
  },
});

test('a scanned unit runs to PASS on the simulator and its device.json5 is on the unit', async ({
  app,
  station,
  unitDir,
}) => {
  await expect(app.getByRole('heading', { name: 'Station' })).toBeVisible();
  await expect(app.getByTestId('order-count')).toHaveText('WO-SIM: 0 good of 5');
  const slot1 = app.getByRole('article', { name: 'Slot 1' });

  await app.keyboard.type('SIM-SERIAL-1', { delay: 5 });
  await app.keyboard.press('Enter');
  await expect(slot1.getByRole('status')).toContainText('PASS', { timeout: 30_000 });
  const claimId = (await slot1.getByTestId('slot-1-claim').textContent())!.trim();
  expect(station.store.units.get(claimId)).toMatchObject({
    state: 'verified',
    orderId: 'WO-SIM',
    serial: 'SIM-SERIAL-1',
  });
  const onUnit = JSON5.parse(fs.readFileSync(path.join(unitDir, 'state', 'config', 'device.json5'), 'utf8'));
  expect(onUnit).toMatchObject({ id: claimId, name: 'Ioto Demo' });
  await expect(app.getByTestId('order-count')).toHaveText('WO-SIM: 1 good of 5');

  // The unit's whole history and its files as written, in Devices.
  await app.keyboard.press('Alt+3');
  await app.getByLabel('Search claim ID, serial, state or order').fill(claimId);
  await app.getByRole('table', { name: 'Units' }).locator('tbody tr').first().click();
  const detail = app.getByRole('complementary', { name: `Unit ${claimId}` });
  const timeline = detail.locator('.timeline');
  for (const kind of ['unit.assigned', 'unit.written', 'unit.verified', 'cloud.queued'])
    await expect(timeline.getByText(kind, { exact: true })).toBeVisible();
  await expect(detail.getByText('config/device.json5')).toBeVisible();
  await detail.getByText('Content', { exact: true }).click();
  const content = detail.locator('.file-content');
  await expect(content).toContainText(`id: "${claimId}"`);
  // The product token is a secret: the renderer only ever sees it masked.
  await expect(content).toContainText('product: "01H4');
  expect(await app.content()).not.toContain('01H4R15D3478JD26YDYK408XE6');
});

test('a unit whose read-back is wrong shows FAIL with its reason and keeps its claim ID', async ({
  app,
  station,
  sim,
}) => {
  sim.inject({ kind: 'wrong-hash' });
  const slot1 = app.getByRole('article', { name: 'Slot 1' });
  await app.keyboard.type('SIM-SERIAL-2', { delay: 5 });
  await app.keyboard.press('Enter');
  const verdict = slot1.getByRole('alert');
  await expect(verdict).toContainText('FAIL', { timeout: 30_000 });
  await expect(verdict).toContainText("Slot 1: the unit's files did not read back as written.");
  await expect(verdict).toContainText('Press Retry to write them again.');
  const claimId = (await slot1.getByTestId('slot-1-claim').textContent())!.trim();
  expect(station.store.units.get(claimId)?.state).toBe('failed');
  expect(station.store.units.get(claimId)?.serial).toBe('SIM-SERIAL-2');
});
