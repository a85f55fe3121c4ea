import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { startSimulator } from '../support/deviceSim';
import { storeItem, writeDeviceDb, writeJournal } from '../support/deviceDb';
import { createShellPty } from '../support/ptyPair';
import { makeTempDir } from '../support/tempDir';

test("browse a unit's store over the framed protocol, edit a value and find it on the unit", async ({
  app,
  station,
}) => {
  const temp = makeTempDir('lineside-sim-');
  const storeFile = path.join(temp.dir, 'db', 'store.json');
  fs.mkdirSync(path.dirname(storeFile), { recursive: true });
  fs.writeFileSync(storeFile, JSON.stringify({ mode: '"eco"', 'temp.limit': '42' }));
  fs.mkdirSync(path.join(temp.dir, 'config'));
  fs.writeFileSync(path.join(temp.dir, 'config', 'device.json5'), "{ id: 'M72DANY8BZ' }\n");
  const sim = await startSimulator({ dir: temp.dir, baud: 921600 });
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Device store' }).click();
    await app.getByLabel('Port', { exact: true }).fill(sim.path);
    await app.getByLabel('Transport').selectOption('framed');
    await app.getByRole('button', { name: 'Open over serial' }).click();

    await expect(app.getByText("Over the serial port's framed protocol")).toBeVisible();
    const table = app.getByRole('table', { name: 'Store items' });
    await expect(table.getByRole('row', { name: /temp\.limit/ })).toContainText('42');
    await expect(table.getByRole('row', { name: /mode/ })).toContainText('eco');

    await table.getByRole('row', { name: /temp\.limit/ }).dblclick();
    const dialog = app.getByRole('dialog', { name: 'Change temp.limit' });
    await dialog.getByLabel('New value').fill('55');
    await dialog.getByRole('button', { name: 'Save to device' }).click();
    await dialog.getByRole('button', { name: 'Confirm change' }).click();
    await expect(dialog).toBeHidden();
    await expect(table.getByRole('row', { name: /temp\.limit/ })).toContainText('55');

    const onUnit = JSON.parse(fs.readFileSync(storeFile, 'utf8')) as Record<string, string>;
    expect(JSON.parse(onUnit['temp.limit']!)).toBe(55);
    const logged = station.store.events.recent(5).find((e) => e.kind === 'devstore.set');
    expect(logged).toMatchObject({
      claimId: 'M72DANY8BZ',
      data: { key: 'temp.limit', before: 42, after: 55 },
    });
  } finally {
    await station.deviceStores.closeAll();
    await sim.stop();
    temp.cleanup();
  }
});

test("read a Linux unit's store over its serial console, read-only", async ({ app }) => {
  const temp = makeTempDir('lineside-unit-');
  const T0 = '2026-11-20T08:00:00.000Z';
  const dbDir = path.join(temp.dir, 'state', 'db');
  fs.mkdirSync(dbDir, { recursive: true });
  fs.writeFileSync(
    path.join(dbDir, 'device.db'),
    writeDeviceDb([storeItem('mode', 'eco', T0), storeItem('limit', 42, T0)]),
  );
  fs.writeFileSync(
    path.join(dbDir, 'device.db.jnl'),
    writeJournal([
      { command: 'upsert', model: 'Store', value: { sk: 's#mode', value: 'boost', updated: T0 } },
    ]),
  );
  const shell = await createShellPty({ cwd: temp.dir });
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Device store' }).click();
    await app.getByLabel('Port', { exact: true }).fill(shell.a);
    await app.getByLabel('Transport').selectOption('shell');
    await app.getByLabel('Device directory (optional)').fill(path.join(temp.dir, 'state'));
    await app.getByRole('button', { name: 'Open over serial' }).click();
    await expect(app.getByText("Read over the unit's serial console. Read-only.")).toBeVisible();
    const table = app.getByRole('table', { name: 'Store items' });
    await expect(table.getByRole('row', { name: /mode/ })).toContainText('boost');
    await expect(table.getByRole('row', { name: /limit/ })).toContainText('42');
  } finally {
    await shell.stop();
    temp.cleanup();
  }
});
