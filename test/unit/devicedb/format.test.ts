import { describe, expect, it } from 'vitest';
import { isFailure } from '../../../electron/core/failure';
import { loadDeviceDatabase, replayDeviceDatabaseBatches } from '../../../electron/core/devicedb/replay';
import { json5Text, storeItem, writeDeviceDb, writeJournal, type Endian } from '../../support/deviceDb';

const T0 = '2026-11-20T08:00:00.000Z';
const T1 = '2026-11-21T09:30:00.000Z';

const baseItems = [
  storeItem('temp.limit', 42, T0),
  storeItem('mode', 'eco', T0),
  storeItem('to.remove', true, T0),
  storeItem('patched', 'old', T0),
  { sk: 'd#M72DANY8BZ', _type: 'Device', id: 'M72DANY8BZ', name: 'Pump 7', model: 'P-100' },
  { sk: 'ss#1', _type: 'SyncState', lastSync: T0 },
];

const journal = [
  {
    command: 'create',
    model: 'Store',
    value: { sk: 's#fresh', key: 'fresh', value: 'new', type: 'string', updated: T1 },
  },
  { command: 'update', model: 'Store', value: { sk: 's#patched', value: 'new', updated: T1 } },
  {
    command: 'upsert',
    model: 'Store',
    value: { sk: 's#mode', key: 'mode', value: 'boost', type: 'string', updated: T1 },
  },
  {
    command: 'upsert',
    model: 'Store',
    value: { sk: 's#aaa', key: 'aaa', value: 1, type: 'number', updated: T1 },
  },
  { command: 'remove', model: 'Store', value: { sk: 's#to.remove' } },
  { command: 'create', model: 'Store', value: { sk: 's#gone', key: 'gone', value: 0, type: 'number' } },
  { command: 'remove', model: 'Store', value: { sk: 's#gone' } },
] as const;

function build(e: Endian) {
  return {
    db: writeDeviceDb(baseItems, e),
    journal: writeJournal(
      journal.map((r) => ({ ...r, value: { ...r.value } })),
      e,
    ),
  };
}

