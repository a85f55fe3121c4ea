import { afterEach, describe, expect, it } from 'vitest';
import type { Page, UnitSummary } from '../../../electron/shared/contract';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';

let station: TestStation;
afterEach(() => station?.cleanup());

async function search(arg: Record<string, unknown>): Promise<string[]> {
  const r = await station.dispatch('listUnits', arg);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as Page<UnitSummary>).items.map((u) => u.claimId);
}

describe('Devices search', () => {
  it('finds units by claim-ID prefix, serial, order or state, and hides merely reserved ones', async () => {
    station = createTestStation();
    seedUnits(station, ['A000000001', 'A000000002'], 'verified', 'WO-ALPHA'); // serials SN000000, SN000001
    seedUnits(station, ['B000000001'], 'failed', 'WO-BETA');
    seedUnits(station, ['C000000001', 'C000000002', 'C000000003'], 'reserved', 'WO-BETA');
    station.store.db.prepare("UPDATE units SET serial = 'ACME-77-x_1' WHERE claim_id = 'B000000001'").run();

    expect(await search({ query: 'a0000' })).toEqual(['A000000001', 'A000000002']);
    expect(await search({ query: 'acme-77' })).toEqual(['B000000001']);
    // LIKE wildcards typed by a person are literal.
    expect(await search({ query: 'x_1' })).toEqual(['B000000001']);
    expect(await search({ query: '%' })).toEqual([]);
    expect(await search({ query: 'wo-beta' })).toEqual([
      'B000000001',
      'C000000001',
      'C000000002',
      'C000000003',
    ]);
    expect(await search({ query: 'wo-beta', hideReserved: true })).toEqual(['B000000001']);
    expect(await search({ query: 'Failed' })).toEqual(['B000000001']);
    expect(await search({ query: 'c000000002', hideReserved: true })).toEqual(['C000000002']);
    expect(await search({ query: '', hideReserved: true })).toEqual([
      'A000000001',
      'A000000002',
      'B000000001',
    ]);
    expect(await search({ state: 'reserved' })).toEqual(['C000000001', 'C000000002', 'C000000003']);
    // Paging through a search keeps the filter.
    const first = await station.dispatch('listUnits', { query: 'wo-beta', limit: 2 });
    expect(first).toMatchObject({ ok: true, value: { total: 4, nextCursor: 'C000000001' } });
    expect(await search({ query: 'wo-beta', limit: 2, cursor: 'C000000001' })).toEqual([
      'C000000002',
      'C000000003',
    ]);
    // The old prefix search is unchanged.
    expect(await search({ prefix: 'c0' })).toEqual(['C000000001', 'C000000002', 'C000000003']);
  });
});
