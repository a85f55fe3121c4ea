/**
 * Offline store browsing: a device database of 100,000 items with a 10,000-record journal. A full
 * parse with the journal replayed, in records per second, against JSON.parse of the same items and
 * records as JSON text, actually run, in the same run (goal, issue 16: >= 0.5x), the reader as it
 * runs (a helper thread rewriting values while this one parses, rewriteHelper.ts) and held to one
 * thread; and the time to the first rows through the services (streamed open + first page of 200).
 * Median and spread of >= 5 runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadDeviceDatabaseInWorker } from '../electron/core/devicedb/inWorker';
import { replayDeviceDatabaseBatches } from '../electron/core/devicedb/replay';
import { SHARED_MIN_VALUES, useRewriteHelper } from '../electron/core/devicedb/rewriteHelper';
import { createTestStation } from '../test/support/station';
import { storeItem, writeDeviceDb, writeJournal, type FixtureRecord } from '../test/support/deviceDb';
import { makeTempDir } from '../test/support/tempDir';
import { figure, runs, sample, scale, section, timeAsync, timeIt } from './harness';

export async function run(): Promise<void> {
  const n = Math.round(100_000 * scale());
  const j = Math.round(10_000 * scale());
  const at = '2026-11-21T10:00:00.000Z';
  const items = Array.from({ length: n }, (_, i) =>
    storeItem(`sensor.${String(i).padStart(7, '0')}`, i % 3 === 0 ? `text ${i}` : i, at),
  );
  const commands = ['create', 'update', 'upsert', 'remove'] as const;
  const records: FixtureRecord[] = Array.from({ length: j }, (_, i) => {
    const command = commands[i % 4]!;
    const key = command === 'create' ? `new.${i}` : `sensor.${String((i * 7919) % n).padStart(7, '0')}`;
    return { command, model: 'Store', value: { sk: `s#${key}`, key, value: i, type: 'number', updated: at } };
  });
  const temp = makeTempDir('lineside-bench-');
  const station = createTestStation();
  try {
    const dbFile = path.join(temp.dir, 'device.db');
    fs.writeFileSync(dbFile, writeDeviceDb(items));
    fs.writeFileSync(`${dbFile}.jnl`, writeJournal(records));
    const size = fs.statSync(dbFile).size + fs.statSync(`${dbFile}.jnl`).size;

    const count = runs();
    section(
      `device database: ${n.toLocaleString()} items + ${j.toLocaleString()} journal records, ${count} runs`,
    );
    // Warm the parser up on a small database so the first measurement is not the JIT's (large
    // enough that the rewrite helper thread is started, as it is after the first store a user opens).
    for (const _ of replayDeviceDatabaseBatches({
      db: writeDeviceDb(items.slice(0, SHARED_MIN_VALUES + 1000)),
      journal: writeJournal(records.slice(0, 200)),
    }))
      void _;
    const db = fs.readFileSync(dbFile);
    const journal = fs.readFileSync(`${dbFile}.jnl`);
    // Baseline: JSON.parse of the same data (the items and the journal records as JSON text), run.
    const json = JSON.stringify({ items, records });
    JSON.parse(json);
    const total = n + j;
    // Interleaved, one reader run then one baseline run, so both see the same load on a shared machine.
    const baseline: number[] = [];
    const parsed = await sample(count, () => {
      const t = timeIt(() => {
        let got = 0;
        for (const batch of replayDeviceDatabaseBatches({ db, journal })) got += batch.length;
        return got;
      });
      const b = timeIt(() => (JSON.parse(json) as { items: unknown[] }).items.length);
      baseline.push(total / (b.ms / 1000));
      return total / (t.ms / 1000);
    });
    // The same reader held to one thread (no rewrite helper), against the same baseline, for honesty:
    // the goal's figure above has a second thread rewriting while this one parses.
    const oneThread = await sample(count, () => {
      useRewriteHelper(false);
      try {
        const t = timeIt(() => {
          let got = 0;
          for (const batch of replayDeviceDatabaseBatches({ db, journal })) got += batch.length;
          return got;
        });
        return total / (t.ms / 1000);
      } finally {
        useRewriteHelper(true);
      }
    });
    figure({
      name: 'devicedb.parse',
      title: `device.db + journal parsed and replayed (${(size / 1024 / 1024).toFixed(1)} MB), records per second`,
      samples: parsed,
      unit: 'records/s',
      baseline: {
        samples: baseline,
        what: `JSON.parse of the same items and records (${(json.length / 1024 / 1024).toFixed(1)} MB of JSON)`,
      },
      higherIsBetter: true,
      goal: [{ on: 'ratio', op: '>=', target: 0.5 }],
    });
    figure({
      name: 'devicedb.parse-one-thread',
      title: 'the same reader on one thread (the rewrite helper off), records per second',
      samples: oneThread,
      unit: 'records/s',
      baseline: { samples: baseline, what: 'the same JSON.parse baseline' },
      higherIsBetter: true,
    });
    // The app's path: parsed in the worker, every item received on this thread (structured clone),
    // against the same baseline. No goal of its own (the goal is the reader's), shown for honesty.
    await loadDeviceDatabaseInWorker({ db: writeDeviceDb(items.slice(0, 2000)) });
    const viaWorker = await sample(count, async () => {
      const t = await timeAsync(async () => (await loadDeviceDatabaseInWorker({ db, journal })).items.length);
      return total / (t.ms / 1000);
    });
    figure({
      name: 'devicedb.parse-worker',
      title: 'the same, parsed in the worker and every item received on the main thread, records per second',
      samples: viaWorker,
      unit: 'records/s',
      baseline: { samples: baseline, what: 'the same JSON.parse baseline' },
      higherIsBetter: true,
    });
    const first = await sample(count, async () => {
      const t = await timeAsync(async () => {
        const opened = await station.dispatch('openDeviceDatabase', { dbPath: dbFile, stream: true });
        if (!opened.ok) throw new Error(opened.error.message);
        const { sourceId } = opened.value as { sourceId: string };
        const page = await station.dispatch('listDeviceItems', { sourceId, model: 'Store', limit: 200 });
        if (!page.ok) throw new Error(page.error.message);
        await station.dispatch('closeDeviceStore', { sourceId });
      });
      return t.ms;
    });
    figure({
      name: 'devicedb.first-rows',
      title: 'first rows shown: streamed open + first page of 200 through the services, ms',
      samples: first,
      unit: 'ms',
      higherIsBetter: false,
    });
  } finally {
    station.cleanup();
    temp.cleanup();
  }
}
