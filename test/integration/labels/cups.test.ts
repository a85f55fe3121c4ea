import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPrivateCups, type PrivateCups } from '../../support/cupsd';
import { decodeQrPng, pdfPageToPng } from '../../support/qrDecode';
import { createTestStation, type TestStation } from '../../support/station';

let cups: PrivateCups;
let station: TestStation;

beforeAll(async () => {
  cups = await startPrivateCups();
  station = createTestStation();
});
afterAll(async () => {
  station?.cleanup();
  await cups?.stop();
});

it('a system printer (CUPS lp) receives the label at its page size and its QR decodes', async () => {
  const printers = await station.dispatch('updateLabelSettings', {
    printer: { kind: 'system', name: cups.queue, server: cups.server },
    template: 'claim-url-60x40',
    product: 'Acme Sensor',
    model: 'AS-2',
  });
  expect(printers.ok).toBe(true);
  station.store.units.insertMany([
    {
      claimId: 'K9QX2M7TBA',
      state: 'verified',
      serial: 'SN000777',
      orderId: 'WO-C',
      at: '2026-11-21T10:00:00.000Z',
    },
  ]);

  const printed = await station.dispatch('printUnitLabel', { claimId: 'K9QX2M7TBA' });
  expect(printed).toMatchObject({ ok: true, value: { printer: `system:labels@${cups.server}` } });

  const job = await cups.waitForJob();
  const pdf = fs.readFileSync(job);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(decodeQrPng(pdfPageToPng(pdf))).toBe(
    'https://manager.example.com/claim?id=K9QX2M7TBA&product=Acme%20Sensor',
  );
  // The scheduler logged the job with the label's page size.
  const until = Date.now() + 10_000;
  while (!(fs.existsSync(cups.pageLog) && fs.readFileSync(cups.pageLog, 'utf8').includes('Custom.60x40mm'))) {
    if (Date.now() > until)
      throw new Error(
        `page_log: ${fs.existsSync(cups.pageLog) ? fs.readFileSync(cups.pageLog, 'utf8') : '(none)'}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
});

it('lists the private queue among the system printers', async () => {
  const { lpQueues } = await import('../../../electron/core/labels/printers/cups');
  expect(await lpQueues(cups.server)).toContain('labels');
});
