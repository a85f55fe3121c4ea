import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { decodeQrPng, pdfPageToPng } from '../../support/qrDecode';
import { startRawPrinter, type RawPrinter } from '../../support/rawPrinter';
import { createTestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

let temp: { dir: string; cleanup: () => void };
let printer: RawPrinter;
const ids = ['C1AAAAAAAA', 'C1BBBBBBBB', 'C1CCCCCCCC'];

beforeEach(async () => {
  temp = makeTempDir();
  const station = createTestStation({ dataDir: path.join(temp.dir, 'data') });
  station.store.units.insertMany(
    ids.map((claimId, i) => ({
      claimId,
      state: 'verified' as const,
      serial: `SN${i}`,
      orderId: 'WO-CLI',
      at: '2026-11-21T10:00:00.000Z',
    })),
  );
  station.close();
  printer = await startRawPrinter();
});
afterEach(async () => {
  await printer.close();
  temp.cleanup();
});

it('lineside labels render and print an order', async () => {
  const dataDir = ['--data-dir', path.join(temp.dir, 'data')];
  const out = path.join(temp.dir, 'out');

  const pdf = await runCli([
    'labels',
    'render',
    '--order',
    'WO-CLI',
    '--format',
    'pdf',
    '--out',
    out,
    ...dataDir,
  ]);
  expect(pdf.stderr).toBe('');
  expect(pdf.code).toBe(0);
  expect(pdf.stdout).toContain('3 label(s) in 1 file(s)');
  expect(decodeQrPng(pdfPageToPng(fs.readFileSync(path.join(out, 'WO-CLI.pdf')), 3))).toBe('C1CCCCCCCC');

  const zpl = await runCli([
    'labels',
    'render',
    '--order',
    'WO-CLI',
    '--format',
    'zpl',
    '--out',
    out,
    ...dataDir,
  ]);
  expect(zpl.code).toBe(0);
  expect(fs.readFileSync(path.join(out, 'WO-CLI.zpl'), 'utf8').match(/\^XA/g)).toHaveLength(3);

  const noPrinter = await runCli(['labels', 'print', '--order', 'WO-CLI', ...dataDir]);
  expect(noPrinter.code).toBe(6);
  expect(noPrinter.stderr).toContain('No label printer is set up');

  const set = await runCli(['labels', 'printer', '--zpl', `127.0.0.1:${printer.port}`, ...dataDir]);
  expect(set.stdout).toContain(`ZPL over TCP to 127.0.0.1:${printer.port}`);
  const printed = await runCli(['labels', 'print', '--order', 'WO-CLI', ...dataDir]);
  expect(printed.stderr).toBe('');
  expect(printed.stdout).toContain('Order WO-CLI: 3 label(s) printed now, 0 printed before');
  expect(printer.jobs.map((j) => /\^FDMM,B\d{4}(\w+)\^FS/.exec(j)?.[1])).toEqual(ids);

  const again = await runCli(['labels', 'print', '--unit', ids[0]!, ...dataDir]);
  expect(again.code).toBe(5);
  const reprint = await runCli(['labels', 'reprint', ids[0]!, '--reason', 'smudged', ...dataDir]);
  expect(reprint.code).toBe(0);
  const history = await runCli(['labels', 'history', '--unit', ids[0]!, '--json', ...dataDir]);
  const rows = JSON.parse(history.stdout).value as { kind: string; reason: string | null }[];
  expect(rows.map((r) => [r.kind, r.reason])).toEqual([
    ['reprint', 'smudged'],
    ['print', null],
  ]);
});
