/**
 * Leases as an engineer sees them on the line: which station holds which block since when, how
 * many of its IDs are used, and returning (back to the pool) or voiding (never used by anyone) the
 * rest when a station died. Returning is refused while the station is still seen on the line:
 * a living station could still provision from the block.
 */
import type pg from 'pg';
import type { LineLeaseReport } from '../../shared/contract';
import { Failure } from '../failure';
import { inTransaction } from './connection';

/** A station seen more recently than this is alive: return its lease only with force. */
export const RETURN_QUIET_MS = 10 * 60_000;

const LEASES_SQL = `
  SELECT l.id, l.order_id, l.station_id, l.station_name, l.leased_at, l.state, l.count, l.closed_at,
         s.last_seen,
         count(c.claim_id) FILTER (WHERE c.state = 'used') AS used,
         count(c.claim_id) FILTER (WHERE c.state = 'voided') AS voided,
         count(c.claim_id) FILTER (WHERE c.state = 'leased') AS left
  FROM lineside.leases l
  JOIN lineside.stations s ON s.id = l.station_id
  LEFT JOIN lineside.claim_ids c ON c.lease_id = l.id`;

interface LeaseRow {
  id: string;
  order_id: string;
  station_id: string;
  station_name: string;
  leased_at: Date;
  state: LineLeaseReport['state'];
  count: number;
  closed_at: Date | null;
  last_seen: Date;
  used: string;
  voided: string;
  left: string;
}

function toReport(r: LeaseRow): LineLeaseReport {
  return {
    leaseId: r.id,
    orderId: r.order_id,
    stationId: r.station_id,
    stationName: r.station_name,
    leasedAt: r.leased_at.toISOString(),
    state: r.state,
    count: r.count,
    used: Number(r.used),
    voided: Number(r.voided),
    left: Number(r.left),
    closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    stationLastSeen: r.last_seen.toISOString(),
  };
}

export async function listLeases(pool: pg.Pool, orderId?: string): Promise<LineLeaseReport[]> {
  const r = await pool.query<LeaseRow>(
    `${LEASES_SQL} ${orderId ? 'WHERE l.order_id = $1' : ''}
     GROUP BY l.id, s.last_seen ORDER BY l.leased_at, l.id`,
    orderId ? [orderId] : [],
  );
  return r.rows.map(toReport);
}

async function oneLease(c: pg.PoolClient, leaseId: string): Promise<LineLeaseReport> {
  const r = await c.query<LeaseRow>(`${LEASES_SQL} WHERE l.id = $1 GROUP BY l.id, s.last_seen`, [leaseId]);
  if (!r.rows[0])
    throw new Failure('not-found', `There is no lease ${leaseId} on the line.`, { field: 'leaseId' });
  return toReport(r.rows[0]);
}

async function lockActive(c: pg.PoolClient, leaseId: string): Promise<LineLeaseReport> {
  if (!/^[0-9a-f-]{36}$/i.test(leaseId))
    throw new Failure('validation', `"${leaseId}" is not a lease ID: copy it from the lease list.`, {
      field: 'leaseId',
    });
  await c.query('SELECT 1 FROM lineside.leases WHERE id = $1 FOR UPDATE', [leaseId]);
  const lease = await oneLease(c, leaseId);
  if (lease.state !== 'active')
    throw new Failure('conflict', `Lease ${leaseId} is already ${lease.state}: nothing left to do.`);
  return lease;
}

/** Puts the lease's unused IDs back in the order's pool (the station is gone for good). */
export async function returnLease(
  pool: pg.Pool,
  leaseId: string,
  options: { force?: boolean; now?: Date } = {},
): Promise<LineLeaseReport> {
  return inTransaction(pool, async (c) => {
    const lease = await lockActive(c, leaseId);
    const seenAgo = (options.now ?? new Date()).getTime() - Date.parse(lease.stationLastSeen);
    if (!options.force && seenAgo < RETURN_QUIET_MS)
      throw new Failure(
        'conflict',
        `Station ${lease.stationName} was on the line ${Math.max(0, Math.round(seenAgo / 60_000))} min ago and may still use these IDs: stop it first (or void the lease instead), then return them.`,
      );
    await c.query(
      `UPDATE lineside.claim_ids SET state = 'reserved', lease_id = NULL, station_id = NULL, updated_at = now()
       WHERE lease_id = $1 AND state = 'leased'`,
      [leaseId],
    );
    await c.query(
      "UPDATE lineside.leases SET state = 'returned', closed_at = now(), closed_note = 'returned to the pool' WHERE id = $1",
      [leaseId],
    );
    await c.query("SELECT nextval('lineside.hwm')");
    return oneLease(c, leaseId);
  });
}

/** Voids the lease's unused IDs: nobody will ever use them (safe even if the station comes back). */
export async function voidLease(pool: pg.Pool, leaseId: string): Promise<LineLeaseReport> {
  return inTransaction(pool, async (c) => {
    await lockActive(c, leaseId);
    await c.query(
      `UPDATE lineside.claim_ids SET state = 'voided', note = 'lease voided', updated_at = now()
       WHERE lease_id = $1 AND state = 'leased'`,
      [leaseId],
    );
    await c.query(
      "UPDATE lineside.leases SET state = 'voided', closed_at = now(), closed_note = 'voided' WHERE id = $1",
      [leaseId],
    );
    await c.query("SELECT nextval('lineside.hwm')");
    return oneLease(c, leaseId);
  });
}
