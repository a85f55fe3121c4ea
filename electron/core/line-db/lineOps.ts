/**
 * What a station asks of the line database, one transaction each. Every write takes a value from
 * the line's high-water sequence and returns it, so the station can tell a line restored from an
 * older backup. Claim IDs live in one table with a primary key: a drawn ID that any station already
 * holds is simply not inserted (ON CONFLICT DO NOTHING), drawn again and counted as a collision.
 */
import type pg from 'pg';
import { Failure } from '../failure';
import { inTransaction } from './connection';

export interface LineOrderRecord {
  id: string;
  profileName: string;
  profileHash: string;
  profileText: string;
  quantity: number;
  idPolicy: unknown;
  serials: unknown;
  note: string;
  reserved: number;
  collisions: number;
  state: 'reserving' | 'ready' | 'closed';
  createdAt: string;
}

export interface LineHead {
  lineId: string;
  hwm: number;
  ackedSeq: number | null;
}

async function nextHwm(c: pg.PoolClient): Promise<number> {
  const r = await c.query<{ v: string }>("SELECT nextval('lineside.hwm') AS v");
  return Number(r.rows[0]!.v);
}

/** The line's identity, its high-water mark and what it has of this station's outbox. */
export async function readHead(pool: pg.Pool, stationId: string): Promise<LineHead> {
  const r = await pool.query<{ line_id: string; hwm: string; acked: string | null }>(
    `SELECT m.line_id, (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM lineside.hwm) AS hwm,
            (SELECT acked_seq FROM lineside.stations WHERE id = $1) AS acked
     FROM lineside.meta m`,
    [stationId],
  );
  const row = r.rows[0]!;
  return {
    lineId: row.line_id,
    hwm: Number(row.hwm),
    ackedSeq: row.acked === null ? null : Number(row.acked),
  };
}

/** Registers (or refreshes) the station and measures its clock against the line's. */
export async function registerStation(
  pool: pg.Pool,
  station: { id: string; name: string; now: string },
): Promise<{ clockSkewMs: number; hwm: number }> {
  return inTransaction(pool, async (c) => {
    const r = await c.query<{ skew: string }>(
      `INSERT INTO lineside.stations (id, name, clock_skew_ms)
       VALUES ($1, $2, (extract(epoch FROM now() - $3::timestamptz) * 1000)::bigint)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, clock_skew_ms = EXCLUDED.clock_skew_ms, last_seen = now()
       RETURNING clock_skew_ms AS skew`,
      [station.id, station.name, station.now],
    );
    return { clockSkewMs: Number(r.rows[0]!.skew), hwm: await nextHwm(c) };
  });
}

/** Creates the order and its profile version on the line once; the same order again is a no-op. */
export async function publishOrder(
  pool: pg.Pool,
  order: LineOrderRecord,
  stationId: string,
): Promise<number> {
  return inTransaction(pool, async (c) => {
    await c.query(
      'INSERT INTO lineside.profile_versions (hash, name, text) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING',
      [order.profileHash, order.profileName, order.profileText],
    );
    await c.query(
      `INSERT INTO lineside.orders (id, profile_name, profile_hash, quantity, id_policy, serials, note, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [
        order.id,
        order.profileName,
        order.profileHash,
        order.quantity,
        JSON.stringify(order.idPolicy),
        order.serials === null ? null : JSON.stringify(order.serials),
        order.note,
        stationId,
      ],
    );
    const r = await c.query<{ profile_hash: string; quantity: number }>(
      'SELECT profile_hash, quantity FROM lineside.orders WHERE id = $1',
      [order.id],
    );
    const line = r.rows[0]!;
    if (line.profile_hash !== order.profileHash || line.quantity !== order.quantity)
      throw new Failure(
        'conflict',
        `Work order ${order.id} already exists on the line with another profile or quantity: choose another order ID.`,
      );
    return nextHwm(c);
  });
}

/**
 * The line's orders; the profile text (the large part) only for orders `known` does not hold yet,
 * so a station polling every few seconds reads a few small rows, not every profile again.
 */
export async function listLineOrders(
  pool: pg.Pool,
  known: (orderId: string) => boolean,
): Promise<LineOrderRecord[]> {
  const r = await pool.query<{
    id: string;
    profile_name: string;
    profile_hash: string;
    quantity: number;
    id_policy: unknown;
    serials: unknown;
    note: string;
    reserved: number;
    collisions: string;
    state: LineOrderRecord['state'];
    created_at: Date;
  }>('SELECT * FROM lineside.orders ORDER BY created_at, id');
  const missing = [...new Set(r.rows.filter((o) => !known(o.id)).map((o) => o.profile_hash))];
  const texts = new Map<string, string>();
  if (missing.length > 0) {
    const t = await pool.query<{ hash: string; text: string }>(
      'SELECT hash, text FROM lineside.profile_versions WHERE hash = ANY($1)',
      [missing],
    );
    for (const row of t.rows) texts.set(row.hash, row.text);
  }
  return r.rows.map((o) => ({
    id: o.id,
    profileName: o.profile_name,
    profileHash: o.profile_hash,
    profileText: texts.get(o.profile_hash) ?? '',
    quantity: o.quantity,
    idPolicy: o.id_policy,
    serials: o.serials,
    note: o.note,
    reserved: o.reserved,
    collisions: Number(o.collisions),
    state: o.state,
    createdAt: o.created_at.toISOString(),
  }));
}

export interface ReserveBatch {
  inserted: number;
  collisions: number;
  reserved: number;
  quantity: number;
  hwm: number;
}

/**
 * Reserves up to `count` more of the order's IDs in the line's claim-ID space, in one transaction.
 * `draw(n)` makes n random IDs; IDs any station already holds are drawn again and counted.
 */
export async function reserveOnLine(
  pool: pg.Pool,
  orderId: string,
  count: number,
  draw: (n: number) => string[],
): Promise<ReserveBatch> {
  return inTransaction(pool, async (c) => {
    const o = await c.query<{ quantity: number; reserved: number }>(
      'SELECT quantity, reserved FROM lineside.orders WHERE id = $1 FOR UPDATE',
      [orderId],
    );
    const order = o.rows[0];
    if (!order) throw new Failure('not-found', `There is no work order ${orderId} on the line.`);
    const n = Math.max(0, Math.min(count, order.quantity - order.reserved));
    let inserted = 0;
    let collisions = 0;
    let streak = 0;
    while (inserted < n) {
      const want = n - inserted;
      const ids = draw(want);
      const r = await c.query(
        `INSERT INTO lineside.claim_ids (claim_id, order_id, state)
         SELECT unnest($1::text[]), $2, 'reserved' ON CONFLICT (claim_id) DO NOTHING`,
        [ids, orderId],
      );
      const added = r.rowCount ?? 0;
      inserted += added;
      collisions += want - added;
      streak = added === 0 ? streak + want : 0;
      if (streak > 10_000)
        throw new Failure(
          'ids-exhausted',
          `The line's claim-ID space for order ${orderId} is nearly full: use a longer ID length in the profile.`,
        );
    }
    const reserved = order.reserved + n;
    await c.query(
      `UPDATE lineside.orders SET reserved = $2, collisions = collisions + $3,
         state = CASE WHEN state = 'reserving' AND $2 >= quantity THEN 'ready' ELSE state END WHERE id = $1`,
      [orderId, reserved, collisions],
    );
    return { inserted: n, collisions, reserved, quantity: order.quantity, hwm: await nextHwm(c) };
  });
}

