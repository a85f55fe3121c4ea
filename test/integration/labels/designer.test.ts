import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabelDraftReport, LabelRasterReport } from '../../../electron/shared/contract';
import { decodeQrPng } from '../../support/qrDecode';
import { createTestStation, type TestStation } from '../../support/station';

let station: TestStation | null = null;
afterEach(() => {
  station?.cleanup();
  station = null;
});

async function call<T>(s: TestStation, op: string, req: unknown): Promise<T> {
  const result = await s.dispatch(op as never, req as never);
  if (!result.ok) throw new Error(`${op}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

describe('the label designer', () => {
  it('previews a draft as the print renderer raster at the printer dpi, identical to the test print', async () => {
    station = createTestStation();
    const out = path.join(station.dataDir, 'printed');
    await call(station, 'updateLabelSettings', {
      product: 'Sample Product',
      printer: { kind: 'file', dir: out, format: 'png' },
    });
    const draft = await call<LabelDraftReport>(station, 'openLabelDraft', { name: 'claim-50x30' });
    const template = { ...draft.template, dpi: 300 as const };
    template.elements = template.elements.map((e, i) => (i === 0 ? { ...e, x: 2, y: 2 } : e));
    const preview = await call<LabelRasterReport>(station, 'renderLabelDraft', { template });
    expect(preview).toMatchObject({ dpi: 300, widthDots: 591, heightDots: 354, claimId: 'TESTLABEL1' });
    const png = Buffer.from(preview.png, 'base64');
    expect(decodeQrPng(png)).toBe('TESTLABEL1');
    // The text box is the whole product name in the bitmap font: nothing is clipped.
    expect(preview.boxes[2]!.x + preview.boxes[2]!.width).toBeLessThanOrEqual(50);

    const printed = await call<{ kind: string; templateVersion: string }>(station, 'printLabelDraft', {
      template,
    });
    expect(printed).toMatchObject({ kind: 'test', templateVersion: `${preview.versionTag} (draft)` });
    const file = path.join(out, 'TESTLABEL1.png');
    const a = PNG.sync.read(png);
    const b = PNG.sync.read(fs.readFileSync(file));
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    expect(Buffer.compare(a.data, b.data)).toBe(0);
  });

  it('saves a new version in the station folder and keeps the one it replaced', async () => {
    station = createTestStation();
    const draft = await call<LabelDraftReport>(station, 'openLabelDraft', { name: 'claim-50x30' });
    expect(draft).toMatchObject({ version: 1, source: 'built-in', images: ['lineside-logo.png'] });
    const first = await call<{ version: number; file: string; previous: string | null; versionTag: string }>(
      station,
      'saveLabelDraft',
      { template: { ...draft.template, description: 'mine' } },
    );
    expect(first).toMatchObject({ version: 2, previous: null });
    expect(first.file).toBe(path.join(station.dataDir, 'labels', 'claim-50x30.json5'));
    const second = await call<{ version: number; previous: string; versionTag: string }>(
      station,
      'saveLabelDraft',
      {
        template: {
          ...draft.template,
          elements: [
            ...draft.template.elements,
            { type: 'image', x: 40, y: 20, width: 8, height: 8, file: 'lineside-logo.png' },
          ],
        },
      },
    );
    expect(second.version).toBe(3);
    expect(fs.readFileSync(second.previous, 'utf8')).toContain("description: 'mine'");
    const listed = await call<{ templates: { name: string; versionTag: string; source: string }[] }>(
      station,
      'listLabelTemplates',
      undefined,
    );
    expect(listed.templates.find((t) => t.name === 'claim-50x30')).toMatchObject({
      source: 'station',
      versionTag: second.versionTag,
    });
    // A new name is a new template, version 1; a bad name gets the template file's message.
    const renamed = await call<{ version: number; name: string }>(station, 'saveLabelDraft', {
      template: { ...draft.template, name: 'box-label' },
    });
    expect(renamed).toMatchObject({ name: 'box-label', version: 1 });
    const bad = await station.dispatch('saveLabelDraft', {
      template: { ...draft.template, name: 'Box Label' },
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('lower-case') },
    });
  });

  it('adds a logo PNG to the station folder, and refuses one that is not a PNG', async () => {
    station = createTestStation();
    const png = new PNG({ width: 4, height: 4 });
    png.data.fill(0);
    const added = await call<{ images: string[] }>(station, 'addLabelImage', {
      fileName: 'acme.png',
      png: PNG.sync.write(png).toString('base64'),
    });
    expect(added.images).toEqual(['acme.png', 'lineside-logo.png']);
    expect(fs.existsSync(path.join(station.dataDir, 'labels', 'acme.png'))).toBe(true);
    const bad = await station.dispatch('addLabelImage', {
      fileName: 'bad.png',
      png: Buffer.from('not a png').toString('base64'),
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'validation', message: 'bad.png is not a readable PNG image.' },
    });
    expect(fs.existsSync(path.join(station.dataDir, 'labels', 'bad.png'))).toBe(false);
  });

  it('refuses a draft with an element past the edge, with the template file message', async () => {
    station = createTestStation();
    const draft = await call<LabelDraftReport>(station, 'openLabelDraft', { name: 'claim-50x30' });
    const template = { ...draft.template, width: 20 };
    const result = await station.dispatch('renderLabelDraft', { template });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('reaches past the 20 x 30 mm label') },
    });
  });
});
