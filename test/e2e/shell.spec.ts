import { expect, test } from './fixtures';
import { seedUnits } from '../support/station';
import { screens } from '../../renderer/src/nav';

test('the app loads and every screen is reachable from the keyboard', async ({ app }) => {
  await expect(app.getByRole('heading', { name: 'Station' })).toBeVisible();
  const nav = app.getByRole('navigation', { name: 'Screens' });
  for (const screen of screens) {
    await expect(nav.getByRole('link', { name: new RegExp(screen.label) })).toBeVisible();
  }
  await app.keyboard.press('Alt+9');
  await expect(app.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(app.getByTestId('transport')).toHaveText('Browser mode (loopback bridge)');
  await nav.getByRole('link', { name: /Devices/ }).click();
  await expect(app.getByRole('heading', { name: 'Devices' })).toBeVisible();
});

test('Devices pages through the units in the store and finds one by prefix', async ({ app, station }) => {
  // Seed before the screen opens: it reads the store when it mounts, no event race.
  const ids = Array.from({ length: 250 }, (_, i) => `A${String(i).padStart(9, '0')}`);
  seedUnits(station, [...ids, 'M72DANY8BZ']);
  await app.keyboard.press('Alt+3');
  await expect(app.getByRole('heading', { name: 'Devices' })).toBeVisible();
  const rows = app.getByRole('table', { name: 'Units' }).locator('tbody tr');
  await expect(rows).toHaveCount(100);
  await expect(app.getByText('251 unit')).toBeVisible();
  await expect(rows.first().locator('td').first()).toHaveText('A000000000');

  await app.getByRole('button', { name: 'Next page' }).click();
  await expect(rows.first().locator('td').first()).toHaveText('A000000100');
  await app.getByRole('button', { name: 'Previous page' }).click();
  await expect(rows.first().locator('td').first()).toHaveText('A000000000');

  await app.keyboard.press('/');
  await app.keyboard.type('m72d');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator('td').first()).toHaveText('M72DANY8BZ');
  await expect(app.getByText('1 unit')).toBeVisible();

  await rows.first().click();
  const detail = app.getByRole('complementary', { name: 'Unit M72DANY8BZ' });
  await expect(detail.getByText('unit.seeded')).toBeVisible();

  await app.getByLabel('Search claim ID, serial, state or order').fill('QQQ');
  await expect(
    app.getByText('No unit matches "QQQ" by claim ID, serial, state or order (reserved IDs are hidden).'),
  ).toBeVisible();
});

test('Settings shows where the data lives and records the station identity', async ({ app, station }) => {
  await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
  await expect(app.getByTestId('data-dir')).toHaveText(station.dataDir);
  await app.getByLabel('Station name').fill('Line 3 bench A');
  await app.getByLabel('Operator').fill('ana');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByRole('status')).toHaveText('Saved.');
  const [last] = station.store.events.recent(1);
  expect(last).toMatchObject({
    kind: 'settings.station-changed',
    station: 'Line 3 bench A',
    operator: 'ana',
  });
});

test('Devices: a claim ID typed by hand that finds nothing says what is wrong with it', async ({
  app,
  station,
}) => {
  // Thermostat Pro IDs carry a Crockford check symbol: 14 characters + 1.
  station.orders.createOrder({ profile: 'thermostat-pro', quantity: 3, orderId: 'WO-TYPED' });
  await station.orders.reserveRemaining('WO-TYPED');
  const real = station.store.db
    .prepare("SELECT claim_id FROM units WHERE order_id = 'WO-TYPED' LIMIT 1")
    .pluck()
    .get() as string;
  const swapped = real.slice(0, 3) + real[4] + real[3] + real.slice(5);
  const typo = swapped === real ? real.slice(0, 3) + (real[3] === '7' ? '8' : '7') + real.slice(4) : swapped;
  await app.keyboard.press('Alt+3');
  await app.getByLabel('Search claim ID, serial, state or order').fill(typo.toLowerCase());
  await expect(app.getByRole('status').filter({ hasText: 'The check symbol does not match' })).toBeVisible();
  await app.getByLabel('Search claim ID, serial, state or order').fill(real);
  await expect(app.getByRole('table', { name: 'Units' }).locator('tbody tr')).toHaveCount(1);
});
