/**
 * The station store: insert 1,000,000 unit rows in batches through the repository, against a raw
 * better-sqlite3 insert of the same rows in the same run; then claim-ID prefix searches (p50/p95).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../electron/core/clock';
import { createStore } from '../electron/core/store';
import { makeTempDir } from '../test/support/tempDir';
import { percentile, report, scale, timeIt } from './harness';

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
  const n = Math.round(1_000_000 * scale());
  const batch = 10_000;
  const ids = claimIds(n);
  const at = new Date().toISOString();
  const temp = makeTempDir('lineside-bench-');
  try {
    // Baseline: raw better-sqlite3, same table shape and pragmas, same batches.
    const raw = new Database(path.join(temp.dir, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec(`CREATE TABLE units (claim_id TEXT PRIMARY KEY, serial TEXT, order_id TEXT, state TEXT NOT NULL,
      profile_hash TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`);
    const ins = raw.prepare('INSERT INTO units VALUES (?, NULL, NULL, ?, NULL, ?, ?)');
    const rawBatch = raw.transaction((rows: string[]) => {
      for (const id of rows) ins.run(id, 'reserved', at, at);
    });
    const rawTime = timeIt(() => {
      for (let i = 0; i < n; i += batch) rawBatch(ids.slice(i, i + batch));
    });
    raw.close();

    const store = createStore({
      file: path.join(temp.dir, 'lineside.db'),
      clock: systemClock,
      actor: () => ({ station: 'bench', operator: 'bench' }),
    });
    const storeTime = timeIt(() => {
      for (let i = 0; i < n; i += batch) {
        store.units.insertMany(
          ids.slice(i, i + batch).map((claimId) => ({ claimId, state: 'reserved' as const, at })),
        );
      }
    });

    const samples: number[] = [];
    for (let i = 0; i < 500; i++) {
      const id = ids[(i * 7919) % ids.length]!;
      const prefix = id.slice(0, 2 + (i % 4));
      samples.push(timeIt(() => store.units.page({ prefix, limit: 100 })).ms);
    }
    store.close();

    const rate = (ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString()} rows/s`;
    report(`store: ${n.toLocaleString()} unit rows in batches of ${batch.toLocaleString()}`, [
      {
        name: 'insert through the store',
        value: `${(storeTime.ms / 1000).toFixed(2)} s (${rate(storeTime.ms)})`,
        baseline: `raw better-sqlite3 ${(rawTime.ms / 1000).toFixed(2)} s (${rate(rawTime.ms)})`,
        ratio: rawTime.ms / storeTime.ms,
      },
      {
        name: 'prefix search, page of 100',
        value: `p50 ${percentile(samples, 50).toFixed(2)} ms, p95 ${percentile(samples, 95).toFixed(2)} ms`,
        goal: 'p95 < 5 ms',
        met: percentile(samples, 95) < 5,
      },
    ]);
  } finally {
    temp.cleanup();
  }
}
