import { expect, test } from './fixtures';
import { decodeQrPng } from '../support/qrDecode';
import { startRawPrinter } from '../support/rawPrinter';

const at = '2026-11-21T10:00:00.000Z';

/** Runs in the page (kept as text: this file is typechecked for Node, not the DOM). */
const RASTERISE_PREVIEW = `(async () => {
  const img = document.querySelector('[data-testid="label-preview"] img');
  await img.decode();
  const box = img.getBoundingClientRect();
  const scale = 3;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(box.width * scale);
  canvas.height = Math.round(box.height * scale);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return { width: box.width, height: box.height, png: canvas.toDataURL('image/png').split(',')[1] };
})()`;

test("the Labels screen shows a unit's label at true size and its QR code decodes to the payload", async ({
  app,
  station,
}) => {
  station.store.units.insertMany([
    { claimId: 'M72DANY8BZ', state: 'verified', serial: 'SN1', orderId: 'WO-E', at },
  ]);
  const set = await station.dispatch('updateLabelSettings', {
    product: 'Acme Sensor',
    model: 'AS-2',
    template: 'claim-url-60x40',
  });
  expect(set.ok).toBe(true);
  await app.goto(app.url().replace(/#.*$/, '') + '#/labels');
  await expect(app.getByRole('heading', { name: 'Labels' })).toBeVisible();
  await app.getByRole('combobox', { name: 'Unit', exact: true }).selectOption('M72DANY8BZ');
  const expected = 'https://manager.example.com/claim?id=M72DANY8BZ&product=Acme%20Sensor';
  await expect(app.getByTestId('label-payload')).toHaveText(expected);

  // Take the raster that is in the page (what the technician sees) and read it like a scanner.
  const shot = (await app.evaluate(RASTERISE_PREVIEW)) as { width: number; height: number; png: string };
  // True size: 60 x 40 mm in CSS millimetres (96 px per inch).
  expect(shot.width).toBeCloseTo((60 * 96) / 25.4, 0);
  expect(shot.height).toBeCloseTo((40 * 96) / 25.4, 0);
  expect(decodeQrPng(Buffer.from(shot.png, 'base64'))).toBe(expected);
});

test('a batch print of 20 labels to a network label printer completes, and a reprint asks why', async ({
  app,
  station,
}) => {
  const printer = await startRawPrinter();
  try {
    const ids = Array.from({ length: 20 }, (_, i) => `E2E${String(i).padStart(7, '0')}`);
    station.store.units.insertMany(
      ids.map((claimId, i) => ({
        claimId,
        state: 'verified' as const,
        serial: `SN${i}`,
        orderId: 'WO-E2E',
        at,
      })),
    );
    await app.goto(app.url().replace(/#.*$/, '') + '#/labels');
    const setup = app.getByRole('form', { name: 'Label printer' });
    await setup.getByLabel('Kind').selectOption('zpl-tcp');
    await setup.getByLabel('Printer address').fill('127.0.0.1');
    await setup.getByLabel('Port').fill(String(printer.port));
    await setup.getByRole('button', { name: 'Save printer' }).click();
    await expect(app.getByText('Printer saved.')).toBeVisible();

    const batch = app.getByRole('form', { name: 'Print an order' });
    await batch.getByLabel('Work order').fill('WO-E2E');
    await batch.getByRole('button', { name: 'Print labels' }).click();
    await expect(app.getByTestId('batch-status')).toHaveText('20 of 20 labels printed · done');
    await expect(app.getByRole('progressbar', { name: 'Labels printed' })).toHaveAttribute('value', '20');
    expect(printer.jobs.map((z) => /\^FDMM,B\d{4}(\w+)\^FS/.exec(z)?.[1])).toEqual(ids);

    const history = app.getByRole('table', { name: 'Label prints' }).locator('tbody tr');
    await expect(history).toHaveCount(20);
    await history.filter({ hasText: ids[3]! }).getByRole('button', { name: 'Reprint' }).click();
    const reprint = app.getByRole('form', { name: `Reprint ${ids[3]}` });
    await expect(reprint.getByRole('button', { name: 'Reprint' })).toBeDisabled();
    await reprint.getByLabel(`Why print ${ids[3]} again?`).fill('label torn at packing');
    await reprint.getByRole('button', { name: 'Reprint' }).click();
    await expect(history).toHaveCount(21);
    await expect(history.first()).toContainText('label torn at packing');
    expect(printer.jobs).toHaveLength(21);
  } finally {
    await printer.close();
  }
});
