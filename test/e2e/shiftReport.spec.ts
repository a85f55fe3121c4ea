import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expectNoHorizontalOverflow } from './overflow';
import { expect, test as base } from './fixtures';
import { SHIFT_ORDER, createShiftStation, runShift } from '../support/shiftRun';
import { makeTempDir } from '../support/tempDir';

// A real station run (fake devices on two slots) before the page opens.
const test = base.extend<{ work: string }>({
  work: async ({}, use) => {
    const temp = makeTempDir('lineside-shift-e2e-');
    await use(temp.dir);
    temp.cleanup();
  },
  station: async ({ work }, use) => {
    const station = createShiftStation(path.join(work, 'devices'), 'browser');
    await runShift(station, path.join(work, 'devices'), path.join(work, 'printed'));
    await use(station);
    station.cleanup();
  },
});

/** Dark pixels drawn on a canvas: a chart that rendered has some. */
const INKED = `(() => [...document.querySelectorAll('.chart-box canvas')].map((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}))()`;

test("the shift report shows the run's numbers, charts them, and exports CSV, JSON and a one-page PDF", async ({
  app,
  station,
  work,
}) => {
  await app.keyboard.press('Alt+0');
  await expect(app.getByRole('heading', { name: 'Shift report' })).toBeVisible();
  const filters = app.getByRole('form', { name: 'Report filters' });
  await filters.getByLabel('Work order').selectOption(SHIFT_ORDER);
  await filters.getByRole('button', { name: 'Show report' }).click();
  await expect(app.getByText(`All stations · ${SHIFT_ORDER}`)).toBeVisible();

  // What the store says happened, counted independently of the report's code.
  const outcomes = station.store.db
    .prepare(
      "SELECT claim_id, kind FROM events WHERE order_id = ? AND kind IN ('unit.verified', 'unit.failed') ORDER BY id",
    )
    .all(SHIFT_ORDER) as { claim_id: string; kind: string }[];
  const last = new Map(outcomes.map((o) => [o.claim_id, o.kind]));
  const first = new Map<string, string>();
  for (const o of outcomes) if (!first.has(o.claim_id)) first.set(o.claim_id, o.kind);
  const passed = [...last.values()].filter((k) => k === 'unit.verified').length;
  const firstPass = [...first.values()].filter((k) => k === 'unit.verified').length;
  expect([last.size, passed, firstPass]).toEqual([4, 3, 2]);

  await expect(app.getByTestId('report-units')).toHaveText(String(last.size));
  await expect(app.getByTestId('report-passed')).toHaveText(String(passed));
  await expect(app.getByTestId('report-failed')).toHaveText(String(last.size - passed));
  await expect(app.getByTestId('report-fpy')).toHaveText(`${((firstPass / last.size) * 100).toFixed(1)} %`);
  await expect(app.getByTestId('report-before-claim')).toHaveText('1');
  await expect(app.getByTestId('report-reworks')).toHaveText('1');
  await expect(app.getByTestId('report-reprints')).toHaveText('1');
  const slots = app.getByRole('table', { name: 'Units passed per slot' }).locator('tbody tr');
  await expect(slots).toHaveText([/Slot 1\s*2/, /Slot 2\s*1/]);
  const reasons = app.getByRole('table', { name: 'Failure reasons table' }).locator('tbody tr');
  await expect(reasons).toHaveCount(3);
  await expect(reasons.last()).toContainText('100.0 %');
  await expect(app.getByRole('table', { name: 'Reprints table' })).toContainText('label smeared');
  await expect(app.getByRole('table', { name: 'Reworks table' })).toContainText('from failed');
  // Both charts drew something.
  await expect(async () => {
    const inked = (await app.evaluate(INKED)) as number[];
    expect(inked).toHaveLength(2);
    for (const n of inked) expect(n).toBeGreaterThan(500);
  }).toPass();

  await expectNoHorizontalOverflow(app);
  const saveDownload = async (button: string) => {
    const downloading = app.waitForEvent('download');
    await filters.getByRole('button', { name: button }).click();
    const download = await downloading;
    const file = path.join(work, download.suggestedFilename());
    await download.saveAs(file);
    return file;
  };
  const csv = fs.readFileSync(await saveDownload('Export CSV'), 'utf8');
  expect(csv).toContain(`summary,passed,${passed},`);
  expect(csv).toContain('reprint,');
  const json = JSON.parse(fs.readFileSync(await saveDownload('Export JSON'), 'utf8')) as Record<
    string,
    unknown
  >;
  expect(json).toMatchObject({ orderId: SHIFT_ORDER, units: 4, passed, failedBeforeClaim: 1 });
  const pdf = await saveDownload('Export PDF');
  expect(path.basename(pdf)).toMatch(/\.pdf$/);
  expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(/Pages:\s+1\n/);
  expect(execFileSync('pdftotext', ['-layout', pdf, '-']).toString()).toContain('label smeared');
});
