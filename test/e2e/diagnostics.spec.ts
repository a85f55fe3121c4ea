import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { agentConsoleLines, startDevBoard } from '../support/devBoard';
import { storeItem, writeDeviceDb, writeJournal } from '../support/deviceDb';
import { startMosquitto } from '../support/mosquitto';
import { startSimulatedDevice } from '../support/iotoDevice';
import { createPtyPair } from '../support/ptyPair';
import { seedUnits } from '../support/station';
import { makeTempDir } from '../support/tempDir';

const T0 = '2026-11-20T08:00:00.000Z';

test('browse a copied device database, search and sort it', async ({ app }) => {
  const temp = makeTempDir();
  try {
    const items = [
      ...Array.from({ length: 500 }, (_, i) => storeItem(`sensor.${String(i).padStart(3, '0')}`, i, T0)),
      storeItem('mode', 'eco', T0),
      { sk: 'd#M72DANY8BZ', _type: 'Device', id: 'M72DANY8BZ', name: 'Pump 7' },
    ];
    const dbDir = path.join(temp.dir, 'db');
    fs.mkdirSync(dbDir);
    fs.writeFileSync(path.join(dbDir, 'device.db'), writeDeviceDb(items, 'be'));
    fs.writeFileSync(
      path.join(dbDir, 'device.db.jnl'),
      writeJournal(
        [{ command: 'upsert', model: 'Store', value: { sk: 's#mode', value: 'boost', updated: T0 } }],
        'be',
      ),
    );

    await app
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: /Diagnostics/ })
      .click();
    await app.getByRole('tab', { name: 'Device store' }).click();
    await app.getByLabel('Or a path on this station').fill(dbDir);
    await app.getByRole('button', { name: 'Open database' }).click();

    await expect(app.getByText('big-endian, 1 journal records replayed')).toBeVisible();
    const models = app.getByRole('navigation', { name: 'Models' });
    await expect(models.getByRole('button', { name: /Store\s*501/ })).toBeVisible();
    await expect(models.getByRole('button', { name: /Device\s*1/ })).toBeVisible();
    const table = app.getByRole('table', { name: 'Store items' });
    await expect(app.getByText('501 items')).toBeVisible();
    // Virtualized: far fewer rows in the page than items in the store.
    const rendered = await table.getByRole('row').count();
    expect(rendered).toBeLessThan(100);

    await app.keyboard.press('/');
    await app.keyboard.type('boost');
    await expect(app.getByText('1 item', { exact: true })).toBeVisible();
    await expect(table.getByRole('row').nth(1)).toContainText('mode');
    await expect(table.getByRole('row').nth(1)).toContainText('boost');

    await app.getByLabel('Search keys and values').fill('sensor.4');
    await expect(app.getByText('100 items')).toBeVisible();
    await table.getByRole('button', { name: 'Key' }).click();
    await expect(table.getByRole('row').nth(1)).toContainText('sensor.499');

    await models.getByRole('button', { name: /Device/ }).click();
    await app.getByLabel('Search keys and values').fill('');
    await expect(app.getByRole('table', { name: 'Device items' }).getByRole('row').nth(1)).toContainText(
      'Pump 7',
    );
  } finally {
    temp.cleanup();
  }
});

test('open a database by picking its files', async ({ app }) => {
  await app.getByRole('link', { name: /Diagnostics/ }).click();
  await app.getByRole('tab', { name: 'Device store' }).click();
  await app.getByLabel('Pick device.db files').setInputFiles([
    {
      name: 'device.db',
      mimeType: 'application/octet-stream',
      buffer: writeDeviceDb([storeItem('limit', 42, T0)], 'le'),
    },
  ]);
  await expect(app.getByText('little-endian, 0 journal records replayed')).toBeVisible();
  await expect(app.getByRole('table', { name: 'Store items' }).getByRole('row').nth(1)).toContainText(
    'limit',
  );
});

test('an idle device over MQTT: the screen says why nothing shows, and named keys are asked for', async ({
  app,
  station,
}) => {
  const broker = await startMosquitto();
  // Already connected and idle: it sends nothing of its Store on its own.
  const device = await startSimulatedDevice({
    url: broker.url,
    claimId: 'IDLE00000E',
    store: { mode: 'eco', 'temp.limit': 42 },
    resendMs: 300,
    now: () => new Date('2026-11-21T09:00:00.000Z'),
  });
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Device store' }).click();
    await app.getByLabel('Broker URL').fill(broker.url);
    await app.getByLabel('Device claim ID').fill('IDLE00000E');
    await app.getByRole('button', { name: 'Connect' }).click();
    // It sends nothing until it reconnects: restart its agent while Lineside listens.
    await expect(app.getByRole('button', { name: 'Waiting for the device…' })).toBeVisible();
    await device.stop();
    const again = await startSimulatedDevice({
      url: broker.url,
      claimId: 'IDLE00000E',
      store: { mode: 'eco', 'temp.limit': 42 },
      resendMs: 300,
      now: () => new Date('2026-11-21T09:00:00.000Z'),
    });
    try {
      await expect(app.getByRole('note').first()).toContainText(
        'The device has sent 0 items (0 in its Store) since Lineside connected',
      );
      const ask = app.getByRole('form', { name: 'Ask the device for keys' });
      await ask.getByLabel('Store keys to ask for').fill('mode, temp.limit');
      await ask.getByRole('button', { name: 'Ask the device' }).click();
      const table = app.getByRole('table', { name: 'Store items' });
      await expect(table.getByRole('row', { name: /mode/ })).toContainText('eco');
      await expect(table.getByRole('row', { name: /temp\.limit/ })).toContainText('42');
      await expect(app.getByRole('note').nth(1)).toHaveText('Asked for 2 keys: 2 answered.');
    } finally {
      await again.stop();
    }
  } finally {
    await station.deviceStores.closeAll();
    await device.stop().catch(() => undefined);
    await broker.stop();
  }
});

