/**
 * Line mode on a real PostgreSQL server: one claim-ID space for several stations, orders made once
 * and seen everywhere, leases into each station's SQLite, and a duplicate-free outbox.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { LineStatusReport } from '../../../electron/shared/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineStation, type LineStation } from '../../support/lineStation';
import { startPostgres, type PgServer } from '../../support/postgres';

let server: PgServer;
let n = 0;
const stations: LineStation[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  for (const s of stations.splice(0)) {
    await s.line.close();
    s.cleanup();
  }
  await server?.destroy();
});

function freshLine(): string {
  const db = `line_${++n}`;
  server.createDatabase(db);
  return server.url(db);
}

function station(name: string, options: Parameters<typeof createLineStation>[1] = {}): LineStation {
  const s = createLineStation(name, options);
  stations.push(s);
  return s;
}

async function q<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function createLineOrder(s: LineStation, orderId: string, quantity: number, profile = 'ioto-demo') {
  const r = await s.services.createOrder({ profile, quantity, orderId });
  const job = await s.jobs.wait(r.job.jobId);
  expect(job.state, job.error?.message).toBe('done');
}

describe('line mode', () => {
  it('two stations share one order and one claim-ID space: distinct IDs, every event on the line once', async () => {
    const url = freshLine();
    const a = station('station-a');
    const b = station('station-b');
    for (const s of [a, b]) {
      const r = await s.dispatch('connectLine', { url });
      expect(r.ok && (r.value as LineStatusReport).state, JSON.stringify(r)).toBe('connected');
    }
    await a.dispatch('setLineSettings', { blockSize: 10, lowWater: 3 });
    await b.dispatch('setLineSettings', { blockSize: 10, lowWater: 3 });
    await createLineOrder(a, 'WO-LINE', 60);
    const onLine = await q<{ n: string }>(
      url,
      "SELECT count(*) AS n FROM lineside.claim_ids WHERE order_id = 'WO-LINE'",
    );
    expect(Number(onLine[0]!.n)).toBe(60);

    // B never created the order: it sees it on the line, profile version and all.
    await b.line.cycle();
    expect(b.orders.getOrder('WO-LINE')).toMatchObject({
      quantity: 60,
      reserved: 60,
      profileHash: a.orders.getOrder('WO-LINE').profileHash,
    });
    for (const s of [a, b]) {
      s.orders.setActiveOrder('WO-LINE');
      await s.line.cycle();
      expect(s.line.status().activeOrder).toMatchObject({ orderId: 'WO-LINE', left: 10, leased: 10 });
    }

    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      for (const [s, tag] of [
        [a, 'A'],
        [b, 'B'],
      ] as const) {
        const r = await s.provision((i % 4) + 1, `SN-${tag}-${i}`, 'WO-LINE');
        expect(r.status).toBe('pass');
        ids.push(r.claimId!);
      }
      // The refill happens in the background when a station falls under its low-water mark.
      await Promise.all([a.line.cycle(), b.line.cycle()]);
    }
    expect(new Set(ids).size).toBe(24);
    await Promise.all([a.line.cycle(), b.line.cycle()]);
    expect(a.line.status().pending).toBe(0);
    expect(b.line.status().pending).toBe(0);

    // Every event of both stations is on the line exactly once, in each station's order.
    for (const s of [a, b]) {
      const local = s.store.db.prepare('SELECT id, kind FROM events ORDER BY id').all() as {
        id: number;
        kind: string;
      }[];
      const line = await q<{ event_id: string; kind: string }>(
        url,
        'SELECT event_id, kind FROM lineside.events WHERE station_id = $1 ORDER BY seq',
        [s.line.stationId],
      );
      const pushed = local.filter((e) => e.id >= Number(line[0]!.event_id));
      expect(line.map((e) => [Number(e.event_id), e.kind])).toEqual(pushed.map((e) => [e.id, e.kind]));
    }
    const units = await q<{ claim_id: string; state: string }>(
      url,
      "SELECT claim_id, state FROM lineside.units WHERE order_id = 'WO-LINE' ORDER BY claim_id",
    );
    expect(units.map((u) => u.claim_id)).toEqual([...ids].sort());
    expect(new Set(units.map((u) => u.state))).toEqual(new Set(['verified']));
    const used = await q<{ n: string }>(
      url,
      "SELECT count(*) AS n FROM lineside.claim_ids WHERE state = 'used'",
    );
    expect(Number(used[0]!.n)).toBe(24);
  });

  it('orders of two stations draw from one claim-ID space: collisions are drawn again and counted, never shared', async () => {
    const url = freshLine();
    const tiny = `{ product: '01H4R15D3478JD26YDYK408XE6', name: 'Tiny', model: 'T', ids: { alphabet: 'ABCD', length: 3 } }`;
    const a = station('tiny-a');
    const b = station('tiny-b');
    for (const s of [a, b]) {
      await s.services.setEntropyFloor({ bits: 0 });
      fs.mkdirSync(path.join(s.dataDir, 'profiles'), { recursive: true });
      fs.writeFileSync(path.join(s.dataDir, 'profiles', 'tiny.json5'), tiny);
      await s.services.connectLine({ url });
    }
    // 64 possible IDs: two orders of 30 on two stations must collide, and must never share one.
    await createLineOrder(a, 'WO-T1', 30, 'tiny');
    await createLineOrder(b, 'WO-T2', 30, 'tiny');
    const rows = await q<{ claim_id: string; order_id: string }>(
      url,
      'SELECT claim_id, order_id FROM lineside.claim_ids',
    );
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.claim_id)).size).toBe(60);
    const orders = await q<{ id: string; reserved: number; collisions: string }>(
      url,
      'SELECT id, reserved, collisions FROM lineside.orders ORDER BY id',
    );
    expect(orders.map((o) => o.reserved)).toEqual([30, 30]);
    expect(Number(orders[1]!.collisions)).toBeGreaterThan(0);
    expect(b.orders.getOrder('WO-T2').collisions).toBe(Number(orders[1]!.collisions));

    // Four IDs are left in the whole space: a third order gets them, then a clear ids-exhausted.
    const r = await a.services.createOrder({ profile: 'tiny', quantity: 10, orderId: 'WO-T3' });
    const job = await a.jobs.wait(r.job.jobId);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({
      code: 'ids-exhausted',
      message: expect.stringMatching(/longer ID length/),
    });
    expect(
      Number(
        (
          await q<{ n: string }>(url, "SELECT count(*) AS n FROM lineside.claim_ids WHERE order_id = 'WO-T3'")
        )[0]!.n,
      ),
    ).toBe(0);
  });
});
