/**
 * Line mode on a real PostgreSQL server: one claim-ID space for several stations, orders made once
 * and seen everywhere, leases into each station's SQLite, and a duplicate-free outbox.
 */
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

async function createLineOrder(s: LineStation, orderId: string, quantity: number) {
  const r = await s.services.createOrder({ profile: 'ioto-demo', quantity, orderId });
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
});