describe('device database parser', () => {
  for (const e of ['le', 'be'] as const) {
    it(`reads ${e === 'le' ? 'little' : 'big'}-endian files with the journal replayed to the exact items`, () => {
      const result = loadDeviceDatabase(build(e));
      expect(result.byteOrder).toBe(e === 'le' ? 'little-endian' : 'big-endian');
      expect(result.journalRecords).toBe(7);
      const store = result.items.filter((i) => i.model === 'Store');
      expect(store.map((i) => i.sk)).toEqual(['s#aaa', 's#fresh', 's#mode', 's#patched', 's#temp.limit']);
      const bySk = Object.fromEntries(result.items.map((i) => [i.sk, i.fields]));
      expect(bySk['s#aaa']).toEqual({
        sk: 's#aaa',
        _type: 'Store',
        key: 'aaa',
        value: 1,
        type: 'number',
        updated: T1,
      });
      expect(bySk['s#patched']).toEqual({ ...storeItem('patched', 'old', T0), value: 'new', updated: T1 });
      expect(bySk['s#mode']).toEqual({ ...storeItem('mode', 'eco', T0), value: 'boost', updated: T1 });
      expect(bySk['s#temp.limit']).toEqual(storeItem('temp.limit', 42, T0));
      expect(bySk['s#fresh']).toMatchObject({ _type: 'Store', value: 'new' });
      expect(bySk['s#to.remove']).toBeUndefined();
      expect(bySk['s#gone']).toBeUndefined();
      expect(result.items.find((i) => i.sk === 'd#M72DANY8BZ')?.model).toBe('Device');
      expect(result.items.find((i) => i.sk === 'ss#1')?.model).toBe('SyncState');
      expect(result.items).toHaveLength(7);
    });
  }

  it('reads a database with no journal', () => {
    const result = loadDeviceDatabase({ db: writeDeviceDb(baseItems, 'be') });
    expect(result.items).toHaveLength(6);
    expect(result.journalRecords).toBe(0);
  });

  function errorOf(fn: () => unknown): string {
    try {
      fn();
    } catch (error) {
      if (isFailure(error) && error.code === 'corrupt-file') return error.message;
      throw error;
    }
    return '';
  }

  it('reads a device.db whose last item is cut short up to that item, and says how much it dropped', () => {
    const db = writeDeviceDb(baseItems, 'le');
    const sorted = [...baseItems].sort((x, y) => (x.sk < y.sk ? -1 : 1));
    // The last item starts where a file of all the others ends.
    const lastAt = writeDeviceDb(sorted.slice(0, -1), 'le').length;
    const cut = db.subarray(0, db.length - 5);
    const result = loadDeviceDatabase({ db: cut });
    expect(result.items.map((i) => i.sk)).toEqual(sorted.slice(0, -1).map((i) => i.sk));
    expect(result.dbTail).toEqual({ offset: lastAt, droppedBytes: cut.length - lastAt });
    // Cut inside the last item's key length field: the same item is dropped.
    const cutEarly = loadDeviceDatabase({ db: db.subarray(0, lastAt + 2) });
    expect(cutEarly.items).toHaveLength(sorted.length - 1);
    expect(cutEarly.dbTail).toEqual({ offset: lastAt, droppedBytes: 2 });
    expect(loadDeviceDatabase({ db }).dbTail).toBeNull();
  });

  it('names the byte offset of a damaged version field and a bad value', () => {
    const { db, journal: jnl } = build('le');
    const badVersion = Buffer.from(db);
    badVersion[0] = 7;
    expect(errorOf(() => loadDeviceDatabase({ db: badVersion }))).toMatch(
      /at byte 0: the version field is 0x0700/,
    );
    const badValue = Buffer.from(db);
    // The first item's value starts after version (2) + key length (4) + key + value length (4).
    const keyLength = badValue.readUInt32LE(2);
    const valueAt = 2 + 4 + keyLength + 4;
    badValue[valueAt] = '#'.charCodeAt(0);
    expect(errorOf(() => loadDeviceDatabase({ db: badValue }))).toContain(`at byte ${valueAt}: the value of`);
    const badJournal = Buffer.from(jnl);
    badJournal.writeUInt32LE(0xffffff, 2);
    expect(errorOf(() => loadDeviceDatabase({ db, journal: badJournal }))).toMatch(
      /^device\.db\.jnl is damaged at byte 2: the record size is 16777215, outside 3\.\.786432 bytes/,
    );
  });

  it('keys: a U+FFFD that is really in a key is kept; a key that is not UTF-8 names its byte offset after the items before it', () => {
    const items = [
      storeItem('a', 1, T0),
      storeItem('b\uFFFDreplacement', 2, T0),
      storeItem('c', 3, T0),
      storeItem('d', 4, T0),
    ];
    const db = writeDeviceDb(items);
    expect(loadDeviceDatabase({ db }).items.map((i) => i.sk)).toEqual([
      's#a',
      's#b\uFFFDreplacement',
      's#c',
      's#d',
    ]);
    // Damage the third key ('s#c'): a lone continuation byte is not UTF-8.
    const bad = Buffer.from(db);
    const at = bad.indexOf(Buffer.from('s#c'));
    bad[at + 2] = 0x80;
    let seen: string[] = [];
    const error = errorOf(() => {
      for (const batch of replayDeviceDatabaseBatches({ db: bad }))
        seen = seen.concat(batch.map((i) => i.sk));
    });
    expect(error).toContain(`device.db is damaged at byte ${at}: the key is not valid UTF-8 text`);
    expect(seen).toEqual(['s#a', 's#b\uFFFDreplacement']);
  });

  it('a last item cut short is a torn tail whatever its key bytes hold (as the agent drops it), the items before it kept', () => {
    const db = writeDeviceDb([storeItem('a', 1, T0), storeItem('b', 2, T0)]);
    const at = db.indexOf(Buffer.from('s#b')) - 4;
    const cut = Buffer.from(db.subarray(0, db.length - 10));
    cut[at + 4 + 2] = 0x80;
    const result = loadDeviceDatabase({ db: cut });
    expect(result.items.map((i) => i.sk)).toEqual(['s#a']);
    expect(result.dbTail).toEqual({ offset: at, droppedBytes: cut.length - at });
  });

  it('replays the journal the same way on a file whose keys are out of order or not ASCII (looked up, not searched)', () => {
    const item = (sk: string, value: number) => ({ sk, _type: 'Store', key: sk.slice(2), value });
    // Out of order: written by hand, since writeDeviceDb sorts.
    const frame = (i: ReturnType<typeof item>) => {
      const key = Buffer.from(i.sk);
      const value = Buffer.from(json5Text(i));
      const len = (n: number) => {
        const b = Buffer.alloc(4);
        b.writeUInt32LE(n);
        return b;
      };
      return Buffer.concat([len(key.length), key, len(value.length), value]);
    };
    const version = Buffer.from([2, 0]);
    const records = writeJournal([
      { command: 'create', model: 'Store', value: { sk: 's#0', key: '0', value: 0 } },
      { command: 'update', model: 'Store', value: { sk: 's#a', value: 10 } },
      { command: 'create', model: 'Store', value: { sk: 's#z', key: 'z', value: 26 } },
      { command: 'remove', model: 'Store', value: { sk: 's#\u00e9' } },
    ]);
    const shuffled = Buffer.concat([version, frame(item('s#b', 2)), frame(item('s#a', 1))]);
    const out = loadDeviceDatabase({ db: shuffled, journal: records }).items;
    expect(out.map((i) => [i.sk, i.fields.value])).toEqual([
      ['s#0', 0],
      ['s#b', 2],
      ['s#a', 10],
      ['s#z', 26],
    ]);
    // In order but not ASCII: the same answers as the searched path gives for ASCII.
    const accented = writeDeviceDb([item('s#a', 1), item('s#\u00e9', 5), item('s#b', 2)]);
    const replayed = loadDeviceDatabase({ db: accented, journal: records }).items;
    expect(replayed.map((i) => [i.sk, i.fields.value])).toEqual([
      ['s#0', 0],
      ['s#a', 10],
      ['s#b', 2],
      ['s#z', 26],
    ]);
  });

  it("places the journal's new items in code-point order (the keys' UTF-8 byte order), whether the file's keys are ordered ASCII or not", () => {
    const item = (sk: string) => ({ sk, _type: 'Store', key: sk.slice(2), value: 1 });
    // U+FF01 sorts before U+1F600 by code point (and UTF-8 bytes), after it by UTF-16 code units.
    const created = ['s#\u{1F600}', 's#\uFF01', 's#aa', 's#0'];
    const records = writeJournal(
      created.map((sk) => ({
        command: 'create' as const,
        model: 'Store',
        value: { sk, key: sk.slice(2), value: 2 },
      })),
    );
    const ordered = loadDeviceDatabase({ db: writeDeviceDb([item('s#a'), item('s#b')]), journal: records });
    expect(ordered.items.map((i) => i.sk)).toEqual(['s#0', 's#a', 's#aa', 's#b', 's#\uFF01', 's#\u{1F600}']);
    // A non-ASCII key in the file sends the replay down the lookup path: the same order.
    const accented = loadDeviceDatabase({
      db: writeDeviceDb([item('s#a'), item('s#b'), item('s#\u00e9')]),
      journal: records,
    });
    expect(accented.items.map((i) => i.sk)).toEqual([
      's#0',
      's#a',
      's#aa',
      's#b',
      's#\u00e9',
      's#\uFF01',
      's#\u{1F600}',
    ]);
  });

  it('ends every random truncation and byte flip in items or a clear error', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const e of ['le', 'be'] as const) {
      const { db, journal: jnl } = build(e);
      for (let i = 0; i < 400; i++) {
        const target = i % 2 === 0 ? 'db' : 'journal';
        const source = target === 'db' ? db : jnl;
        let bytes: Buffer = Buffer.from(source);
        if (i % 4 < 2) bytes = bytes.subarray(0, Math.floor(rand() * source.length));
        else
          for (let f = 0; f < 1 + (i % 3); f++)
            bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
        const files = target === 'db' ? { db: bytes, journal: jnl } : { db, journal: bytes };
        try {
          const result = loadDeviceDatabase(files);
          expect(Array.isArray(result.items)).toBe(true);
        } catch (error) {
          expect(isFailure(error), String(error)).toBe(true);
          expect((error as Error).message).toMatch(/is damaged at byte \d+: /);
        }
      }
    }
  });
});
