import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UnitState } from '../../../electron/shared/contract';
import { renderZpl } from '../../../electron/core/labels/render/zpl';
import { decodeQrPng } from '../../support/qrDecode';
import { createTestStation, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';
import { freePort, startRawPrinter, startStuckPrinter, type RawPrinter } from '../../support/rawPrinter';

const at = '2026-11-21T10:00:00.000Z';
let seeded = 0;

function seedOrder(
  station: TestStation,
  orderId: string,
  n: number,
  state: UnitState = 'verified',
): string[] {
  const prefix = `A${String(seeded++).padStart(3, '0')}`;
  const ids = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);
  station.store.units.insertMany(
    ids.map((claimId, i) => ({ claimId, state, serial: `SN${String(i).padStart(6, '0')}`, orderId, at })),
  );
  return ids;
}

function auditRows(station: TestStation) {
  return station.store.db
    .prepare('SELECT claim_id, kind, reason, printer FROM label_prints ORDER BY id')
    .all() as {
    claim_id: string;
    kind: string;
    reason: string | null;
    printer: string;
  }[];
}

describe('printing labels to a network label printer (raw ZPL on TCP)', () => {
  let station: TestStation;
  let printer: RawPrinter;

  beforeEach(async () => {
    station = createTestStation();
    printer = await startRawPrinter();
    const set = await station.dispatch('updateLabelSettings', {
      printer: { kind: 'zpl-tcp', host: '127.0.0.1', port: printer.port },
      product: 'Acme Sensor',
      model: 'AS-2',
    });
    expect(set.ok).toBe(true);
  });
  afterEach(async () => {
    await printer.close();
    station.cleanup();
  });

  it('prints a verified unit once, records it, and refuses a second print without a reprint reason', async () => {
    const [id] = seedOrder(station, 'WO-1', 1);
    const entry = await station.labels.printUnit(id!);
    expect(entry).toMatchObject({ claimId: id, kind: 'print', copies: 1, template: 'claim-50x30' });
    expect(entry.templateVersion).toMatch(/^claim-50x30@1#[0-9a-f]{8}$/);
    expect(printer.jobs).toEqual([renderZpl(station.labels.labelFor(station.store.units.get(id!)!).label)]);
    expect(printer.jobs[0]).toContain(`^FDMM,B0010${id}^FS`);
    const events = station.store.events.forUnit(id!).map((e) => e.kind);
    expect(events).toContain('label.printed');

    await expect(station.labels.printUnit(id!)).rejects.toThrow(/already printed.*Reprint and give a reason/);
    const noReason = await station.dispatch('reprintLabel', { claimId: id!, reason: ' ' });
    expect(noReason.ok).toBe(false);
    const reprint = await station.dispatch('reprintLabel', { claimId: id!, reason: 'label torn at packing' });
    expect(reprint).toMatchObject({ ok: true, value: { kind: 'reprint', reason: 'label torn at packing' } });
    expect(printer.jobs).toHaveLength(2);
    expect(auditRows(station).map((r) => r.kind)).toEqual(['print', 'reprint']);
    const history = await station.services.listLabelPrints({ claimId: id! });
    expect(history.map((h) => h.kind)).toEqual(['reprint', 'print']);
  });

  it('never prints the label of a unit that failed or has not verified yet', async () => {
    for (const state of ['failed', 'written', 'reserved', 'voided'] as const) {
      const [id] = seedOrder(station, `WO-${state}`, 1, state);
      const result = await station.dispatch('printUnitLabel', { claimId: id! });
      expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(!result.ok && result.error.message).toContain(
        `is ${state}: a label is printed only for a unit that passed`,
      );
    }
    const [ok] = seedOrder(station, 'WO-prov', 1, 'provisioned');
    expect((await station.dispatch('printUnitLabel', { claimId: ok! })).ok).toBe(true);
    expect(printer.jobs).toHaveLength(1);
    expect(auditRows(station)).toHaveLength(1);
  });

  it('a batch sends exactly each label of the order; a printer lost mid-batch resumes without duplicates or gaps', async () => {
    const ids = seedOrder(station, 'WO-20', 20);
    const failed = seedOrder(station, 'WO-20x', 2, 'failed');
    station.store.db.prepare(`UPDATE units SET order_id = 'WO-20' WHERE claim_id IN (?, ?)`).run(...failed);
    printer.stopAfter(7);

    const started = await station.services.printOrderLabels({ orderId: 'WO-20' });
    const first = await station.jobs.wait(started.jobId);
    expect(first.state).toBe('failed');
    expect(first.done).toBe(7);
    expect(first.error?.message).toMatch(
      /^Order WO-20 stopped at \w+ with 7 of 20 labels printed\. Printer 127\.0\.0\.1:\d+ refused the connection: check it is switched on and connected, then press Retry\. Retry prints only the 13 labels not printed yet\.$/,
    );
    expect(printer.jobs).toHaveLength(7);
    expect(auditRows(station)).toHaveLength(7);

    // The printer comes back on the same address; Retry prints only the rest.
    const port = printer.port;
    await printer.close();
    const back = await startRawPrinter(port);
    try {
      const retry = await station.services.printOrderLabels({ orderId: 'WO-20' });
      const second = await station.jobs.wait(retry.jobId);
      expect(second.state).toBe('done');
      expect(second.result).toEqual({ orderId: 'WO-20', printed: 13, alreadyPrinted: 7, notVerified: 2 });
      const expected = (claimId: string) =>
        renderZpl(station.labels.labelFor(station.store.units.get(claimId)!).label);
      expect(printer.jobs).toEqual(ids.slice(0, 7).map(expected));
      expect(back.jobs).toEqual(ids.slice(7).map(expected));
      const rows = auditRows(station);
      expect(rows.map((r) => r.claim_id)).toEqual(ids);
      expect(rows.every((r) => r.kind === 'print')).toBe(true);

      // Nothing left: a third run prints nothing.
      const third = await station.services.printOrderLabels({ orderId: 'WO-20' });
      expect((await station.jobs.wait(third.jobId)).result).toMatchObject({
        printed: 0,
        alreadyPrinted: 20,
      });
      expect(back.jobs).toHaveLength(13);
    } finally {
      await back.close();
    }
  });

  it('says clearly when the printer is not there or stops taking data', async () => {
    const [a, b] = seedOrder(station, 'WO-2', 2);
    await station.dispatch('updateLabelSettings', {
      printer: { kind: 'zpl-tcp', host: '127.0.0.1', port: await freePort() },
    });
    const refused = await station.dispatch('printUnitLabel', { claimId: a! });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!refused.ok && refused.error.message).toMatch(/^Printer 127\.0\.0\.1:\d+ refused the connection/);

    const stuck = await startStuckPrinter();
    try {
      const { createDriver } = await import('../../../electron/core/labels/drivers');
      const { loadBitmapFont } = await import('../../../electron/core/labels/render/bitmapFont');
      const driver = createDriver(
        { kind: 'zpl-tcp', host: '127.0.0.1', port: stuck.port },
        { font: loadBitmapFont('resources/labels/font-mono.json'), writeTimeoutMs: 300 },
      );
      const label = station.labels.labelFor(station.store.units.get(b!)!).label;
      await expect(driver.send(label, 1, b!)).rejects.toThrow(/stopped taking data for 0\.3 s/);
    } finally {
      await stuck.close();
    }
    expect(auditRows(station)).toHaveLength(0);
  });

  it('prints the copies the station asks for and records them', async () => {
    const [id] = seedOrder(station, 'WO-copies', 1);
    await station.dispatch('updateLabelSettings', { copies: 2 });
    const result = await station.dispatch('printUnitLabel', { claimId: id! });
    expect(result).toMatchObject({ ok: true, value: { copies: 2 } });
    expect(printer.jobs[0]).toContain('^PQ2');
  });

  it('prints a test label that can never be taken for a unit, and records it as a test', async () => {
    const result = await station.dispatch('printTestLabel', undefined);
    expect(result).toMatchObject({ ok: true, value: { kind: 'test', claimId: 'TESTLABEL1' } });
    expect(printer.jobs).toHaveLength(1);
    expect(printer.jobs[0]).toContain('TESTLABEL1');
    expect(station.store.events.recent(1)[0]).toMatchObject({ kind: 'label.test-printed', claimId: null });
  });
});

describe('saving labels as files instead of printing', () => {
  it('a file printer writes each printed label as PNG whose QR decodes', async () => {
    const station = createTestStation();
    const out = makeTempDir();
    try {
      const [id] = seedOrder(station, 'WO-F', 1);
      const set = await station.dispatch('updateLabelSettings', {
        printer: { kind: 'file', dir: out.dir, format: 'png' },
      });
      expect(set.ok).toBe(true);
      const printed = await station.dispatch('printUnitLabel', { claimId: id! });
      expect(printed).toMatchObject({ ok: true, value: { printer: `file:${out.dir} (png)` } });
      const file = path.join(out.dir, `${id}.png`);
      expect(decodeQrPng(fs.readFileSync(file))).toBe(id);
      await station.dispatch('reprintLabel', { claimId: id!, reason: 'second copy for the box' });
      expect(fs.existsSync(path.join(out.dir, `${id}-2.png`))).toBe(true);
    } finally {
      station.cleanup();
      out.cleanup();
    }
  });
});
