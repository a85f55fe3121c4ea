import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';

test('create an order of 500 in the UI, watch it reserve, void one, export the CSV', async ({
  app,
  station,
}) => {
  await app.goto(app.url().replace(/#.*$/, '') + '#/orders');
  await expect(app.getByRole('heading', { name: 'Work orders' })).toBeVisible();
  const form = app.getByRole('form', { name: 'New work order' });
  await expect(form.getByLabel('Profile')).toHaveValue('ioto-demo');
  await form.getByLabel('Quantity').fill('500');
  await form.getByLabel('Order ID (optional)').fill('WO-E2E');
  await form.getByRole('button', { name: 'Create and reserve IDs' }).click();

  const bar = app.getByRole('progressbar', { name: 'Reservation progress' });
  await expect(bar).toHaveAttribute('max', '500');
  await expect(bar).toHaveAttribute('value', '500');
  await expect(app.getByRole('status').filter({ hasText: 'Done' })).toHaveText(
    'Done: 500 claim IDs reserved.',
  );

  const detail = app.getByRole('article', { name: 'Order WO-E2E' });
  await expect(detail.getByTestId('order-counts')).toHaveText('500 reserved');
  const rows = detail.getByRole('table', { name: 'Order units' }).locator('tbody tr');
  await expect(rows).toHaveCount(100);
  const claimId = (await rows.first().locator('td').first().textContent())!;
  expect(claimId).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);

  await detail.getByRole('button', { name: `Void ${claimId}` }).click();
  const voidGroup = detail.getByRole('group', { name: `Void ${claimId}` });
  await voidGroup.getByLabel('Reason').selectOption('label-damaged');
  await voidGroup.getByRole('button', { name: 'Confirm void' }).click();
  await expect(rows.first().locator('td').nth(1)).toHaveText('voided');
  await expect(detail.getByTestId('order-counts')).toHaveText('499 reserved · 1 voided');
  expect(station.store.units.get(claimId)?.state).toBe('voided');
  expect(station.store.events.forUnit(claimId).at(-1)).toMatchObject({
    kind: 'unit.voided',
    data: { reason: 'label-damaged', from: 'reserved' },
  });

  const downloading = app.waitForEvent('download');
  await detail.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('WO-E2E-manifest.csv');
  const file = path.join(station.dataDir, 'manifest.csv');
  await download.saveAs(file);
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe('claim_id,serial,state,created_at,updated_at,profile_hash');
  const body = lines.slice(1).map((l) => l.split(','));
  expect(body).toHaveLength(500);
  const inStore = station.store.db
    .prepare("SELECT claim_id, state, profile_hash FROM units WHERE order_id = 'WO-E2E' ORDER BY claim_id")
    .all() as { claim_id: string; state: string; profile_hash: string }[];
  expect(body.map((r) => [r[0], r[2], r[5]])).toEqual(
    inStore.map((u) => [u.claim_id, u.state, u.profile_hash]),
  );
  expect(body.filter((r) => r[2] === 'voided').map((r) => r[0])).toEqual([claimId]);
  expect(new Set(body.map((r) => r[0])).size).toBe(500);

  // Hand entry: a typed ID is read kindly and looked up; a wrong letter is named.
  const typed = detail.getByRole('form', { name: 'Check a typed claim ID' });
  await typed.getByLabel('Typed claim ID').fill(`${claimId.slice(0, 5).toLowerCase()}-${claimId.slice(5)}`);
  await typed.getByRole('button', { name: 'Check' }).click();
  await expect(typed.getByRole('status')).toHaveText(`${claimId}: voided.`);
  await typed.getByLabel('Typed claim ID').fill(`${claimId.slice(0, 3)}U${claimId.slice(4)}`);
  await typed.getByRole('button', { name: 'Check' }).click();
  await expect(typed.getByRole('status')).toHaveText(
    'Character 4 ("U") is not used in claim IDs: check it against the label.',
  );

  await detail.getByRole('button', { name: 'Make active order' }).click();
  await expect(app.getByTestId('active-order')).toHaveText('Active order: WO-E2E');
  expect(station.orders.getActiveOrderId()).toBe('WO-E2E');
});

test('Profiles shows validity, entropy, problems at their line and a masked device.json5 preview', async ({
  app,
  station,
}) => {
  const dir = path.join(station.dataDir, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'legacy.json5'),
    "{\n  product: '01H4R15D3478JD26YDYK408XE6',\n  name: 'Legacy',\n  model: 'L-1',\n  productToken: 'x',\n}\n",
  );
  await app.goto(app.url().replace(/#.*$/, '') + '#/profiles');
  const list = app.getByRole('list', { name: 'Profiles' });
  // The three shipped profiles (ioto-demo, ioto-esp32, thermostat-pro) and the station's own.
  await expect(list.getByRole('button')).toHaveCount(4);
  await expect(list.getByRole('button', { name: /OK ioto-demo/ })).toBeVisible();
  await expect(list.getByRole('button', { name: /OK ioto-esp32/ })).toBeVisible();
  await expect(list.getByRole('button', { name: /1 problem legacy \(station\)/ })).toBeVisible();

  await list.getByRole('button', { name: /thermostat-pro/ }).click();
  const detail = app.getByRole('article', { name: 'Profile thermostat-pro' });
  await expect(detail.getByTestId('entropy')).toContainText('69.8 bits');
  await expect(detail.getByTestId('product-masked')).toHaveText(`01JC${'•'.repeat(18)}P0RD`);
  const preview = detail.getByLabel('device.json5 preview');
  await expect(preview).toContainText('serial: "SN000001"');
  await expect(preview).toContainText(`product: "01JC${'•'.repeat(18)}P0RD"`);
  // The product token is a secret: it is nowhere on the page.
  expect(await app.content()).not.toContain('01JC8W4Q2V9N5T7XKZB3M6P0RD');

  await list.getByRole('button', { name: /legacy/ }).click();
  const legacy = app.getByRole('article', { name: 'Profile legacy' });
  await expect(legacy.getByRole('list', { name: 'Problems' })).toContainText(
    'line 5, column 3: Unknown key `productToken`: the agent reads `product`.',
  );
  const line5 = legacy.locator('.source-line[data-line="5"]');
  await expect(line5.getByRole('note')).toContainText('Unknown key `productToken`');
  expect(await app.content()).not.toContain('01H4R15D3478JD26YDYK408XE6');

  // The station's entropy floor: raise it and the 50-bit demo profile is refused, at its ids line.
  await app.getByLabel('Entropy floor (bits)').fill('60');
  await app.getByRole('button', { name: 'Set floor' }).click();
  await expect(list.getByRole('button', { name: /1 problem ioto-demo/ })).toBeVisible();
  await list.getByRole('button', { name: /ioto-demo/ }).click();
  await expect(
    app.getByRole('article', { name: 'Profile ioto-demo' }).getByRole('list', { name: 'Problems' }),
  ).toContainText('The claim-ID policy gives 50.0 bits of entropy; this station requires at least 60.');
  expect(station.store.events.recent(1)[0]).toMatchObject({
    kind: 'settings.entropy-floor-changed',
    data: { bits: 60 },
  });
});

test('Create order shows the serial width with a live preview of the first and last serial', async ({
  app,
  station,
}) => {
  await app.goto(app.url().replace(/#.*$/, '') + '#/orders');
  const form = app.getByRole('form', { name: 'New work order' });
  await form.getByLabel('Quantity').fill('500');
  await form.getByLabel('Order ID (optional)').fill('WO-SERIALS');
  await form.getByLabel('Serial prefix (optional)').fill('SN-');
  await form.getByLabel('First serial').fill('2001');
  // The width follows the digits typed: SN-2001, not SN-002001.
  await expect(form.getByLabel('Serial width')).toHaveValue('4');
  await expect(form.getByTestId('serial-preview')).toHaveText('Serials SN-2001 … SN-2500');
  await form.getByLabel('Serial width').fill('6');
  await expect(form.getByTestId('serial-preview')).toHaveText('Serials SN-002001 … SN-002500');
  await form.getByLabel('Serial width').fill('4');
  await form.getByRole('button', { name: 'Create and reserve IDs' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Done' })).toHaveText(
    'Done: 500 claim IDs reserved.',
  );
  expect(station.orders.getOrder('WO-SERIALS').serials).toEqual({
    kind: 'range',
    prefix: 'SN-',
    start: 2001,
    width: 4,
  });
});
