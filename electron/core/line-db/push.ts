/**
 * The line side of a station's outbox. One batch is one transaction: rows the line already has
 * (seq <= the station's acked_seq) are skipped, so a batch sent twice (the station died before it
 * saw the COMMIT) changes nothing; rows are applied in seq order, so the line's picture of a unit is
 * the station's latest. A unit whose claim ID the line gave to another station is recorded as a
 * conflict, never overwritten.
 */
import type pg from 'pg';
import { inTransaction } from './connection';
import { restoredFailure } from './refusals';

export interface OutboxItem {
  seq: number;
  kind: 'event' | 'unit';
  at: string;
  claimId: string | null;
  orderId: string | null;
  slot: number | null;
  /** kind 'event' */
  eventId?: number;
  eventKind?: string;
  stationName?: string;
  operator?: string;
  data?: unknown;
  /** kind 'unit' */
  state?: string | null;
  serial?: string | null;
}

export interface PushResult {
  acked: number;
  applied: number;
  conflicts: number;
  hwm: number;
}

export async function pushBatch(
  pool: pg.Pool,
  stationId: string,
  items: OutboxItem[],
  stationAcked: number,
): Promise<PushResult> {
  return inTransaction(pool, async (c) => {
    const s = await c.query<{ acked_seq: string }>(
      'SELECT acked_seq FROM lineside.stations WHERE id = $1 FOR UPDATE',
      [stationId],
    );
    const acked = Number(s.rows[0]?.acked_seq ?? 0);
    if (!s.rows[0] || acked < stationAcked)
      throw restoredFailure(`station acked_seq ${acked} < ${stationAcked}`);
    const fresh = items.filter((i) => i.seq > acked).sort((a, b) => a.seq - b.seq);
    const events = fresh.filter((i) => i.kind === 'event');
    const units = fresh.filter((i) => i.kind === 'unit');
    if (events.length > 0)
      await c.query(
        `INSERT INTO lineside.events (station_id, seq, event_id, at, station_name, operator, kind, claim_id, order_id, slot, data)
         SELECT $1, x.seq, x.event_id, x.at, x.station_name, x.operator, x.kind, x.claim_id, x.order_id, x.slot, x.data
         FROM jsonb_to_recordset($2::jsonb) AS x(seq bigint, event_id bigint, at timestamptz, station_name text,
           operator text, kind text, claim_id text, order_id text, slot integer, data jsonb)
         ON CONFLICT (station_id, seq) DO NOTHING`,
        [
          stationId,
          JSON.stringify(
            events.map((e) => ({
              seq: e.seq,
              event_id: e.eventId,
              at: e.at,
              station_name: e.stationName,
              operator: e.operator,
              kind: e.eventKind,
              claim_id: e.claimId,
              order_id: e.orderId,
              slot: e.slot,
              data: e.data ?? {},
            })),
          ),
        ],
      );
    let conflicts = 0;
    if (units.length > 0) conflicts = await applyUnits(c, stationId, units);
    const maxSeq = Math.max(acked, ...fresh.map((i) => i.seq));
    await c.query('UPDATE lineside.stations SET acked_seq = $2, last_seen = now() WHERE id = $1', [
      stationId,
      maxSeq,
    ]);
    const h = await c.query<{ v: string }>("SELECT nextval('lineside.hwm') AS v");
    return { acked: maxSeq, applied: fresh.length, conflicts, hwm: Number(h.rows[0]!.v) };
  });
}

async function applyUnits(c: pg.PoolClient, stationId: string, units: OutboxItem[]): Promise<number> {
  const rows = JSON.stringify(
    units.map((u) => ({
      seq: u.seq,
      claim_id: u.claimId,
      order_id: u.orderId,
      state: u.state,
      serial: u.serial ?? null,
      slot: u.slot,
      at: u.at,
    })),
  );
  const recordset = `jsonb_to_recordset($2::jsonb) AS x(seq bigint, claim_id text, order_id text, state text,
    serial text, slot integer, at timestamptz)`;
  // An ID back in the pool (its lease was returned while this station was away) is this station's again.
  await c.query(
    `UPDATE lineside.claim_ids c SET state = 'leased', station_id = $1, updated_at = now()
     FROM ${recordset} WHERE c.claim_id = x.claim_id AND c.state = 'reserved' AND x.state NOT IN ('reserved', 'voided')`,
    [stationId, rows],
  );
  // Used while the line had given it to another station: recorded, never applied over the holder.
  const conflict = await c.query(
    `INSERT INTO lineside.conflicts (claim_id, station_id, seq, holder, detail)
     SELECT x.claim_id, $1, x.seq, c.station_id, 'unit ' || x.state || ' reported for a claim ID leased to another station'
     FROM ${recordset} JOIN lineside.claim_ids c ON c.claim_id = x.claim_id
     WHERE c.station_id IS DISTINCT FROM $1 AND x.state NOT IN ('reserved', 'voided')`,
    [stationId, rows],
  );
  // Only the holder's (or a station-local ID's) changes shape the line's picture of a unit.
  await c.query(
    `INSERT INTO lineside.units AS u (claim_id, order_id, station_id, state, serial, slot, seq, updated_at)
     SELECT DISTINCT ON (x.claim_id) x.claim_id, x.order_id, $1, x.state, x.serial, x.slot, x.seq, x.at
     FROM ${recordset} LEFT JOIN lineside.claim_ids c ON c.claim_id = x.claim_id
     WHERE c.claim_id IS NULL OR c.station_id = $1
     ORDER BY x.claim_id, x.seq DESC
     ON CONFLICT (claim_id) DO UPDATE SET state = EXCLUDED.state, serial = EXCLUDED.serial,
       slot = COALESCE(EXCLUDED.slot, u.slot), seq = EXCLUDED.seq, updated_at = EXCLUDED.updated_at
     WHERE u.station_id = EXCLUDED.station_id AND u.seq < EXCLUDED.seq`,
    [stationId, rows],
  );
  await c.query(
    `UPDATE lineside.claim_ids c
     SET state = CASE WHEN x.state = 'voided' THEN 'voided' ELSE 'used' END, updated_at = now()
     FROM (SELECT DISTINCT ON (claim_id) claim_id, state FROM ${recordset} ORDER BY claim_id, seq DESC) x
     WHERE c.claim_id = x.claim_id AND c.station_id = $1 AND x.state <> 'reserved'
       AND c.state IN ('leased', 'used', 'voided')`,
    [stationId, rows],
  );
  return conflict.rowCount ?? 0;
}
