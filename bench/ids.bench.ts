/**
 * Claim IDs: reserve 1,000,000 IDs into the station store as one work order (drawn from the CSPRNG
 * with rejection sampling, inserted in batched transactions with collision checks), against a raw
 * better-sqlite3 insert of 1,000,000 random strings in one transaction in the same run.
 * Goal: under 3 s, and at least half the raw rate.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../electron/core/clock';
import { CROCKFORD, createIdGenerator } from '../electron/core/ids';
import { createOrderBook } from '../electron/core/orders';
import { createProfileLibrary } from '../electron/core/profiles';
import { createStore } from '../electron/core/store';
import { factoryProfilesDir } from '../test/support/station';
import { makeTempDir } from '../test/support/tempDir';
import { report, scale, timeAsync, timeIt } from './harness';

export async function run(): Promise<void> {
  const n = Math.round(1_000_000 * scale());
  const temp = makeTempDir('lineside-bench-');
  try {
    // Baseline: n random strings (drawn beforehand, not timed) in one transaction, raw better-sqlite3.
    const strings = Array.from({ length: n }, () => randomBytes(8).toString('hex'));
    const raw = new Database(path.join(temp.dir, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec('CREATE TABLE ids (id TEXT PRIMARY KEY)');
    const ins = raw.prepare('INSERT INTO ids VALUES (?)');
    const rawTime = timeIt(() =>
      raw.transaction(() => {
        for (const s of strings) ins.run(s);
      })(),
    );
    raw.close();

    const gen = createIdGenerator({ alphabet: CROCKFORD, length: 10, checkSymbol: false }, randomBytes);
    const genTime = timeIt(() => gen.many(n));

    const store = createStore({
      file: path.join(temp.dir, 'lineside.db'),
      clock: systemClock,
      actor: () => ({ station: 'bench', operator: 'bench' }),
    });
    const book = createOrderBook({
      store,
      clock: systemClock,
      randomBytes,
      profiles: createProfileLibrary({
        factoryDir: factoryProfilesDir,
        stationDir: path.join(temp.dir, 'profiles'),
        entropyFloor: () => 50,
      }),
    });
    const reserve = await timeAsync(async () => {
      book.createOrder({ profile: 'ioto-demo', quantity: n, orderId: 'WO-BENCH' });
      return book.reserveRemaining('WO-BENCH');
    });
    const distinct = store.db
      .prepare("SELECT count(DISTINCT claim_id) FROM units WHERE order_id = 'WO-BENCH'")
      .pluck()
      .get() as number;
    store.close();

    const rate = (ms: number) => n / (ms / 1000);
    const fmt = (ms: number) =>
      `${(ms / 1000).toFixed(2)} s (${Math.round(rate(ms)).toLocaleString('en')}/s)`;
    const ratio = rate(reserve.ms) / rate(rawTime.ms);
    const goalSeconds = 3 * scale();
    report(`ids: reserve ${n.toLocaleString('en')} claim IDs as one work order`, [
      {
        name: 'reserve through the order book',
        value: `${fmt(reserve.ms)}, ${distinct.toLocaleString('en')} distinct, ${reserve.value.collisions} collisions redrawn`,
        baseline: `raw better-sqlite3, one transaction ${fmt(rawTime.ms)}`,
        ratio,
        goal: `< ${goalSeconds.toFixed(1)} s and ratio >= 0.5`,
        met: reserve.ms < goalSeconds * 1000 && ratio >= 0.5 && distinct === n,
      },
      { name: 'draw IDs only (CSPRNG, rejection sampling)', value: fmt(genTime.ms) },
    ]);
  } finally {
    temp.cleanup();
  }
}
