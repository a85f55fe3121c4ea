/**
 * Issue 16: the per-unit order queries do not grow with the order. The next reserved claim ID comes
 * from an index range (no sort of every match), and order summaries read counts that are kept
 * current by every path that changes a unit, never recounted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UnitState } from '../../../electron/shared/contract';
import { createTestStation, type TestStation } from '../../support/station';

let station: TestStation;
beforeEach(() => {
  station = createTestStation();
});
afterEach(() => station.cleanup());

function recounted(orderId: string): Partial<Record<UnitState, number>> {
  const rows = station.store.db
    .prepare('SELECT state, count(*) AS n FROM units WHERE order_id = ? GROUP BY state')
    .all(orderId) as { state: UnitState; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

describe('orders at scale', () => {
  it('the claim-next query walks an index to the lowest reserved ID without sorting', () => {
    const plan = station.store.db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT * FROM units WHERE order_id = ? AND state = 'reserved' ORDER BY claim_id LIMIT 1",
      )
      .all('WO-1') as { detail: string }[];
    const text = plan.map((p) => p.detail).join('\n');
    expect(text).toMatch(/USING INDEX units_order_state/);
    expect(text).not.toMatch(/TEMP B-TREE/);
  });

  it('reserving in batches inserts the whole order in one ascending run of claim IDs (an index appended to, not rewritten per batch)', async () => {
    const book = station.orders;
    book.createOrder({ profile: 'ioto-demo', quantity: 3000, orderId: 'WO-1' });
    await book.reserveRemaining('WO-1', { batchSize: 400, inThread: true });
    const inserted = station.store.db
      .prepare("SELECT claim_id FROM units WHERE order_id = 'WO-1' ORDER BY rowid")
      .pluck()
      .all() as string[];
    expect(inserted).toHaveLength(3000);
    expect(new Set(inserted).size).toBe(3000);
    // Batch after batch continues where the one before ended: eight transactions, one sorted run.
    expect(inserted).toEqual([...inserted].sort());
    // Still spread over the whole ID space, not drawn from one end of it.
    expect(inserted[0]! < '8').toBe(true);
    expect(inserted.at(-1)! > 'Q').toBe(true);
  });

  it('order summaries stay equal to a full recount through reserve, assign, station states and void', async () => {
    const book = station.orders;
    book.createOrder({ profile: 'ioto-demo', quantity: 300, orderId: 'WO-1' });
    await book.reserveRemaining('WO-1', { batchSize: 64 });
    expect(book.getOrder('WO-1').counts).toEqual({ reserved: 300 });

    const assigned = Array.from({ length: 20 }, () => book.assignNextReserved('WO-1'));
    // Lowest first, every time.
    const ids = assigned.map((u) => u.claimId);
    expect(ids).toEqual([...ids].sort());
    const db = station.store.db;
    const set = db.prepare('UPDATE units SET state = ?, updated_at = ? WHERE claim_id = ?');
    for (const [i, id] of ids.entries())
      set.run(i % 3 === 0 ? 'written' : i % 3 === 1 ? 'verified' : 'failed', 'now', id);
    book.voidUnit(ids[1]!, { reason: 'scrap' });
    book.voidUnit(book.assignNextReserved('WO-1').claimId, { reason: 'test' });

    const summary = book.getOrder('WO-1');
    expect(summary.counts).toEqual(recounted('WO-1'));
    expect(Object.values(summary.counts).reduce((a, b) => a + (b ?? 0), 0)).toBe(300);
    // Seeded units (units.insertMany) are counted as well.
    station.store.units.insertMany([
      { claimId: 'SEEDED0001', state: 'verified', orderId: 'WO-1', at: 'now' },
      { claimId: 'SEEDED0002', state: 'reserved', orderId: 'WO-1', at: 'now' },
    ]);
    expect(book.getOrder('WO-1').counts).toEqual(recounted('WO-1'));
  });

  it('an order page is bounded, and its total comes from the maintained counts', async () => {
    const book = station.orders;
    book.createOrder({ profile: 'ioto-demo', quantity: 700, orderId: 'WO-2' });
    await book.reserveRemaining('WO-2');
    const page = book.pageUnits({ orderId: 'WO-2', limit: 100_000 });
    expect(page.items).toHaveLength(500);
    expect(page.total).toBe(700);
    expect(page.nextCursor).toBe(page.items.at(-1)!.claimId);
    expect(book.pageUnits({ orderId: 'WO-2', state: 'assigned' }).total).toBe(0);
  });
});
