/**
 * Issue 16: a large device database is read with its values' rewriting shared with a helper thread
 * (rewriteHelper.ts, rewriteWorker.ts). Whatever the helper does (helps, is slow to start, goes
 * away, is busy with another file), the items, the journal replay and every error are exactly what
 * one thread gives, and a file read after another never sees the other's bytes. Most tests run in
 * the 'only' mode, where the reading thread leaves every batch to the helper, so they know the
 * helper did the batches they look at (sharedBatches counts them).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFailure } from '../../../electron/core/failure';
import { VALUE_BATCH } from '../../../electron/core/devicedb/format';
import {
  loadDeviceDatabase,
  replayDeviceDatabaseBatches,
  type ReplayInfo,
} from '../../../electron/core/devicedb/replay';
import {
  rewriteBuffersInUse,
  SHARED_MIN_VALUES,
  stopRewriteHelper,
  useRewriteHelper,
} from '../../../electron/core/devicedb/rewriteHelper';
import {
  storeItem,
  writeDeviceDb,
  writeJournal,
  type FixtureItem,
  type FixtureRecord,
} from '../../support/deviceDb';

const at = '2026-11-21T10:00:00.000Z';
const n = SHARED_MIN_VALUES + 6000;

/** Items of every kind of value the agent stores, some needing the rewrite's escapes. */
function items(seed: string): FixtureItem[] {
  return Array.from({ length: n }, (_, i) => {
    const key = `${seed}.${String(i).padStart(6, '0')}`;
    const value =
      i % 7 === 0
        ? `say "hi" it's ${i} \\ ok`
        : i % 7 === 1
          ? { nested: { list: [1, 'two', null, true], deep: { x: -1.5e3 } } }
          : i % 7 === 2
            ? `unicode é ✓ 𝄞 ${i}`
            : i % 7 === 3
              ? [i, `${i}`, false]
              : i;
    return storeItem(key, value, at);
  });
}

function journal(seed: string, length = 2000): FixtureRecord[] {
  const commands = ['create', 'update', 'upsert', 'remove'] as const;
  return Array.from({ length }, (_, i) => {
    const command = commands[i % 4]!;
    const key =
      command === 'create' ? `${seed}.new.${i}` : `${seed}.${String((i * 7919) % n).padStart(6, '0')}`;
    return { command, model: 'Store', value: { sk: `s#${key}`, key, value: i, type: 'number', updated: at } };
  });
}

/** The same read on one thread; the mode goes back to `back` after it. */
function oneThread<T>(read: () => T, back: boolean | 'only' = 'only'): T {
  useRewriteHelper(false);
  try {
    return read();
  } finally {
    useRewriteHelper(back);
  }
}

const batchesOf = (count: number) => Math.ceil(count / VALUE_BATCH);

function failureOf(read: () => unknown): Error & { code: string } {
  try {
    read();
  } catch (error) {
    expect(isFailure(error)).toBe(true);
    return error as Error & { code: string };
  }
  throw new Error('expected a Failure');
}

/** Offset of item k's value in a file written by writeDeviceDb. */
function valueOffset(db: Buffer, k: number): number {
  let o = 2;
  for (let i = 0; i < k; i++) o += 4 + db.readUInt32LE(o) + 4 + db.readUInt32LE(o + 4 + db.readUInt32LE(o));
  return o + 4 + db.readUInt32LE(o) + 4;
}

beforeEach(() => useRewriteHelper('only'));
afterEach(() => useRewriteHelper(true));

