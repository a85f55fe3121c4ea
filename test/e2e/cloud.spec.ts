import fs from 'node:fs';
import { test as appTest, expect } from './fixtures';
import { ensureOrder } from '../support/station';
import { claimIds, createCloudStation, registration } from '../support/cloudStation';
import { startStandinCloud, type StandinCloud } from '../support/standinCloud';

const test = appTest.extend<{ standin: StandinCloud }>({
  standin: async ({}, use) => {
    const cloud = await startStandinCloud({ latencyMs: 200 });
    await use(cloud);
    await cloud.stop();
  },
  station: async ({}, use) => {
    const station = createCloudStation({ transport: 'browser', cloud: { concurrency: 2 } });
    await use(station);
    station.cleanup();
  },
});

test('the Cloud screen shows the outbox draining against the stand-in and a rejected unit with its reason', async ({
  app,
  station,
  standin,
}) => {
  const s = station as ReturnType<typeof createCloudStation>;
  const ids = claimIds(30, 'E');
  for (const id of ids) s.cloud.enqueue(registration(s, id, standin.url, {}, 'WO-E2E'));
  const wrong = s.secrets.put('product:Old', '01H4R15D3478JD26YDYK40WRNG').ref;
  const bad = registration(s, 'EBAD000001', standin.url, {}, 'WO-E2E');
  const { product: _p, ...body } = bad.body;
  s.cloud.enqueue({ ...bad, body, productRef: wrong });

  await app.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: /Cloud/ }).click();
  await expect(app.getByRole('heading', { name: 'Cloud', level: 1 })).toBeVisible();
  await expect(app.getByTestId('outbox-pending').locator('strong')).toHaveText('31');
  await expect(app.getByRole('status').first()).toContainText('Sending paused');

  await app.getByRole('button', { name: 'Resume sending' }).click();
  const registered = app.getByTestId('outbox-registered').locator('strong');
  // Seen mid-drain: some registered, some still waiting.
  await expect
    .poll(async () => Number(await registered.textContent()), { intervals: [50] })
    .toBeGreaterThan(0);
  expect(Number(await app.getByTestId('outbox-pending').locator('strong').textContent())).toBeGreaterThan(0);
  await expect(registered).toHaveText('30', { timeout: 20_000 });
  await expect(app.getByTestId('outbox-pending').locator('strong')).toHaveText('0');
  await expect(app.getByTestId('outbox-rejected').locator('strong')).toHaveText('1');

  const failures = app.getByRole('table', { name: 'Failing registrations' });
  const row = failures.locator('tr', { hasText: 'EBAD000001' });
  await expect(row).toContainText('Rejected');
  await expect(row).toContainText('The builder refused the product token (HTTP 401): Unknown product token');

  await expect(app.getByTestId('report-counts')).toHaveText(
    '30 registered · 0 claimed · 1 rejected · 0 pending',
  );
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export CSV' }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file, 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    'claimId,status,reason,httpStatus,attempts,queuedAt,answeredAt,builder,accountId',
  );
  expect(csv).toMatch(/EBAD000001,rejected,The builder refused the product token/);

  // What the cloud saw: each unit once.
  expect(standin.devices.size).toBe(30);
  expect(standin.duplicates()).toEqual([]);
});

test('the serialization service is started from the Cloud screen, shows its URL and the last requests', async ({
  app,
  station,
  standin,
}) => {
  ensureOrder(station, 'WO-SER', 1, '2026-11-21T09:00:00.000Z');
  station.store.units.insertMany([
    {
      claimId: 'ESER000001',
      serial: 'S1',
      orderId: 'WO-SER',
      state: 'reserved',
      at: '2026-11-21T09:00:00.000Z',
    },
  ]);
  await app.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: /Cloud/ }).click();
  const state = app.getByTestId('serialize-state');
  await expect(state).toHaveText('Off');
  const form = app.getByRole('form', { name: 'Start the serialization service' });
  await form.getByLabel('Work order').fill('WO-SER');
  await form.getByLabel('Port').fill('0');
  await form.getByRole('button', { name: 'Start the service' }).click();
  await expect(state).toContainText('On at http://127.0.0.1:');
  const url = /On at (\S+) for order WO-SER/.exec((await state.textContent()) ?? '')![1]!;

  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ product: standin.product, name: 'Widget', model: 'W-100', test: true }),
  });
  expect(await res.json()).toEqual({ id: 'ESER000001' });
  const requests = app.getByRole('table', { name: 'Last serialization requests' });
  await expect(requests.locator('tbody tr').first()).toContainText('ESER000001');
  await expect(requests.locator('tbody tr').first()).toContainText('127.0.0.1');
  await expect(requests).not.toContainText(standin.product);

  // A misconfigured unit retries forever with another product token: counted per device.
  for (let i = 0; i < 2; i++) {
    const refused = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ product: '01H4R15D3478JD26YDYK40ZZZZ', name: 'Gadget', model: 'G-1' }),
    });
    expect(refused.status).toBe(403);
  }
  const wrong = app.getByRole('table', { name: 'Devices with the wrong product token' });
  await expect(wrong.locator('tbody tr')).toHaveCount(1);
  await expect(wrong.locator('tbody tr').first()).toContainText('Gadget · G-1');
  await expect(wrong.locator('tbody tr').first().locator('td').nth(2)).toHaveText('2');

  await app.getByRole('button', { name: 'Stop the service' }).click();
  await expect(state).toHaveText('Off');
});
