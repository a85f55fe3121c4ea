import { test as appTest, expect } from './fixtures';
import { setDeviceFaults } from '../support/fakeDevice';
import { createLineStation, unitPort, type LineStation } from '../support/lineStation';
import { PG_PASSWORD, startPostgres, type PgServer } from '../support/postgres';
import { createTestStation } from '../support/station';

const test = appTest.extend<{ other: LineStation }, { pg: PgServer }>({
  pg: [
    async ({}, use) => {
      const server = await startPostgres();
      await use(server);
      await server.destroy();
    },
    { scope: 'worker' },
  ],
  station: async ({}, use) => {
    const station = createTestStation({
      transport: 'browser',
      line: { autoStart: true, tickMs: 300, maxBackoffMs: 1000, connectTimeoutMs: 2000 },
    });
    await use(station);
    await station.line.close();
    station.cleanup();
  },
  other: async ({}, use) => {
    const s = createLineStation('bench-2');
    await use(s);
    await s.line.close();
    s.cleanup();
  },
});

test('Settings → Line joins the line; the Line screen shows every station with charts; the badge follows an outage', async ({
  app,
  station,
  other,
  pg,
}) => {
  pg.createDatabase('e2e_line');
  const url = pg.url('e2e_line');
  await app
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('link', { name: /Settings/ })
    .click();
  await app.getByLabel('Line database URL').fill(url.replace(encodeURIComponent(PG_PASSWORD), 'wrong'));
  await app.getByRole('button', { name: 'Connect' }).click();
  await expect(
    app.getByRole('alert').filter({ hasText: 'refused the password for user lineside' }),
  ).toBeVisible();
  await expect(app.getByTestId('line-badge')).toHaveCount(0);

  await app.getByLabel('Line database URL').fill(url);
  await app.getByRole('button', { name: 'Connect' }).click();
  await expect(app.getByTestId('line-badge')).toHaveText('Line connected');
  await expect(app.getByTestId('line-state')).toContainText('postgres://lineside:***@127.0.0.1');

  // Another station on the line makes the order and units, one of which fails its read-back.
  await other.services.connectLine({ url });
  const created = await other.services.createOrder({
    profile: 'ioto-demo',
    quantity: 30,
    orderId: 'WO-E2E-LINE',
  });
  await other.jobs.wait(created.job.jobId);
  await other.line.cycle();
  other.orders.setActiveOrder('WO-E2E-LINE');
  await other.line.cycle();
  setDeviceFaults(other.devicesDir, unitPort('bench-2', 2, 'SN-E2E-2'), { verify: 'mismatch' });
  for (const slot of [1, 2, 3]) await other.provision(slot, `SN-E2E-${slot}`, 'WO-E2E-LINE');
  await other.line.cycle();

  await app.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: /Line/ }).click();
  await expect(app.getByRole('heading', { name: 'Line', level: 1 })).toBeVisible();
  await expect(app.getByLabel('Work order')).toHaveValue('WO-E2E-LINE');
  await expect(app.getByTestId('line-passed').locator('strong')).toHaveText('2');
  await expect(app.getByTestId('line-failed').locator('strong')).toHaveText('1');
  await expect(app.getByTestId('line-fpy').locator('strong')).toHaveText('66.7%');
  const rows = app.getByRole('table', { name: 'Stations and slots' }).locator('tbody tr');
  await expect(rows.first()).toContainText('bench-2');
  await expect(rows.nth(2).locator('td').nth(1)).toHaveText('2');
  await expect(rows.nth(2).locator('td').nth(3)).toHaveText('1');
  const perHour = app.getByTestId('per-hour-data');
  await expect(perHour.locator('tbody tr')).toHaveText([/bench-2\s*2/]);
  await expect(app.getByTestId('pareto-data').locator('tr')).toHaveText([/verify-mismatch\s*1\s*100%/]);
  // The charts are drawn (chart.js on canvas), not left blank.
  for (const name of ['Units passed per hour, by station', 'Failure reasons, most frequent first']) {
    const painted = (await app.evaluate(`(() => {
      const c = document.querySelector('canvas[aria-label="${name}"]');
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    })()`)) as number;
    expect(painted).toBeGreaterThan(500);
  }
  await expect(app.getByRole('table', { name: 'Leases' })).toContainText('bench-2');

  // The line goes down: the badge says since when; it comes back and catches up.
  await pg.stop();
  station.store.events.append({ kind: 'test.note', data: {} });
  await expect(app.getByTestId('line-badge')).toHaveText(/^Line offline since \d\d:\d\d/, {
    timeout: 20_000,
  });
  await pg.start();
  await expect(app.getByTestId('line-badge')).toHaveText('Line connected', { timeout: 20_000 });
});
