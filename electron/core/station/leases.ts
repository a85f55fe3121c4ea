import os from 'node:os';
import { Failure } from '../failure';
import type { Store } from '../store';

/** Who holds a lease: this station's name, its host and process, and the slot working the unit. */
export interface LeaseHolder {
  station: string;
  slot: number | null;
  port: string | null;
}

export interface LeaseRow {
  claim_id: string;
  station: string;
  host: string;
  pid: number;
  slot: number | null;
  port: string | null;
  taken_at: string;
  renewed_at: string;
  expires_at: number;
}

export interface LeaseView {
  claimId: string;
  station: string;
  host: string;
  pid: number;
  slot: number | null;
  port: string | null;
  takenAt: string;
  expiresAt: string;
  /** Past its expiry: the holder stopped renewing it (killed, frozen, lost power). */
  expired: boolean;
  /** On this host, and its process no longer exists. */
  holderGone: boolean;
}

export interface LeaseOptions {
  ttlMs: number;
  /** Wall time in ms: leases are shared between processes, so never a test's fixed clock. */
  now?: () => number;
  /** Whether a process of this host is alive (tests may replace it). */
  alive?: (pid: number) => boolean;
}

export const DEFAULT_LEASE_MS = 30_000;
const host = os.hostname();

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function view(row: LeaseRow, options: LeaseOptions): LeaseView {
  const now = (options.now ?? Date.now)();
  const alive = options.alive ?? processAlive;
  return {
    claimId: row.claim_id,
    station: row.station,
    host: row.host,
    pid: row.pid,
    slot: row.slot,
    port: row.port,
    takenAt: row.taken_at,
    expiresAt: new Date(row.expires_at).toISOString(),
    expired: row.expires_at <= now,
    holderGone: row.host === host && row.pid !== process.pid && !alive(row.pid),
  };
}

/** Every lease row, expired ones included (the Station shows them; the engineer can see who held what). */
export function listLeases(store: Store, options: LeaseOptions): LeaseView[] {
  const rows = store.db.prepare('SELECT * FROM unit_leases ORDER BY taken_at').all() as LeaseRow[];
  return rows.map((r) => view(r, options));
}

/**
 * Takes the unit's lease; call inside the claim's IMMEDIATE transaction. A live lease of another
 * process, or of another slot of this one, refuses with `busy` naming who holds it. An expired
 * lease (or one whose process is gone) is taken over and the takeover is logged.
 */
export function takeLease(store: Store, claimId: string, holder: LeaseHolder, options: LeaseOptions): void {
  const now = (options.now ?? Date.now)();
  const row = store.db.prepare('SELECT * FROM unit_leases WHERE claim_id = ?').get(claimId) as
    LeaseRow | undefined;
  if (row) {
    const v = view(row, options);
    const mine = row.host === host && row.pid === process.pid && row.slot === holder.slot;
    if (!mine && !v.expired && !v.holderGone) {
      const where = row.slot !== null ? `slot ${row.slot} of ` : '';
      const self = row.host === host && row.pid === process.pid;
      throw new Failure(
        'busy',
        self
          ? `Unit ${claimId} is already being worked on in slot ${row.slot ?? '?'}: wait for it to finish.`
          : `Unit ${claimId} is already being worked on by ${where}station ${row.station} (process ${row.pid}): wait for it to finish.`,
        { detail: JSON.stringify(v) },
      );
    }
    if (!mine)
      store.events.append({
        kind: 'unit.lease-reclaimed',
        claimId,
        data: { previous: v, reason: v.holderGone ? 'holder process gone' : 'expired' },
      });
  }
  const at = new Date(now).toISOString();
  store.db
    .prepare(
      `INSERT INTO unit_leases (claim_id, station, host, pid, slot, port, taken_at, renewed_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(claim_id) DO UPDATE SET station = excluded.station, host = excluded.host,
         pid = excluded.pid, slot = excluded.slot, port = excluded.port, taken_at = excluded.taken_at,
         renewed_at = excluded.renewed_at, expires_at = excluded.expires_at`,
    )
    .run(claimId, holder.station, host, process.pid, holder.slot, holder.port, at, at, now + options.ttlMs);
}

/** Extends this process's lease; false when it is no longer ours (taken over after expiring). */
export function renewLease(store: Store, claimId: string, options: LeaseOptions): boolean {
  const now = (options.now ?? Date.now)();
  const r = store.db
    .prepare(
      'UPDATE unit_leases SET renewed_at = ?, expires_at = ? WHERE claim_id = ? AND host = ? AND pid = ?',
    )
    .run(new Date(now).toISOString(), now + options.ttlMs, claimId, host, process.pid);
  return r.changes > 0;
}

/** Gives the lease back (only this process's). */
export function releaseLease(store: Store, claimId: string): void {
  store.db
    .prepare('DELETE FROM unit_leases WHERE claim_id = ? AND host = ? AND pid = ?')
    .run(claimId, host, process.pid);
}
