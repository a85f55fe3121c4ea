/**
 * The station store: unit rows inserted in batches through the repository, against a raw
 * better-sqlite3 insert with the same table, indexes and pragmas in the same run; then claim-ID
 * prefix searches (p95). Median and spread of >= 5 runs.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../electron/core/clock';
import { createStore } from '../electron/core/store';
import { makeTempDir } from '../test/support/tempDir';
import { figure, percentile, runs, sample, scale, section, timeIt } from './harness';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function claimIds(n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) {
    const bytes = randomBytes(10 * 4096);
    for (let i = 0; i < bytes.length && out.size < n; i += 10) {
      let id = '';
      for (let j = 0; j < 10; j++) id += ALPHABET[bytes[i + j]! & 31];
      out.add(id);
    }
  }
  return [...out];
}

export async function run(): Promise<void> {
  const n = Math.round(200_000 * scale());
  const batch = 10_000;
  const count = runs();
  const at = new Date().toISOString();
  section(
    `store: ${n.toLocaleString()} unit rows a run in batches of ${batch.toLocaleString()}, ${count} runs`,
  );
  const temp = makeTempDir('lineside-bench-');
  try {
    const raw = await sample(count, (r) => {
      const ids = claimIds(n);
      // Baseline: raw better-sqlite3, the same table shape, indexes and pragmas, same batches.
      const db = new Database(path.join(temp.dir, `raw-${r}.db`));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(`CREATE TABLE units (claim_id TEXT PRIMARY KEY, serial TEXT, order_id TEXT, state TEXT NOT NULL,
        profile_hash TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE INDEX units_serial ON units(serial) WHERE serial IS NOT NULL;
        CREATE INDEX units_order_state ON units(order_id, state, claim_id) WHERE order_id IS NOT NULL;`);
      const ins = db.prepare('INSERT INTO units VALUES (?, NULL, NULL, ?, NULL, ?, ?)');
      const rawBatch = db.transaction((rows: string[]) => {
        for (const id of rows) ins.run(id, 'reserved', at, at);
      });
      const t = timeIt(() => {
        for (let i = 0; i < n; i += batch) rawBatch(ids.slice(i, i + batch));
      });
      db.close();
      return n / (t.ms / 1000);
    });
    const searches: number[] = [];
    const through = await sample(count, (r) => {
      const ids = claimIds(n);
      const store = createStore({
        file: path.join(temp.dir, `lineside-${r}.db`),
        clock: systemClock,
        actor: () => ({ station: 'bench', operator: 'bench' }),
      });
      const t = timeIt(() => {
        for (let i = 0; i < n; i += batch)
          store.units.insertMany(
            ids.slice(i, i + batch).map((claimId) => ({ claimId, state: 'reserved' as const, at })),
          );
      });
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const id = ids[(i * 7919) % ids.length]!;
        times.push(timeIt(() => store.units.page({ prefix: id.slice(0, 2 + (i % 4)), limit: 100 })).ms);
      }
      searches.push(percentile(times, 95));
      store.close();
      return n / (t.ms / 1000);
    });
    figure({
      name: 'store.insert',
      title: 'unit rows inserted through the store repository, rows per second',
      samples: through,
      unit: 'rows/s',
      baseline: { samples: raw, what: 'raw better-sqlite3, same table, indexes, pragmas and batches' },
      higherIsBetter: true,
    });
    figure({
      name: 'store.prefix-search-p95',
      title: 'claim-ID prefix search, a page of 100: p95 of 200 searches per run, ms',
      samples: searches,
      unit: 'ms',
      higherIsBetter: false,
      goal: [{ on: 'value', op: '<', target: 5 }],
    });
  } finally {
    temp.cleanup();
  }
}
