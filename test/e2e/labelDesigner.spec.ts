import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { expectNoHorizontalOverflow } from './overflow';
import { expect, test } from './fixtures';

/** The preview <img> as the page has it, pixel by pixel at its natural size (1 = black). */
const PREVIEW_PIXELS = `(async () => {
  const img = document.querySelector('[data-testid="designer-preview"]');
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let bits = '';
  for (let i = 0; i < data.length; i += 4) bits += data[i] < 128 ? '1' : '0';
  const box = img.getBoundingClientRect();
  return { width: canvas.width, height: canvas.height, bits, cssWidth: box.width };
})()`;

/** A small black-and-white logo: a filled square with a hole. */
function logoPng(): Buffer {
  const png = new PNG({ width: 32, height: 32 });
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) {
      const i = (y * 32 + x) * 4;
      const dark = !(x > 10 && x < 21 && y > 10 && y < 21);
      png.data[i] = png.data[i + 1] = png.data[i + 2] = dark ? 0 : 255;
      png.data[i + 3] = 255;
    }
  return PNG.sync.write(png);
}

function pngBits(file: string): { width: number; height: number; bits: string } {
  const png = PNG.sync.read(fs.readFileSync(file));
  let bits = '';
  for (let i = 0; i < png.data.length; i += 4) bits += png.data[i]! < 128 ? '1' : '0';
  return { width: png.width, height: png.height, bits };
}

test('design a label: place elements by number and by drag; the preview is the printed raster, pixel for pixel', async ({
  app,
  station,
}) => {
  const out = path.join(station.dataDir, 'printed');
  const set = await station.dispatch('updateLabelSettings', {
    product: 'Sample Product',
    printer: { kind: 'file', dir: out, format: 'png' },
  });
  expect(set.ok).toBe(true);
  await app.goto(app.url().replace(/#.*$/, '') + '#/labels');
  const open = app.getByRole('form', { name: 'Open a template to design' });
  await open.getByLabel('Template to start from').selectOption('claim-50x30');
  await open.getByRole('button', { name: 'Open in designer' }).click();
  const designer = app.getByRole('region', { name: 'Label designer' });
  const preview = designer.getByTestId('designer-preview');
  await expect(preview).toBeVisible();

  // Size and dpi: 300 dpi makes the raster 591 x 354 dots.
  await designer.getByRole('group', { name: 'Label size' }).getByLabel('Printer dpi').selectOption('300');
  await expect(designer.getByText('50 x 30 mm at 300 dpi (591 x 354 dots)')).toBeVisible();

  // Numeric placement of the QR code, and its payload template.
  await designer.getByRole('button', { name: 'QR code 1' }).click();
  const element = designer.getByRole('group', { name: 'Selected element' });
  await element.getByLabel('X (mm)').fill('2');
  await element.getByLabel('QR payload template').fill('https://claim.example.com/?id={{id}}');
  await expect(designer.getByText('QR code: https://claim.example.com/?id=TESTLABEL1')).toBeVisible();

  // Drag the product line 3 mm down (at 3x zoom a mm is 3 CSS mm).
  const product = designer.getByRole('button', { name: 'Text 3: {{product}}' });
  const box = (await product.boundingBox())!;
  const pxPerMm = (3 * 96) / 25.4;
  await app.mouse.move(box.x + 5, box.y + 3);
  await app.mouse.down();
  await app.mouse.move(box.x + 5, box.y + 3 + 1.5 * pxPerMm, { steps: 4 });
  await app.mouse.move(box.x + 5, box.y + 3 + 3 * pxPerMm, { steps: 4 });
  await app.mouse.up();
  await expect(element).toContainText('Text 3');
  await expect(element.getByLabel('Y (mm)')).toHaveValue('11');
  await expect(element.getByLabel('X (mm)')).toHaveValue('24');
  // Keyboard: Shift+Right moves it 1 mm, Left 0.1 mm back.
  await product.press('Shift+ArrowRight');
  await product.press('ArrowLeft');
  await expect(element.getByLabel('X (mm)')).toHaveValue('24.9');
  await element.getByLabel('X (mm)').fill('24');

  // The whole product name fits: the bitmap font does not clip "Sample Product".
  const productBox = (await designer.getByRole('button', { name: 'Text 3: {{product}}' }).boundingBox())!;
  const paperBox = (await preview.boundingBox())!;
  expect(productBox.x + productBox.width).toBeLessThanOrEqual(paperBox.x + paperBox.width);

  // A logo uploaded from this computer, placed by number in the free corner.
  await designer.getByLabel('Upload a logo (PNG)').setInputFiles({
    name: 'acme-logo.png',
    mimeType: 'image/png',
    buffer: logoPng(),
  });
  await expect(element).toContainText('acme-logo.png');
  await element.getByLabel('X (mm)').fill('41');
  await element.getByLabel('Y (mm)').fill('21');
  await expect(designer.getByRole('button', { name: /acme-logo\.png/ })).toHaveCSS('left', /.+/);
  expect(fs.existsSync(path.join(station.dataDir, 'labels', 'acme-logo.png'))).toBe(true);

  await expect(async () => {
    const shown = (await app.evaluate(PREVIEW_PIXELS)) as { bits: string; width: number };
    expect(shown.width).toBe(591);
  }).toPass();
  await designer.getByRole('button', { name: 'Test print' }).click();
  await expect(designer.getByRole('status')).toContainText('Test label printed on file:');
  const printed = pngBits(path.join(out, 'TESTLABEL1.png'));
  const shown = (await app.evaluate(PREVIEW_PIXELS)) as {
    width: number;
    height: number;
    bits: string;
    cssWidth: number;
  };
  expect([shown.width, shown.height]).toEqual([printed.width, printed.height]);
  expect(shown.bits.length).toBe(591 * 354);
  let differ = 0;
  for (let i = 0; i < shown.bits.length; i++) if (shown.bits[i] !== printed.bits[i]) differ++;
  expect(differ).toBe(0);
  expect(printed.bits.includes('1')).toBe(true);
  // The logo is on the printed label where it was placed: dark edge, white hole (300 dpi).
  const dot = (xMm: number, yMm: number) =>
    printed.bits[Math.round((yMm * 300) / 25.4) * 591 + Math.round((xMm * 300) / 25.4)];
  expect(dot(41.5, 21.5)).toBe('1');
  expect(dot(44.9, 24.9)).toBe('0');
  // Shown at 3x true size: 50 mm = 3 * 50 CSS mm.
  expect(shown.cssWidth).toBeCloseTo((3 * 50 * 96) / 25.4, 0);

  await expectNoHorizontalOverflow(app);
  // Save as a new version: the station's own file, version 2, listed from then on.
  await designer.getByRole('button', { name: 'Save as new version' }).click();
  await expect(designer.getByRole('status')).toContainText('Saved claim-50x30 version 2');
  const saved = fs.readFileSync(path.join(station.dataDir, 'labels', 'claim-50x30.json5'), 'utf8');
  expect(saved).toContain('dpi: 300');
  expect(saved).toContain("payload: 'https://claim.example.com/?id={{id}}'");
  expect(saved).toContain("file: 'acme-logo.png'");
  const prints = station.store.db
    .prepare("SELECT kind, template_version FROM label_prints WHERE claim_id = 'TESTLABEL1'")
    .all() as { kind: string; template_version: string }[];
  expect(prints).toEqual([
    { kind: 'test', template_version: expect.stringMatching(/^claim-50x30@2#[0-9a-f]{8} \(draft\)$/) },
  ]);
});