test('edit a value over MQTT and see it come back from the device', async ({ app, station }) => {
  const broker = await startMosquitto();
  const device = await startSimulatedDevice({
    url: broker.url,
    claimId: 'M72DANY8BZ',
    store: { mode: 'eco', 'temp.limit': 42 },
    // Started with --sync up: it sends its whole Store when it connects.
    syncUp: true,
    resendMs: 300,
    // An hour behind the test station's clock (2026-11-21T10:00Z), so the station's edit is newer.
    now: () => new Date('2026-11-21T09:00:00.000Z'),
  });
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Device store' }).click();
    await app.getByLabel('Broker URL').fill(broker.url);
    await app.getByLabel('Device claim ID').fill('M72DANY8BZ');
    await app.getByRole('button', { name: 'Connect' }).click();
    // The device resends its pending changes every 300 ms until acknowledged.
    const table = app.getByRole('table', { name: 'Store items' });
    await expect(table.getByRole('row', { name: /mode/ })).toContainText('eco');

    await table.getByRole('row', { name: /mode/ }).dblclick();
    const dialog = app.getByRole('dialog', { name: 'Change mode' });
    await dialog.getByLabel('New value').fill('boost');
    await dialog.getByRole('button', { name: 'Save to device' }).click();
    await expect(dialog).toContainText('Set mode from eco to boost (string) on M72DANY8BZ');
    await dialog.getByRole('button', { name: 'Confirm change' }).click();
    await expect(dialog).toBeHidden();
    await expect(table.getByRole('row', { name: /mode/ })).toContainText('boost');
    expect(device.items.get('s#mode')).toMatchObject({ value: 'boost' });
    const logged = station.store.events.recent(5).find((e) => e.kind === 'devstore.set');
    expect(logged?.data).toMatchObject({ key: 'mode', before: 'eco', after: 'boost' });
    await expect(app.getByRole('list', { name: 'Device topics' })).toContainText(
      'ioto/device/M72DANY8BZ/sync/UPSERT',
    );
  } finally {
    await station.deviceStores.closeAll();
    await device.stop();
    await broker.stop();
  }
});

test("an evaluator gets a dev board's claim ID in one step from Diagnostics", async ({ app }) => {
  const pty = await createPtyPair();
  const board = startDevBoard({ path: pty.b!, lines: agentConsoleLines('M72DANY8BZ'), repeat: true });
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await expect(app.getByRole('tab', { name: "Get a dev board's claim ID" })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await app.getByLabel('Serial port').fill(pty.a);
    await app.getByRole('button', { name: 'Watch console' }).click();
    await expect(app.getByTestId('claim-id')).toHaveText('M72DANY8BZ');
    await expect(app.getByRole('img', { name: 'QR code of M72DANY8BZ' })).toBeVisible();
    await expect(app.getByRole('link', { name: 'Open the claim page' })).toHaveAttribute(
      'href',
      'https://admin.embedthis.com/claim?id=M72DANY8BZ',
    );
  } finally {
    board.stop();
    await pty.stop();
  }
});

test('identity files and broker checks from the Diagnostics tabs', async ({ app, station }) => {
  const temp = makeTempDir();
  const broker = await startMosquitto();
  try {
    fs.mkdirSync(path.join(temp.dir, 'config'));
    fs.writeFileSync(
      path.join(temp.dir, 'config', 'device.json5'),
      "{ product: '01H4R15D3478JD26YDYK408XE6', id: 'M72DANY8BZ' }",
    );
    fs.writeFileSync(
      path.join(temp.dir, 'config', 'provision.json5'),
      "{ id: 'OTHER00000', api: 'a', token: 't' }",
    );
    seedUnits(station, ['M72DANY8BZ']);

    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Device identity' }).click();
    await app.getByLabel("The unit's state or config folder").fill(temp.dir);
    await app.getByRole('button', { name: 'Check identity' }).click();
    const findings = app.getByRole('list', { name: 'Findings' });
    await expect(findings).toContainText(
      'FAIL: provision.json5 is for OTHER00000 but device.json5 is M72DANY8BZ',
    );
    await expect(
      app.getByRole('table', { name: 'Station record' }).getByRole('row', { name: /claim ID/ }),
    ).toContainText('same');

    await app.getByRole('tab', { name: 'Connectivity' }).click();
    await app.getByLabel('Broker URL').fill(broker.url);
    await app.getByRole('button', { name: 'Run checks' }).click();
    const checks = app.getByRole('list', { name: 'Checks' });
    await expect(checks).toContainText('PASS broker reachable');
    await expect(checks).toContainText('PASS MQTT session accepted');
  } finally {
    await broker.stop();
    temp.cleanup();
  }
});
