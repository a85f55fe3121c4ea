import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { labelDataFromUnit } from '../../../electron/core/labels/fields';
import { layoutLabel } from '../../../electron/core/labels/layout';
import { loadBitmapFont } from '../../../electron/core/labels/render/bitmapFont';
import { renderPdf } from '../../../electron/core/labels/render/pdf';
import { renderPng } from '../../../electron/core/labels/render/png';
import { renderSvg } from '../../../electron/core/labels/render/svg';
import { renderZpl } from '../../../electron/core/labels/render/zpl';
import { createTemplateLibrary } from '../../../electron/core/labels/templates';
import { decodeQrPng, pdfPageToPng, zplToPng } from '../../support/qrDecode';

const resources = path.resolve(__dirname, '../../../resources/labels');
const library = createTemplateLibrary({ builtInDir: resources, stationDir: '/nonexistent' });
const font = loadBitmapFont(path.join(resources, 'font-mono.json'));

const unit = {
  claimId: 'M72DANY8BZ',
  serial: 'SN004211',
  orderId: 'WO-7',
  createdAt: '2026-11-21T09:15:00.000Z',
};
const profile = {
  product: 'Acme Sensor & Co',
  model: 'AS-2',
  label: { template: '', fields: { batch: 'B12' } },
};

const cases = [
  { template: 'claim-50x30', payload: 'M72DANY8BZ' },
  {
    template: 'claim-url-60x40',
    payload: 'https://manager.example.com/claim?id=M72DANY8BZ&product=Acme%20Sensor%20%26%20Co',
  },
];

describe.each(cases)('the $template label', ({ template, payload }) => {
  const loaded = library.get(template);
  const label = layoutLabel(loaded, labelDataFromUnit(unit, profile));

  it('PNG at the printer resolution decodes to exactly the payload', () => {
    const png = renderPng(label, font);
    expect(label.payload).toBe(payload);
    expect(decodeQrPng(png)).toBe(payload);
  });

  it('ZPL rendered back to an image by zpl-renderer-js decodes to exactly the payload', async () => {
    const zpl = renderZpl(label);
    expect(zpl).toMatch(/\^BQN,2,\d+/);
    const png = await zplToPng(zpl, label.widthMm, label.heightMm, label.dpi);
    expect(decodeQrPng(png)).toBe(payload);
    // Loading the 8 MB WebAssembly renderer takes seconds on a busy machine.
  }, 60_000);

  it('one PDF page rasterised by pdftoppm decodes to exactly the payload', async () => {
    const pdf = await renderPdf([label, label]);
    expect(decodeQrPng(pdfPageToPng(pdf, 2))).toBe(payload);
  }, 30_000);

  it('the SVG preview is true size and carries the payload', () => {
    const svg = renderSvg(label);
    expect(svg).toContain(`width="${label.widthMm}mm"`);
    expect(svg).toContain(`height="${label.heightMm}mm"`);
  });
});

it('an A4 sheet of labels rasterised by pdftoppm carries the label and its QR code', async () => {
  const label = layoutLabel(library.get('claim-50x30'), labelDataFromUnit(unit, profile));
  const pdf = await renderPdf([label], 'A4');
  const png = PNG.sync.read(pdfPageToPng(pdf, 1, 150));
  // A4 (210 x 297 mm) at 150 dpi, give or take poppler's rounding of a pixel.
  expect(Math.abs(png.width - (210 / 25.4) * 150)).toBeLessThan(1.5);
  expect(Math.abs(png.height - (297 / 25.4) * 150)).toBeLessThan(1.5);
  expect(decodeQrPng(PNG.sync.write(png))).toBe('M72DANY8BZ');
}, 30_000);
