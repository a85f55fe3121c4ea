/**
 * Labels: 1,000 labels of an order through the real services (units read from the store, laid out,
 * rendered, written to files): PNG labels per second against raw `qrcode` PNGs of the same payloads
 * (byte mode, same error correction, warmed) in the same run (goal, issue 16: >= 0.8x), and the
 * order as one ZPL file and as one PDF. Median and spread of >= 5 runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { fixedClock } from '../electron/core/clock';
import { createServices } from '../electron/core/services';
import { createTemplateLibrary } from '../electron/core/labels/templates';
import { fieldValues, fillPayload } from '../electron/core/labels/fields';
import { makeTempDir } from '../test/support/tempDir';
import { figure, runs, sample, scale, section, timeAsync } from './harness';

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

    const count = runs();
    section(`labels: ${n} labels of an order (template claim-url-60x40, 300 dpi), ${count} runs`);
    const library = createTemplateLibrary({
      builtInDir: path.join(resourcesDir, 'labels'),
      stationDir: temp.dir,
    });
    const loaded = library.get('claim-url-60x40');
    const qrElement = loaded.template.elements.find((e) => e.type === 'qr')!;
    const ecl = qrElement.type === 'qr' ? qrElement.errorCorrection : 'M';
    const payloads = ids.map((claimId) =>
      fillPayload(
        qrElement.type === 'qr' ? qrElement.payload : '',
        fieldValues(
          {
            claimId,
            product: 'Acme Sensor',
            model: 'AS-2',
            serial: null,
            created: '2026-11-21',
            orderId: 'WO-BENCH',
            fields: {},
          },
          loaded.template.claimIdGroups,
        ),
      ),
    );
    const perSec = (ms: number) => (n / ms) * 1000;
    // Baseline: raw qrcode PNGs of the same payloads, same mode (byte) and error correction, warmed.
    const rawPng = () =>
      timeAsync(async () => {
        for (const p of payloads)
          await QRCode.toBuffer([{ data: Buffer.from(p, 'utf8'), mode: 'byte' }], {
            errorCorrectionLevel: ecl,
            type: 'png',
          });
      });
    await rawPng();
    const outDir = (i: number) => path.join(temp.dir, `out-${i}`);
    await handle.services.saveLabels({ orderId: 'WO-BENCH', format: 'png', dir: outDir(-1) }); // warm-up (worker start)
    const png = await sample(count, async (i) =>
      perSec(
        (
          await timeAsync(
            async () =>
              await handle.services.saveLabels({ orderId: 'WO-BENCH', format: 'png', dir: outDir(i) }),
          )
        ).ms,
      ),
    );
    const raw = await sample(count, async () => perSec((await rawPng()).ms));
    figure({
      name: 'labels.png',
      title: `PNG labels of an order per second (store + layout + QR + 1-bit PNG in the render worker + file)`,
      samples: png,
      unit: 'labels/s',
      baseline: {
        samples: raw,
        what: 'raw qrcode.toBuffer PNG of the same payloads (byte mode, same EC level)',
      },
      higherIsBetter: true,
      goal: [{ on: 'ratio', op: '>=', target: 0.8 }],
    });
    const zpl = await sample(
      count,
      async (i) =>
        (
          await timeAsync(
            async () =>
              await handle.services.saveLabels({ orderId: 'WO-BENCH', format: 'zpl', dir: outDir(100 + i) }),
          )
        ).ms,
    );
    figure({
      name: 'labels.zpl-order',
      title: `${n} labels of an order to one ZPL file, ms`,
      samples: zpl,
      unit: 'ms',
      higherIsBetter: false,
      goal: [{ on: 'value', op: '<', target: 500 * (n / 1000) }],
    });
    const pdf = await sample(
      count,
      async (i) =>
        (
          await timeAsync(
            async () =>
              await handle.services.saveLabels({ orderId: 'WO-BENCH', format: 'pdf', dir: outDir(200 + i) }),
          )
        ).ms,
    );
    figure({
      name: 'labels.pdf-order',
      title: `${n} labels of an order to one PDF (one page per label, in the render worker), ms`,
      samples: pdf,
      unit: 'ms',
      higherIsBetter: false,
      goal: [{ on: 'value', op: '<', target: 5000 * (n / 1000) }],
    });
    void fs;
  } finally {
    handle.close();
    temp.cleanup();
  }
}
