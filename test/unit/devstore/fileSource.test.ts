import { describe, expect, it } from 'vitest';
import { openFileSource } from '../../../electron/core/devstore/fileSource';
import { isFailure } from '../../../electron/core/failure';
import { storeItem, writeDeviceDb } from '../../support/deviceDb';

const T0 = '2026-11-20T08:00:00.000Z';
const items = Array.from({ length: 12_000 }, (_, i) => storeItem(`k${String(i).padStart(6, '0')}`, i, T0));

function changes(source: Awaited<ReturnType<typeof openFileSource>>): Promise<void> {
  return new Promise((resolve) => {
    const off = source.onChange!(() => {
      if (source.describe().complete) {
        off();
        resolve();
      }
    });
  });
}

describe('file source', () => {
  it('streams: first rows at once, the rest as it reads, then complete', async () => {
    const source = await openFileSource(
      { db: writeDeviceDb(items), journal: null, label: 'device.db' },
      { stream: true },
    );
    expect(source.describe().complete).toBe(false);
    const first = await source.listItems('Store');
    expect(first.length).toBeGreaterThanOrEqual(200);
    expect(first.length).toBeLessThan(12_000);
    expect(first[0]!.fields).toEqual(items[0]);
    await changes(source);
    expect(source.describe()).toMatchObject({ complete: true, error: null });
    expect((await source.listItems('Store')).map((i) => i.fields)).toEqual(items);
  });

  it('reports a damage found after the first rows, with its offset', async () => {
    const db = Buffer.from(writeDeviceDb(items));
    // The last item's value text starts 1 + its length before the end; make its "{" a "#".
    const lastValueLength = Buffer.byteLength(writeDeviceDb(items.slice(-1))) - 2 - 8 - 'k011999'.length - 2;
    const at = db.length - lastValueLength;
    db[at] = '#'.charCodeAt(0);
    const source = await openFileSource({ db, journal: null, label: 'device.db' }, { stream: true });
    await changes(source);
    expect(source.describe().error?.code).toBe('corrupt-file');
    expect(source.describe().error?.message).toMatch(
      new RegExp(`^device\\.db is damaged at byte ${at}: the value of s#k011999 is not a JSON5 object`),
    );
  });

  it('without streaming, fails at open with the offset', async () => {
    const db = writeDeviceDb(items.slice(0, 3));
    await expect(
      openFileSource({
        db: Buffer.concat([Buffer.from([9, 0]), db.subarray(2)]),
        journal: null,
        label: 'x/device.db',
      }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        isFailure(e) && /^device\.db is damaged at byte 0: the version field is 0x0900/.test(e.message),
    );
  });

  it('a database cut short reads up to the cut and says so, not an error', async () => {
    const db = writeDeviceDb(items.slice(0, 3));
    const source = await openFileSource({
      db: db.subarray(0, db.length - 3),
      journal: null,
      label: 'device.db',
    });
    expect(source.describe().error).toBeNull();
    expect(await source.listItems('Store')).toHaveLength(2);
    expect(source.describe().notices?.[0]).toMatch(
      /^device\.db ends in an item cut short at byte \d+ \(\d+ bytes dropped\), as the agent reads it/,
    );
  });
});