export interface LeaseResult {
  claimIds: string[];
  state: 'active' | 'returned' | 'voided' | null;
  hwm: number;
}

/**
 * Leases up to `count` of the order's free IDs to the station under `leaseId`. Asking again with
 * the same lease id returns the same IDs (a station that crashed after the line committed).
 * SKIP LOCKED: two stations racing for the last IDs each get distinct ones, never the same.
 */
export async function leaseBlock(
  pool: pg.Pool,
  lease: { id: string; orderId: string; stationId: string; stationName: string; count: number },
): Promise<LeaseResult> {
  return inTransaction(pool, async (c) => {
    const existing = await c.query<{ state: LeaseResult['state'] }>(
      'SELECT state FROM lineside.leases WHERE id = $1',
      [lease.id],
    );
    if (existing.rows[0]) {
      const ids = await c.query<{ claim_id: string }>(
        'SELECT claim_id FROM lineside.claim_ids WHERE lease_id = $1 ORDER BY claim_id',
        [lease.id],
      );
      return {
        claimIds: ids.rows.map((r) => r.claim_id),
        state: existing.rows[0].state,
        hwm: await nextHwm(c),
      };
    }
    const picked = await c.query<{ claim_id: string }>(
      `UPDATE lineside.claim_ids c SET state = 'leased', lease_id = $1, station_id = $2, updated_at = now()
       FROM (SELECT claim_id FROM lineside.claim_ids WHERE order_id = $3 AND state = 'reserved'
             ORDER BY claim_id LIMIT $4 FOR UPDATE SKIP LOCKED) free
       WHERE c.claim_id = free.claim_id RETURNING c.claim_id`,
      [lease.id, lease.stationId, lease.orderId, lease.count],
    );
    const claimIds = picked.rows.map((r) => r.claim_id).sort();
    if (claimIds.length > 0)
      await c.query(
        `INSERT INTO lineside.leases (id, order_id, station_id, station_name, requested, count)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [lease.id, lease.orderId, lease.stationId, lease.stationName, lease.count, claimIds.length],
      );
    return { claimIds, state: claimIds.length > 0 ? 'active' : null, hwm: await nextHwm(c) };
  });
}

/** IDs this station was leased that it could not take (already in its own store): voided on the line. */
export async function voidClaimIds(pool: pg.Pool, claimIds: string[], note: string): Promise<number> {
  return inTransaction(pool, async (c) => {
    await c.query(
      `UPDATE lineside.claim_ids SET state = 'voided', note = $2, updated_at = now() WHERE claim_id = ANY($1)`,
      [claimIds, note],
    );
    return nextHwm(c);
  });
}

/** The state of each of this station's leases on the line (an engineer may have returned or voided one). */
export async function leaseStates(pool: pg.Pool, stationId: string): Promise<Map<string, string>> {
  const r = await pool.query<{ id: string; state: string }>(
    'SELECT id, state FROM lineside.leases WHERE station_id = $1',
    [stationId],
  );
  return new Map(r.rows.map((x) => [x.id, x.state]));
}
