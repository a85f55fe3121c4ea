import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { storeItem, writeDeviceDb } from '../support/deviceDb';
import { makeTempDir } from '../support/tempDir';

const T0 = '2026-11-20T08:00:00.000Z';

// The page's globals, for functions evaluated in the browser (specs compile without DOM types).
declare function getComputedStyle(element: unknown): { textTransform: string };
declare const navigator: { clipboard: { readText(): Promise<string> } };

test("the store browser: a row's whole item as JSON, case kept, searches per model, type filter, resizable columns", async ({
  app,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const temp = makeTempDir();
  try {
    const items = [
      storeItem('sched', 'Mon 08:00', T0),
      storeItem('SchedOverride', true, T0),
      storeItem('count', 42, T0),
      storeItem('limits', { low: 3, high: 9 }, T0),
      { sk: 'd#M72DANY8BZ', _type: 'Device', id: 'M72DANY8BZ', name: 'Pump 7', sched: 'none' },
      { sk: 'l#1', _type: 'Log', message: 'boot ok' },
      { sk: 'l#2', _type: 'Log', message: 'sched loaded' },
    ];
    const dbDir = path.join(temp.dir, 'db');
    fs.mkdirSync(dbDir);
    fs.writeFileSync(path.join(dbDir, 'device.db'), writeDeviceDb(items, 'le'));
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Device store' }).click();
    await app.getByLabel('Or a path on this station').fill(dbDir);
    await app.getByRole('button', { name: 'Open database' }).click();

    const models = app.getByRole('navigation', { name: 'Models' });
    // Counts per model.
    await expect(models.getByRole('button', { name: /Store\s*4/ })).toBeVisible();
    await expect(models.getByRole('button', { name: /Log\s*2/ })).toBeVisible();
    await expect(models.getByRole('button', { name: /Device\s*1/ })).toBeVisible();

    // The search keeps the case typed ("sched", not "SCHED").
    const search = app.getByLabel(/Search keys and values/);
    await search.fill('sched');
    await expect(search).toHaveValue('sched');
    expect(await search.evaluate((el) => getComputedStyle(el).textTransform)).toBe('none');
    const table = app.getByRole('table', { name: 'Store items' });
    await expect(app.getByText('2 items', { exact: true })).toBeVisible();

    // Each model keeps its own search, with a visible hint.
    await models.getByRole('button', { name: /^Log/ }).click();
    await expect(search).toHaveValue('');
    await search.fill('boot');
    await expect(app.getByText('1 item', { exact: true })).toBeVisible();
    await expect(app.getByTestId('search-hint')).toHaveText(
      'Each model keeps its own search: Store “sched”, Log “boot”.',
    );
    await models.getByRole('button', { name: /^Store/ }).click();
    await expect(search).toHaveValue('sched');
    await expect(models.getByRole('button', { name: /^Log/ })).toContainText('“boot”');

    // Filter by type.
    await search.fill('');
    await app.getByLabel('Type', { exact: true }).selectOption('number');
    await expect(app.getByText('1 item', { exact: true })).toBeVisible();
    await expect(table.getByRole('row').nth(1)).toContainText('count');
    await app.getByLabel('Type', { exact: true }).selectOption('object');
    await expect(table.getByRole('row').nth(1)).toContainText('limits');

    // A row opens its whole item, pretty-printed, with copy.
    await table.getByRole('row').nth(1).click();
    const detail = app.getByRole('complementary', { name: 'Item limits' });
    const json = detail.getByTestId('item-json');
    await expect(json).toContainText('"high": 9');
    const shown = JSON.parse(await json.innerText()) as Record<string, unknown>;
    expect(shown).toMatchObject({ key: 'limits', value: { low: 3, high: 9 } });
    await detail.getByRole('button', { name: 'Copy JSON' }).click();
    await expect(detail.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(JSON.parse(await app.evaluate(() => navigator.clipboard.readText()))).toEqual(shown);
    await detail.getByRole('button', { name: 'Close' }).click();

    // Columns resize by dragging the edge of their header (and with the arrow keys).
    const keyHeader = table.getByRole('columnheader').first();
    const before = (await keyHeader.boundingBox())!.width;
    const handle = table.getByRole('separator', { name: 'Resize Key column' });
    const box = (await handle.boundingBox())!;
    await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await app.mouse.down();
    await app.mouse.move(box.x + 120, box.y + box.height / 2, { steps: 5 });
    await app.mouse.up();
    await expect.poll(async () => (await keyHeader.boundingBox())!.width).toBeGreaterThan(before + 80);
    const dragged = (await keyHeader.boundingBox())!.width;
    await handle.focus();
    await app.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await keyHeader.boundingBox())!.width).toBeLessThan(dragged - 10);
  } finally {
    temp.cleanup();
  }
});
