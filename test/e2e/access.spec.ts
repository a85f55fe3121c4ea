import { expect, test as base } from './fixtures';
import { createFakeDevice, renderTestFiles } from '../support/fakeDevice';
import { createTestStation, seedUnits, type TestStation } from '../support/station';
import { makeTempDir } from '../support/tempDir';

const ORDER = 'WO-LOCKED';
const IDS = ['K000000001', 'K000000002', 'K000000003'];
const PIN = '8642';

const test = base.extend<{ devices: string }>({
  devices: async ({}, use) => {
    const temp = makeTempDir('lineside-fake-');
    await use(temp.dir);
    temp.cleanup();
  },
  station: async ({ devices }, use) => {
    const { openSession } = createFakeDevice({ dir: devices });
    const station: TestStation = createTestStation({
      transport: 'browser',
      device: { openSession, renderFiles: renderTestFiles },
    });
    seedUnits(station, IDS, 'reserved', ORDER);
    station.services.configureStation({
      activeOrderId: ORDER,
      slotCount: 2,
      ports: { '1': 'fix-1', '2': 'fix-2' },
    });
    await station.services.setEngineerPin({ pin: PIN });
    await use(station);
    station.cleanup();
  },
});

test('a locked station shows the technician no setup, and only the engineer PIN unlocks it', async ({
  app,
  station,
  bridge,
}) => {
  const nav = app.getByRole('navigation', { name: 'Screens' });
  await expect(nav.getByRole('link', { name: /Settings/ })).toBeVisible();
  await app.getByRole('button', { name: 'Lock for production' }).click();
  await app.getByLabel('Engineer PIN').fill(PIN);
  await app.getByRole('button', { name: 'Lock', exact: true }).click();

  const bar = app.getByRole('region', { name: 'Station lock' });
  await expect(bar).toContainText(`Locked · order ${ORDER}`);
  await expect(bar).toContainText('2 slots');
  // The technician's screen: Station only, no work-order field.
  await expect(nav.getByRole('link')).toHaveCount(1);
  await expect(nav.getByRole('link', { name: /Station/ })).toBeVisible();
  await expect(app.getByLabel(/Work order/)).toHaveCount(0);
  await expect(app.getByRole('button', { name: 'Set order' })).toHaveCount(0);
  await expect(app.getByRole('form', { name: 'Rework a unit' })).toHaveCount(0);
  // Typing the address of a setup screen, or Alt+8, still shows the Station.
  await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
  await expect(app.getByRole('heading', { name: 'Station' })).toBeVisible();
  await expect(app.getByRole('heading', { name: 'Settings' })).toHaveCount(0);
  await app.keyboard.press('Alt+8');
  await expect(app.getByRole('heading', { name: 'Settings' })).toHaveCount(0);
  // Even a page that calls the API by hand is refused.
  const refused = await app.evaluate(async (token) => {
    const r = await fetch('/api/configureStation', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ activeOrderId: null }),
    });
    return (await r.json()) as { ok: boolean; error?: { code: string } };
  }, bridge.token);
  expect(refused).toMatchObject({ ok: false, error: { code: 'station-locked' } });
  expect((await station.services.getStationState()).config.activeOrderId).toBe(ORDER);

  // A wrong PIN keeps it locked.
  await bar.getByRole('button', { name: 'Unlock (engineer)' }).click();
  await bar.getByLabel('Engineer PIN').fill('1111');
  await bar.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(bar.getByRole('alert')).toContainText('Wrong PIN');
  await expect(nav.getByRole('link')).toHaveCount(1);

  await bar.getByLabel('Engineer PIN').fill(PIN);
  await bar.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(nav.getByRole('link', { name: /Settings/ })).toBeVisible();
  await expect(app.getByRole('button', { name: 'Set order' })).toBeVisible();
});

test("a badge scanned at the locked station signs the operator in, and the unit's events record them", async ({
  app,
  station,
}) => {
  await station.services.lockStation({ pin: PIN });
  await app.reload();
  const signIn = app.getByRole('region', { name: 'Operator sign-in' });
  await expect(signIn).toBeVisible();
  // A badge scanner types fast and presses Enter; nothing has focus.
  await app.locator('body').click({ position: { x: 5, y: 5 } });
  await app.keyboard.type('OP-0077 Tina Tech', { delay: 5 });
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('operator')).toContainText('OP-0077 Tina Tech');
  await expect(signIn).toHaveCount(0);

  // Now a unit scan runs a unit.
  await app.keyboard.type('SN-BADGE-1', { delay: 5 });
  await app.keyboard.press('Enter');
  const slot1 = app.getByRole('article', { name: 'Slot 1' });
  await expect(slot1.getByRole('status')).toContainText('PASS');

  const signedIn = station.store.events.recent(50).find((e) => e.kind === 'operator.signed-in')!;
  expect(signedIn).toMatchObject({
    operator: 'OP-0077 Tina Tech',
    role: 'technician',
    data: { method: 'badge' },
  });
  const unitEvents = station.store.events.forUnit(IDS[0]!).filter((e) => e.kind !== 'unit.seeded');
  expect(unitEvents.length).toBeGreaterThan(1);
  for (const e of unitEvents)
    expect([e.kind, e.operator, e.role]).toEqual([e.kind, 'OP-0077 Tina Tech', 'technician']);
});

test('a typed name signs in too, and is recorded as typed', async ({ app, station }) => {
  await station.services.lockStation({ pin: PIN });
  await app.reload();
  await app.getByLabel('Badge or name').fill('Sam Slow');
  await app.getByRole('button', { name: 'Sign in' }).click();
  await expect(app.getByTestId('operator')).toContainText('Sam Slow');
  expect(station.access.state().operator).toMatchObject({ name: 'Sam Slow', method: 'name', badge: null });
});