describe('reading a large device database with a rewrite helper thread', () => {
  it('gives exactly the items and replay one thread gives, every batch rewritten by the helper', () => {
    const files = { db: writeDeviceDb(items('a')), journal: writeJournal(journal('a')) };
    const shared = loadDeviceDatabase(files);
    const alone = oneThread(() => loadDeviceDatabase(files));
    expect(alone.sharedBatches).toBe(0);
    expect(shared.sharedBatches).toBe(batchesOf(n));
    // A journal large enough is rewritten by the helper too, before the file's values.
    const longJournal = { db: files.db, journal: writeJournal(journal('a', SHARED_MIN_VALUES + 1000)) };
    const both = loadDeviceDatabase(longJournal);
    expect(both.sharedBatches).toBe(batchesOf(n) + batchesOf(SHARED_MIN_VALUES + 1000));
    expect(both.journalRecords).toBe(SHARED_MIN_VALUES + 1000);
    expect(both.items).toEqual(oneThread(() => loadDeviceDatabase(longJournal)).items);
    // A file whose rewritten batches are all ASCII (decoded as such, without validation).
    const asciiItems = items('b').filter((item) => [...JSON.stringify(item)].every((c) => c < '\u0080'));
    const ascii = { db: writeDeviceDb(asciiItems) };
    const plain = loadDeviceDatabase(ascii);
    expect(plain.sharedBatches).toBe(batchesOf(asciiItems.length));
    expect(plain.items).toEqual(oneThread(() => loadDeviceDatabase(ascii)).items);
    expect(shared.items.length).toBe(alone.items.length);
    expect(shared.items).toEqual(alone.items);
    // And what they both give is what was written (the file alone), and the journal's creations.
    const written = items('a');
    expect(loadDeviceDatabase({ db: files.db }).items.map((item) => item.fields)).toEqual(written);
    expect(shared.items.some((item) => item.sk === 's#a.new.0')).toBe(true);
  });

  it('places what the journal creates before, between and after the batches as a plain replay does', () => {
    const list = items('m');
    // Creations before the first item, at every batch boundary, inside batches and after the last;
    // updates, upserts and removes of items in the file and of keys that are not there.
    const records: FixtureRecord[] = [
      { command: 'create', model: 'Store', value: { sk: 's#l.first', key: 'l.first', value: 1 } },
      { command: 'create', model: 'Store', value: { sk: 's#zz.last', key: 'zz.last', value: 2 } },
      { command: 'remove', model: 'Store', value: { sk: 's#m.000000' } },
      { command: 'remove', model: 'Store', value: { sk: 's#m.absent' } },
      { command: 'update', model: 'Store', value: { sk: 's#m.nothere', value: 3 } },
      { command: 'upsert', model: 'Store', value: { sk: 's#m.000005', value: 4 } },
    ];
    for (let b = 1; b * VALUE_BATCH < n; b++) {
      const before = list[b * VALUE_BATCH - 1]!.sk;
      records.push({ command: 'create', model: 'Store', value: { sk: `${before}.x`, key: 'x', value: b } });
      records.push({
        command: 'update',
        model: 'Store',
        value: { sk: list[b * VALUE_BATCH]!.sk, value: -b },
      });
    }
    // The expectation without the reader: a map replayed record by record, then sorted.
    const expected = new Map<string, Record<string, unknown>>(list.map((item) => [item.sk, { ...item }]));
    for (const r of records) {
      const previous = expected.get(r.value.sk);
      if (r.command === 'remove') expected.delete(r.value.sk);
      else {
        const fields: Record<string, unknown> =
          r.command === 'update' || (r.command === 'upsert' && previous)
            ? { ...previous, ...r.value }
            : { ...r.value };
        fields._type ??= r.model;
        expected.set(r.value.sk, fields);
      }
    }
    const want = [...expected.keys()].sort().map((sk) => [sk, expected.get(sk)]);
    const files = { db: writeDeviceDb(list), journal: writeJournal(records) };
    const shared = loadDeviceDatabase(files);
    expect(shared.sharedBatches).toBe(batchesOf(n));
    expect(shared.items.map((item) => [item.sk, item.fields])).toEqual(want);
    expect(oneThread(() => loadDeviceDatabase(files)).items).toEqual(shared.items);
  });

  it('a file read after another, smaller or larger, never sees the other one’s bytes', () => {
    const big = { db: writeDeviceDb(items('big')), journal: null };
    const small = { db: writeDeviceDb(items('s').slice(0, SHARED_MIN_VALUES + 10)), journal: null };
    const other = { db: writeDeviceDb(items('zz')), journal: null };
    for (const [files, count] of [
      [big, n],
      [small, SHARED_MIN_VALUES + 10],
      [other, n],
      [big, n],
    ] as const) {
      const shared = loadDeviceDatabase(files);
      expect(shared.sharedBatches).toBe(batchesOf(count));
      expect(shared.items).toEqual(oneThread(() => loadDeviceDatabase(files)).items);
    }
  });

  it('two files read at the same time, batch by batch in turn, each get their own items', () => {
    const a = { db: writeDeviceDb(items('p')) };
    const b = { db: writeDeviceDb(items('q')) };
    const infoA: Partial<ReplayInfo> = {};
    const infoB: Partial<ReplayInfo> = {};
    const ia = replayDeviceDatabaseBatches(a, infoA);
    const ib = replayDeviceDatabaseBatches(b, infoB);
    const got: { a: unknown[]; b: unknown[] } = { a: [], b: [] };
    for (;;) {
      const na = ia.next();
      const nb = ib.next();
      if (!na.done) got.a.push(...na.value);
      if (!nb.done) got.b.push(...nb.value);
      if (na.done && nb.done) break;
    }
    // The second read's buffers are its own (the kept ones are in use), and the helper did both.
    expect([infoA.sharedBatches, infoB.sharedBatches]).toEqual([batchesOf(n), batchesOf(n)]);
    expect(got.a).toEqual(oneThread(() => loadDeviceDatabase(a)).items);
    expect(got.b).toEqual(oneThread(() => loadDeviceDatabase(b)).items);
  });

  it('a read that stops early, or fails, lets its shared buffers go', () => {
    const files = { db: writeDeviceDb(items('g')), journal: writeJournal(journal('g')) };
    const reading = replayDeviceDatabaseBatches(files);
    expect(reading.next().done).toBe(false);
    expect(rewriteBuffersInUse()).toBe(true);
    reading.return(undefined);
    expect(rewriteBuffersInUse()).toBe(false);
    // A journal that is damaged fails the read before its first batch: the buffers go too.
    const badJournal = Buffer.from(files.journal);
    badJournal.writeUInt32LE(0xffffff, 2);
    expect(() => replayDeviceDatabaseBatches({ db: files.db, journal: badJournal }).next()).toThrow(
      /damaged/,
    );
    expect(rewriteBuffersInUse()).toBe(false);
    // And the next read reuses them with the right items.
    expect(loadDeviceDatabase(files).items).toEqual(oneThread(() => loadDeviceDatabase(files)).items);
    expect(rewriteBuffersInUse()).toBe(false);
  });

  it('a value the rewrite declines (a comment, a hex number) deep in the file is read by the relaxed parser, the same as alone', () => {
    const list = items('c');
    const db = Buffer.from(writeDeviceDb(list));
    // Item 9000's value gets a JSON5 comment and item 9500's a hex number, with the lengths kept.
    const patch = (k: number, text: string) => {
      const o = valueOffset(db, k);
      const length = db.readUInt32LE(o - 4);
      const padded = text.padEnd(length, ' ');
      expect(Buffer.byteLength(padded)).toBe(length);
      db.write(padded, o, 'utf8');
    };
    patch(9000, `{sk:'s#c.009000',_type:'Store',/* a note */value:1}`);
    patch(9500, `{sk:'s#c.009500',_type:'Store',value:0x1F}`);
    const shared = loadDeviceDatabase({ db });
    // The two batches holding them were declined whole and read value by value.
    expect(shared.sharedBatches).toBe(batchesOf(n) - 2);
    expect(shared.items).toEqual(oneThread(() => loadDeviceDatabase({ db })).items);
    expect(shared.items[9000]!.fields.value).toBe(1);
    expect(shared.items[9500]!.fields.value).toBe(31);
  });

  it('a damaged value or a key that is not UTF-8 deep in the file fails at its byte with the items before it, the same as alone', () => {
    const db = Buffer.from(writeDeviceDb(items('d')));
    const broken = Buffer.from(db);
    broken[valueOffset(broken, 8000)] = 0x31; // the value's "{" becomes a digit
    const sharedError = failureOf(() => loadDeviceDatabase({ db: broken }));
    const aloneError = failureOf(() => oneThread(() => loadDeviceDatabase({ db: broken })));
    expect(sharedError.message).toBe(aloneError.message);
    expect(sharedError.message).toContain(`byte ${valueOffset(broken, 8000)}`);
    const before: unknown[] = [];
    expect(() => {
      for (const batch of replayDeviceDatabaseBatches({ db: broken })) before.push(...batch);
    }).toThrow(sharedError.message);
    expect(before).toHaveLength(8000);

    // Item 7000's key: its last byte (just before the value's length) becomes 0xFF, never UTF-8.
    const badKey = Buffer.from(db);
    badKey[valueOffset(badKey, 7000) - 5] = 0xff;
    const keyError = failureOf(() => loadDeviceDatabase({ db: badKey }));
    expect(keyError.message).toBe(
      failureOf(() => oneThread(() => loadDeviceDatabase({ db: badKey }))).message,
    );
    expect(keyError.message).toContain('key is not valid UTF-8');
    const kept: unknown[] = [];
    expect(() => {
      for (const batch of replayDeviceDatabaseBatches({ db: badKey })) kept.push(...batch);
    }).toThrow(keyError.message);
    expect(kept).toHaveLength(7000);
  });

  it("an item whose value's sk differs from its key keeps the file's key, as the agent does", () => {
    const db = Buffer.from(writeDeviceDb(items('e')));
    // The value says one thing, the key another (same length, so the framing stays).
    const o = valueOffset(db, 5000);
    const value = db.toString('utf8', o, o + db.readUInt32LE(o - 4));
    db.write(value.replace("sk:'s#e.005000'", "sk:'s#e.zzzzzz'"), o, 'utf8');
    const shared = loadDeviceDatabase({ db });
    expect(shared.items[5000]!.sk).toBe('s#e.005000');
    expect(shared.items[5000]!.fields.sk).toBe('s#e.zzzzzz');
    expect(shared.sharedBatches).toBe(batchesOf(n));
    expect(shared.items).toEqual(oneThread(() => loadDeviceDatabase({ db })).items);
  });

  it('a helper that shows no progress is left after the stall time, and the file is read whole here', () => {
    const files = { db: writeDeviceDb(items('h')), journal: writeJournal(journal('h')) };
    const expected = oneThread(() => loadDeviceDatabase(files)).items;
    // A helper that is never told about the file (as one that has gone) takes no batch: in 'only'
    // mode the reader waits for one, sees no progress for 200 ms, and reads the whole file itself.
    useRewriteHelper('only', { stallMs: 200, unheard: true });
    const started = performance.now();
    const info: Partial<ReplayInfo> = {};
    const got: unknown[] = [];
    for (const batch of replayDeviceDatabaseBatches(files, info)) got.push(...batch);
    const took = performance.now() - started;
    expect(got).toEqual(expected);
    expect(info.sharedBatches).toBe(0);
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(5000);
  }, 30_000);

  it('a helper thread that goes away in the middle of a file loses nothing and holds nothing up', async () => {
    useRewriteHelper(true);
    // Six times the usual size, so the helper is still at work when it is stopped.
    const many = [0, 1, 2, 3, 4, 5].flatMap((part) => items(`f${part}`));
    const files = { db: writeDeviceDb(many), journal: writeJournal(journal('f0')) };
    const expected = oneThread(() => loadDeviceDatabase(files), true).items;
    loadDeviceDatabase(files); // the helper is running
    const got: unknown[] = [];
    const reading = replayDeviceDatabaseBatches(files);
    got.push(...(reading.next().value ?? []));
    await stopRewriteHelper();
    // A batch the stopped helper held is left once it shows no progress (100 ms), not waited out.
    let slowest = 0;
    for (;;) {
      const started = performance.now();
      const next = reading.next();
      slowest = Math.max(slowest, performance.now() - started);
      if (next.done) break;
      got.push(...next.value);
    }
    expect(got).toEqual(expected);
    expect(slowest).toBeLessThan(2000);
    // And the next file starts a new helper.
    expect(loadDeviceDatabase(files).items).toEqual(expected);
  }, 30_000);
});
