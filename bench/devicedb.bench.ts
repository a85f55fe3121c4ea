/**
 * Offline store browsing: a device database of 100,000 items with a 10,000-record journal.
 * Time to the first rows (parser streaming the first 100 items; through the services: streamed
 * open + first page of 200, as the app does) and to a full parse with the journal replayed, against reading the same files'
 * bytes in the same run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { replayDeviceDatabase } from '../electron/core/devicedb/replay';
import { createTestStation } from '../test/support/station';
import { storeItem, writeDeviceDb, writeJournal, type FixtureRecord } from '../test/support/deviceDb';
import { makeTempDir } from '../test/support/tempDir';
import { report, scale, timeAsync, timeIt } from './harness';

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

    // Warm the parser up on a small database so the first measurement is not the JIT's.
    for (const _ of replayDeviceDatabase({
      db: writeDeviceDb(items.slice(0, 2000)),
      journal: writeJournal(records.slice(0, 200)),
    }))
      void _;

    // Baseline: just reading the bytes.
    const read = timeIt(() => [fs.readFileSync(dbFile), fs.readFileSync(`${dbFile}.jnl`)]);
    const [db, journal] = read.value;

    const first = timeIt(() => {
      const out = [];
      for (const item of replayDeviceDatabase({ db: db!, journal })) {
        out.push(item);
        if (out.length === 100) break;
      }
      return out.length;
    });
    const full = timeIt(() => [...replayDeviceDatabase({ db: db!, journal })].length);

    const openAndPage = (stream: boolean) =>
      timeAsync(async () => {
        const opened = await station.dispatch('openDeviceDatabase', { dbPath: dbFile, stream });
        if (!opened.ok) throw new Error(opened.error.message);
        const { sourceId } = opened.value as { sourceId: string };
        const page = await station.dispatch('listDeviceItems', { sourceId, model: 'Store', limit: 200 });
        if (!page.ok) throw new Error(page.error.message);
        await station.dispatch('closeDeviceStore', { sourceId });
        return (page.value as { total: number }).total;
      });
    const streamed = await openAndPage(true);
    const service = await openAndPage(false);

    const mb = (size / 1024 / 1024).toFixed(1);
    report(
      `device database: ${n.toLocaleString()} items + ${j.toLocaleString()} journal records (${mb} MB)`,
      [
        {
          name: 'first 100 rows from the parser (journal read, file streamed)',
          value: `${first.ms.toFixed(1)} ms`,
          baseline: `reading the bytes ${read.ms.toFixed(1)} ms`,
          ratio: read.ms / first.ms,
        },
        {
          name: `full parse with the journal replayed (${full.value.toLocaleString()} items)`,
          value: `${full.ms.toFixed(0)} ms`,
          baseline: `reading the bytes ${read.ms.toFixed(1)} ms`,
          ratio: read.ms / full.ms,
        },
        {
          name: 'first rows shown: streamed open + first page of 200 through the services',
          value: `${streamed.ms.toFixed(0)} ms`,
          baseline: `reading the bytes ${read.ms.toFixed(1)} ms`,
          ratio: read.ms / streamed.ms,
        },
        {
          name: `full open + first page through the services (${service.value.toLocaleString()} items)`,
          value: `${service.ms.toFixed(0)} ms`,
          baseline: `reading the bytes ${read.ms.toFixed(1)} ms`,
          ratio: read.ms / service.ms,
        },
      ],
    );
  } finally {
    station.cleanup();
    temp.cleanup();
  }
}
