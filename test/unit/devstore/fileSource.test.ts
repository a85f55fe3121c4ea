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
    const db = writeDeviceDb(items);
    const source = await openFileSource(
      { db: db.subarray(0, db.length - 10), journal: null, label: 'device.db' },
      { stream: true },
    );
    await changes(source);
    expect(source.describe().error?.code).toBe('corrupt-file');
    expect(source.describe().error?.message).toMatch(/^device\.db is damaged at byte \d+: the value claims/);
  });

  it('without streaming, fails at open with the offset', async () => {
    const db = writeDeviceDb(items.slice(0, 3));
    await expect(
      openFileSource({ db: db.subarray(0, 5), journal: null, label: 'x/device.db' }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        isFailure(e) && /^device\.db is damaged at byte 2: the key length is cut short/.test(e.message),
    );
  });
});
