/**
 * Claim IDs: reserve 1,000,000 IDs into the station store as one work order (drawn from the CSPRNG
 * with rejection sampling, inserted in batched transactions with collision checks and maintained
 * counts). Baseline in the same run, a fair raw insert: the same number of rows into a store with
 * the same schema, indexes and pragmas (a fresh createStore: every migration applied), in the same
 * batches and the same ascending order, rows as wide (order ID, profile hash), IDs drawn and sorted
 * beforehand (not timed). Median and spread of >= 5 runs.
 * Goals (issue 16): under 3 s, and at least 0.8x the raw rate.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { systemClock } from '../electron/core/clock';
import { CROCKFORD, createIdGenerator } from '../electron/core/ids';
import { DEFAULT_BATCH, createOrderBook } from '../electron/core/orders';
import { createProfileLibrary } from '../electron/core/profiles';
import { createKeyFileProtector, createSecrets } from '../electron/core/secrets';
import { createTextSealer } from '../electron/core/secrets/sealedText';
import { createStore } from '../electron/core/store';
import { factoryProfilesDir } from '../test/support/station';
import { makeTempDir } from '../test/support/tempDir';
import { figure, runs, sample, scale, section, timeAsync, timeIt } from './harness';

const CACHE = -131_072; // what reserveRemaining lends SQLite while reserving

function openStore(dir: string, name: string) {
  return createStore({
    file: path.join(dir, name),
    clock: systemClock,
    actor: () => ({ station: 'bench', operator: 'bench' }),
  });
}

export async function run(): Promise<void> {
  const n = Math.round(1_000_000 * scale());
  const count = runs();
  const gen = createIdGenerator({ alphabet: CROCKFORD, length: 10, checkSymbol: false }, randomBytes);
  section(`ids: reserve ${n.toLocaleString('en')} claim IDs as one work order (${count} runs)`);

  const raw = await sample(count, (i) => {
    const temp = makeTempDir('lineside-bench-');
    try {
      const store = openStore(temp.dir, `raw-${i}.db`);
      const ids = gen.many(n);
      const at = new Date().toISOString();
      // As wide as the profile hash every reserved row carries (SHA-256 hex).
      const profileHash = 'f'.repeat(64);
      store.db.pragma(`cache_size = ${CACHE}`);
      const ins = store.db.prepare(
        `INSERT OR IGNORE INTO units (claim_id, serial, order_id, state, profile_hash, created_at, updated_at)
         VALUES (?, NULL, 'WO-BENCH', 'reserved', ?, ?, ?)`,
      );
      // The order the order book inserts them in: ascending across the whole order (reserve.ts's
      // sorted pool), sorted here before the clock starts.
      ids.sort();
      const ms = timeIt(() => {
        for (let b = 0; b < n; b += DEFAULT_BATCH)
          store.transaction(() => {
            for (let c = b; c < Math.min(n, b + DEFAULT_BATCH); c++) ins.run(ids[c], profileHash, at, at);
          });
      }).ms;
      store.close();
      return ms;
    } finally {
      temp.cleanup();
    }
  });

  const reserve = await sample(count, async (i) => {
    const temp = makeTempDir('lineside-bench-');
    try {
      const store = openStore(temp.dir, `lineside-${i}.db`);
      const secrets = createSecrets({
        db: store.db,
        clock: systemClock,
        randomBytes,
        protector: createKeyFileProtector({ keyFile: path.join(temp.dir, 'secrets.key'), randomBytes }),
      });
      const book = createOrderBook({
        store,
        clock: systemClock,
        randomBytes,
        secrets,
        sealer: createTextSealer(store.db, secrets),
        profiles: createProfileLibrary({
          factoryDir: factoryProfilesDir,
          stationDir: path.join(temp.dir, 'profiles'),
          entropyFloor: () => 50,
        }),
      });
      const { ms } = await timeAsync(async () => {
        book.createOrder({ profile: 'ioto-demo', quantity: n, orderId: 'WO-BENCH' });
        return book.reserveRemaining('WO-BENCH');
      });
      const distinct = store.db
        .prepare("SELECT count(DISTINCT claim_id) FROM units WHERE order_id = 'WO-BENCH'")
        .pluck()
        .get() as number;
      store.close();
      if (distinct !== n) throw new Error(`reserved ${distinct} distinct IDs, wanted ${n}`);
      return ms;
    } finally {
      temp.cleanup();
    }
  });

  figure({
    name: 'ids.reserve-1m',
    title: `reserve ${n.toLocaleString('en')} IDs through the order book (draw + insert + counts + event), seconds`,
    samples: reserve.map((ms) => ms / 1000),
    unit: 's',
    baseline: {
      samples: raw.map((ms) => ms / 1000),
      what: 'raw insert of as many pre-drawn IDs, same schema/indexes/pragmas/batches/ascending order',
    },
    higherIsBetter: false,
    goal: [
      { on: 'value', op: '<', target: 3 * scale() },
      { on: 'ratio', op: '>=', target: 0.8 },
    ],
  });
}
