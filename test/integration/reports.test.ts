import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShiftReport, ShiftReportFileReport } from '../../electron/shared/contract';
import { SHIFT_ORDER, createShiftStation, runShift } from '../support/shiftRun';
import type { TestStation } from '../support/station';
import { makeTempDir } from '../support/tempDir';

let station: TestStation | null = null;
let temp: { dir: string; cleanup(): void } | null = null;
afterEach(() => {
  station?.cleanup();
  temp?.cleanup();
  station = temp = null;
});

async function call<T>(s: TestStation, op: string, req: unknown): Promise<T> {
  const result = await s.dispatch(op as never, req as never);
  if (!result.ok) throw new Error(`${op}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

describe('the shift report', () => {
  it("counts a real run's passes, failures, first-pass yield, slots, reasons, reworks and reprints", async () => {
    temp = makeTempDir('lineside-shift-');
    station = createShiftStation(path.join(temp.dir, 'devices'));
    await runShift(station, path.join(temp.dir, 'devices'), path.join(temp.dir, 'printed'));
    const r = await call<ShiftReport>(station, 'getShiftReport', { orderId: SHIFT_ORDER });
    expect(r).toMatchObject({ units: 4, passed: 3, failed: 1, attempts: 5, firstPassYield: 0.5 });
    expect(r.slots.map((s) => [s.slot, s.passed])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    // All in the same bucket; scaled to units per hour.
    expect(r.slots[0]!.unitsPerHour.reduce((a, b) => a + b, 0)).toBe((2 * 60) / r.bucketMinutes);
    expect(r.failedBeforeClaim).toBe(1);
    expect(r.failureReasons.map((f) => f.count)).toEqual([1, 1, 1]);
    expect(r.failureReasons.map((f) => `${f.code}@${f.step}`).sort()).toEqual(
      ['device-disconnected@write', 'port-unavailable@connect', 'verify-mismatch@verify'].sort(),
    );
    expect(r.failureReasons.map((f) => f.cumulative)).toEqual([1 / 3, 2 / 3, 1]);
    expect(r.reworks).toEqual([expect.objectContaining({ from: 'failed' })]);
    expect(r.reprints).toEqual([expect.objectContaining({ reason: 'label smeared' })]);
    expect(r.stations).toHaveLength(1);
    const here = await call<ShiftReport>(station, 'getShiftReport', { station: r.stations[0] });
    expect(here).toMatchObject({ units: 4, passed: 3, failedBeforeClaim: 1 });

    // Another order or station: nothing.
    const other = await call<ShiftReport>(station, 'getShiftReport', { station: 'elsewhere' });
    expect(other).toMatchObject({ units: 0, passed: 0, firstPassYield: null, reprints: [] });

    const csv = await call<ShiftReportFileReport>(station, 'exportShiftReport', {
      orderId: SHIFT_ORDER,
      format: 'csv',
    });
    expect(csv.content).toContain('summary,first_pass_yield,0.5000,');
    expect(csv.content).toContain('reprint,');
    const json = await call<ShiftReportFileReport>(station, 'exportShiftReport', {
      orderId: SHIFT_ORDER,
      format: 'json',
    });
    expect(JSON.parse(json.content)).toMatchObject({ passed: 3, failed: 1 });
    const pdf = await call<ShiftReportFileReport>(station, 'exportShiftReport', {
      orderId: SHIFT_ORDER,
      format: 'pdf',
    });
    const file = path.join(temp.dir, pdf.fileName);
    fs.writeFileSync(file, Buffer.from(pdf.content, 'base64'));
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+1\n/);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('First-pass yield');
    expect(text).toContain('50.0 %');
    expect(text).toContain('label smeared');
  });
});
