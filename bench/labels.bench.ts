/**
 * Labels: 1,000 labels of an order through the real services (units read from the store, laid out,
 * rendered, written to a file) as one ZPL file and as one PDF; and QR renders per second (the label
 * layout, which encodes the QR code) against raw `qrcode.create` of the same payloads in the same run.
 */
import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { fixedClock } from '../electron/core/clock';
import { createServices } from '../electron/core/services';
import { createTemplateLibrary } from '../electron/core/labels/templates';
import { layoutLabel } from '../electron/core/labels/layout';
import { renderZpl } from '../electron/core/labels/render/zpl';
import { fieldValues, fillPayload } from '../electron/core/labels/fields';
import { makeTempDir } from '../test/support/tempDir';
import { report, scale, timeAsync, timeIt } from './harness';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export async function run(): Promise<void> {
  const n = Math.max(10, Math.round(1000 * scale()));
  const temp = makeTempDir('lineside-bench-labels-');
  const resourcesDir = path.resolve('resources');
  const handle = createServices({
    dataDir: temp.dir,
    resourcesDir,
    clock: fixedClock('2026-11-21T10:00:00.000Z'),
    runtime: { transport: 'cli', appVersion: 'bench', electronVersion: null, chromeVersion: null },
  });
  try {
    const ids = Array.from({ length: n }, (_, i) => {
      let id = 'B';
      for (let j = 0, v = i * 7919 + 17; j < 9; j++, v = Math.floor(v / 32) + j * 13) id += ALPHABET[v % 32];
      return id;
    });
    handle.store.units.insertMany(
      ids.map((claimId, i) => ({
        claimId,
        state: 'verified' as const,
        serial: `SN${String(i).padStart(6, '0')}`,
        orderId: 'WO-BENCH',
        at: '2026-11-21T10:00:00.000Z',
      })),
    );
    handle.services.updateLabelSettings({
      template: 'claim-url-60x40',
      product: 'Acme Sensor',
      model: 'AS-2',
    });
    const out = path.join(temp.dir, 'out');

    // Warm-up (module loading, JIT), as a station that has printed a label before.
    await handle.services.saveLabels({ orderId: 'WO-BENCH', format: 'zpl', dir: out });
    const zpl = await timeAsync(async () =>
      handle.services.saveLabels({ orderId: 'WO-BENCH', format: 'zpl', dir: out }),
    );
    const pdf = await timeAsync(async () =>
      handle.services.saveLabels({ orderId: 'WO-BENCH', format: 'pdf', dir: out }),
    );
    const pdfBytes = fs.statSync(pdf.value.files[0]!).size;

    // QR renders per second: label layout (fills the payload, encodes the QR, places it) vs raw qrcode.
    const library = createTemplateLibrary({
      builtInDir: path.join(resourcesDir, 'labels'),
      stationDir: temp.dir,
    });
    const loaded = library.get('claim-url-60x40');
    const qrElement = loaded.template.elements.find((e) => e.type === 'qr')!;
    const data = ids.map((claimId) => ({
      claimId,
      product: 'Acme Sensor',
      model: 'AS-2',
      serial: null,
      created: '2026-11-21',
      orderId: 'WO-BENCH',
      fields: {},
    }));
    const payloads = data.map((d) =>
      fillPayload(
        qrElement.type === 'qr' ? qrElement.payload : '',
        fieldValues(d, loaded.template.claimIdGroups),
      ),
    );
    const raw = timeIt(() => {
      for (const p of payloads) QRCode.create(p, { errorCorrectionLevel: 'M' });
    });
    // Layout plus the full QR matrix (what the SVG, PNG and PDF renderers draw).
    const laid = timeIt(() =>
      data.map((d) => {
        const label = layoutLabel(loaded, d);
        for (const op of label.ops) if (op.kind === 'qr') void op.matrix.size;
        return label;
      }),
    );
    const zplOnly = timeIt(() => laid.value.map((l) => renderZpl(l)).join(''));

    const perSec = (ms: number) => (n / ms) * 1000;
    const zplGoal = 500 * (n / 1000);
    const pdfGoal = 5000 * (n / 1000);
    report(`labels: ${n} labels of an order (template claim-url-60x40, 300 dpi)`, [
      {
        name: 'order to one ZPL file (store + layout + QR + ZPL + write)',
        value: `${zpl.ms.toFixed(0)} ms`,
        baseline: `raw qrcode.create of the same payloads ${raw.ms.toFixed(0)} ms`,
        ratio: zpl.ms / raw.ms,
        goal: `< ${zplGoal.toFixed(0)} ms`,
        met: zpl.ms < zplGoal,
      },
      {
        name: 'order to one PDF (one page per label)',
        value: `${pdf.ms.toFixed(0)} ms, ${(pdfBytes / 1024).toFixed(0)} KiB`,
        baseline: `raw qrcode.create ${raw.ms.toFixed(0)} ms`,
        ratio: pdf.ms / raw.ms,
        goal: `< ${pdfGoal.toFixed(0)} ms`,
        met: pdf.ms < pdfGoal,
      },
      {
        name: 'QR renders per second (label layout + full QR matrix)',
        value: `${perSec(laid.ms).toFixed(0)}/s`,
        baseline: `raw qrcode.create ${perSec(raw.ms).toFixed(0)}/s`,
        ratio: perSec(laid.ms) / perSec(raw.ms),
      },
      {
        name: 'ZPL text from laid-out labels only',
        value: `${zplOnly.ms.toFixed(1)} ms`,
      },
    ]);
  } finally {
    handle.close();
    temp.cleanup();
  }
}
