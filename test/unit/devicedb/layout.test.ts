/**
 * Byte-exact fixtures of ioto-contracts.md §6, written here by hand in hex (not by any writer), so
 * the reader and the test writer (test/support/deviceDb.ts) are each checked against the layout
 * itself. The worked example: command `update` (7 bytes with its NUL), model `Store` (6), a value of
 * 105 characters (106): recordSize = 7 + 6 + 106 = 119 (0x77), and the record is 4 + 12 + 119 = 135
 * bytes on disk.
 */
import { describe, expect, it } from 'vitest';
import { loadDeviceDatabase } from '../../../electron/core/devicedb/replay';
import { openFileSource } from '../../../electron/core/devstore/fileSource';
import { journalRecord, writeDeviceDb, writeJournal } from '../../support/deviceDb';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const VALUE =
  "{sk:'s#mode',_type:'Store',key:'mode',value:'max-boost',type:'string',updated:'2026-11-21T09:30:00.000Z'}";

/** device.db.jnl, little-endian: version 2, one `update` record of the worked example. */
const JOURNAL_LE = hex(`
  0200
  77000000
  07000000 75706461746500
  06000000 53746f726500
  6a000000
    7b736b3a2773236d6f6465272c5f747970653a2753746f7265272c6b65793a276d
    6f6465272c76616c75653a276d61782d626f6f7374272c747970653a27737472
    696e67272c757064617465643a27323032362d31312d32315430393a33303a30
    302e3030305a277d
    00
`);

/** device.db, little-endian: version 2, one Store item s#mode = 'eco'. */
const DB_LE = hex(`
  0200
  06000000 73236d6f6465
  40000000
    7b736b3a2773236d6f6465272c5f747970653a2753746f7265272c6b65793a276d
    6f6465272c76616c75653a2765636f272c747970653a27737472696e67277d
`);

/** A second record (`remove`, Store, {sk:'s#mode'}), big-endian, to cut and to check order. */
const REMOVE_BE = hex(`
  0000001b
  00000007 72656d6f766500
  00000006 53746f726500
  0000000e 7b736b3a2773236d6f6465277d00
`);

describe('device database layout (§6), byte for byte', () => {
  it('the worked example: recordSize 119, a 135-byte record', () => {
    expect(JOURNAL_LE.length).toBe(2 + 135);
    expect(JOURNAL_LE.readUInt32LE(2)).toBe(119);
    expect(Buffer.byteLength(VALUE)).toBe(105);
    // The test writer produces exactly these bytes from the same record.
    const record = {
      command: 'update' as const,
      model: 'Store',
      value: {
        sk: 's#mode',
        _type: 'Store',
        key: 'mode',
        value: 'max-boost',
        type: 'string',
        updated: '2026-11-21T09:30:00.000Z',
      },
    };
    expect(writeJournal([record], 'le').equals(JOURNAL_LE)).toBe(true);
    expect(journalRecord(record, 'le')).toHaveLength(135);
    expect(
      writeDeviceDb(
        [{ sk: 's#mode', _type: 'Store', key: 'mode', value: 'eco', type: 'string' }],
        'le',
      ).equals(DB_LE),
    ).toBe(true);
    expect(
      writeJournal([{ command: 'remove', model: 'Store', value: { sk: 's#mode' } }], 'be').equals(
        Buffer.concat([hex('0002'), REMOVE_BE]),
      ),
    ).toBe(true);
  });

  it('replays the worked-example journal on top of the database', () => {
    const result = loadDeviceDatabase({ db: DB_LE, journal: JOURNAL_LE });
    expect(result.journalRecords).toBe(1);
    expect(result.journalTail).toBeNull();
    expect(result.items).toEqual([
      {
        sk: 's#mode',
        model: 'Store',
        fields: {
          sk: 's#mode',
          _type: 'Store',
          key: 'mode',
          value: 'max-boost',
          type: 'string',
          updated: '2026-11-21T09:30:00.000Z',
        },
      },
    ]);
  });

  it('reads a journal-only database (no device.db) as the journal on an empty database', async () => {
    const result = loadDeviceDatabase({ db: null, journal: JOURNAL_LE });
    expect(result.hasDatabase).toBe(false);
    expect(result.items.map((i) => [i.sk, i.fields.value])).toEqual([['s#mode', 'max-boost']]);
    const source = await openFileSource({ db: null, journal: JOURNAL_LE, label: '/copy/db/device.db' });
    expect(source.describe().notices?.[0]).toMatch(/^There is no device\.db yet, only its journal/);
    expect(await source.listItems('Store')).toHaveLength(1);
  });

  it('a torn last record ends the replay quietly, keeping every whole record and counting the dropped bytes', async () => {
    const be = Buffer.concat([hex('0002'), REMOVE_BE]);
    for (const cutAt of [1, 4, 10, 16, REMOVE_BE.length - 1]) {
      // A whole update, then a remove cut short: the update counts, the remove is dropped.
      const journal = Buffer.concat([JOURNAL_LE, swapRemoveToLe().subarray(0, cutAt)]);
      const result = loadDeviceDatabase({ db: DB_LE, journal });
      expect(result.journalRecords, `cut at ${cutAt}`).toBe(1);
      expect(result.items.map((i) => i.fields.value)).toEqual(['max-boost']);
      expect(result.journalTail).toEqual({ offset: 137, droppedBytes: cutAt });
    }
    // The whole remove record, big-endian on its own, removes the item.
    expect(loadDeviceDatabase({ db: null, journal: be }).items).toEqual([]);
    const source = await openFileSource({
      db: DB_LE,
      journal: Buffer.concat([JOURNAL_LE, hex('1b000000 0700')]),
      label: 'device.db',
    });
    expect(source.describe().torn).toEqual([{ file: 'device.db.jnl', offset: 137, droppedBytes: 6 }]);
    expect(source.describe().notices).toEqual([
      'device.db.jnl ends in a record cut short at byte 137 (6 bytes dropped, a torn write after a power cut): every whole record before it was replayed, as the agent does.',
    ]);
  });

  it('a device.db cut inside its last item keeps the items before it', () => {
    const two = Buffer.concat([
      DB_LE,
      hex('06000000 73237a7a7a7a 20000000 7b736b3a2773237a7a7a7a27'), // s#zzzz, value cut short
    ]);
    const result = loadDeviceDatabase({ db: two });
    expect(result.items.map((i) => i.sk)).toEqual(['s#mode']);
    expect(result.dbTail).toEqual({ offset: DB_LE.length, droppedBytes: 4 + 6 + 4 + 12 });
  });

  it('refuses a record whose size counts its length fields (the old misreading) as damage, not data', () => {
    // recordSize 131 = 119 + 12: the strings then hold 12 bytes fewer than the size says.
    const wrong = Buffer.concat([hex('0200 83000000'), JOURNAL_LE.subarray(6), Buffer.alloc(12)]);
    expect(() => loadDeviceDatabase({ db: DB_LE, journal: wrong })).toThrow(
      /device\.db\.jnl is damaged at byte 2: the record size says 131 bytes but its strings hold 119/,
    );
  });
});

/** REMOVE_BE with its four length fields in little-endian order. */
function swapRemoveToLe(): Buffer {
  const le = Buffer.from(REMOVE_BE);
  for (const at of [0, 4, 15, 25]) le.writeUInt32LE(REMOVE_BE.readUInt32BE(at), at);
  return le;
}
