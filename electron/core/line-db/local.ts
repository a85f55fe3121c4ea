/**
 * The station's own side of line mode, in its SQLite store (migration 100): who it is on the line,
 * which orders are line orders, the leases it holds (their IDs are ordinary 'reserved' units, so the
 * station provisions from them exactly as from its own reservation, without a round trip), and the
 * outbox rows the line has not acknowledged yet.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Store } from '../store';
import type { LineOrderRecord } from './lineOps';
import type { OutboxItem } from './push';

interface OutboxRow {
  seq: number;
  kind: 'event' | 'unit';
  event_id: number | null;
  claim_id: string | null;
  order_id: string | null;
  state: string | null;
  serial: string | null;
  slot: number | null;
  at: string;
  e_station: string | null;
  e_operator: string | null;
  e_kind: string | null;
  e_data: string | null;
}

export interface LeaseRow {
  id: string;
  order_id: string;
  requested: number;
  count: number;
  state: 'pending' | 'active' | 'returned' | 'voided' | 'failed';
}

export function createLocalLine(store: Store, clock: Clock) {
  const db = store.db;
  const getState = db.prepare('SELECT value FROM line_state WHERE key = ?').pluck();
  const putState = db.prepare(
    'INSERT INTO line_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const delState = db.prepare('DELETE FROM line_state WHERE key = ?');
  const isLine = db.prepare('SELECT 1 FROM line_orders WHERE order_id = ?').pluck();
  const pending = db.prepare('SELECT count(*) FROM line_outbox WHERE seq > ?').pluck();
  const readBatch = db.prepare(
    `SELECT o.*, e.station AS e_station, e.operator AS e_operator, e.kind AS e_kind, e.data AS e_data
     FROM line_outbox o LEFT JOIN events e ON e.id = o.event_id
     WHERE o.seq > ? ORDER BY o.seq LIMIT ?`,
  );
  const reservedLeft = db
    .prepare(
      `SELECT count(*) FROM units u JOIN line_lease_ids l ON l.claim_id = u.claim_id
     WHERE u.order_id = ? AND u.state = 'reserved'`,
    )
    .pluck();
  const leasedTotal = db
    .prepare("SELECT coalesce(sum(count), 0) FROM line_leases WHERE order_id = ? AND state <> 'failed'")
    .pluck();

  function get(key: string): string | null {
    return (getState.get(key) as string | undefined) ?? null;
  }
  const num = (key: string) => Number(get(key) ?? 0);

  const local = {
    /** This station's identity on every line: made once, kept forever. */
    stationId(): string {
      let id = get('station-id');
      if (!id) {
        id = randomUUID();
        putState.run('station-id', id);
      }
      return id;
    },
    lineId: () => get('line-id'),
    hwm: () => num('hwm'),
    acked: () => num('acked-seq'),
    noteHwm(value: number) {
      if (value > num('hwm')) putState.run('hwm', String(value));
    },
    /** Joining a (new) line: remember it, forget the old line's marks, queue from now on. */
    joinLine(lineId: string) {
      store.transaction(() => {
        if (get('line-id') !== lineId) {
          putState.run('line-id', lineId);
          putState.run('hwm', '0');
          // The new line has nothing of ours: start after what is already queued.
          const last = db.prepare('SELECT coalesce(max(seq), 0) FROM line_outbox').pluck().get() as number;
          putState.run('acked-seq', String(last));
        }
        putState.run('outbox', '1');
      });
    },
    leaveLine() {
      delState.run('outbox');
    },
    queueing: () => get('outbox') !== null,
    pendingCount: () => pending.get(num('acked-seq')) as number,
    lastPushAt: () => get('last-push-at'),
    readOutbox(limit: number): OutboxItem[] {
      return (readBatch.all(num('acked-seq'), limit) as OutboxRow[]).map((r) =>
        r.kind === 'event'
          ? {
              seq: r.seq,
              kind: 'event',
              at: r.at,
              claimId: r.claim_id,
              orderId: r.order_id,
              slot: r.slot,
              eventId: r.event_id ?? 0,
              eventKind: r.e_kind ?? 'unknown',
              stationName: r.e_station ?? '',
              operator: r.e_operator ?? '',
              data: r.e_data ? (JSON.parse(r.e_data) as unknown) : {},
            }
          : {
              seq: r.seq,
              kind: 'unit',
              at: r.at,
              claimId: r.claim_id,
              orderId: r.order_id,
              slot: r.slot,
              state: r.state,
              serial: r.serial,
            },
      );
    },
    recordAck(seq: number) {
      if (seq > num('acked-seq')) putState.run('acked-seq', String(seq));
      putState.run('last-push-at', clock.now().toISOString());
    },

    isLineOrder: (orderId: string) => isLine.get(orderId) === 1,
    hasOrder: (orderId: string) => db.prepare('SELECT 1 FROM orders WHERE id = ?').pluck().get(orderId) === 1,
    lineOrderIds: () =>
      db
        .prepare(
          'SELECT l.order_id FROM line_orders l JOIN orders o ON o.id = l.order_id ORDER BY o.created_at DESC, o.id DESC',
        )
        .pluck()
        .all() as string[],
    /** An order made on this station in line mode: published to the line by the next cycle. */
    adoptOrder(orderId: string, lineId: string) {
      db.prepare(
        'INSERT OR IGNORE INTO line_orders (order_id, line_id, published, synced_at) VALUES (?, ?, 0, ?)',
      ).run(orderId, lineId, clock.now().toISOString());
    },
    unpublished: () =>
      db.prepare('SELECT order_id FROM line_orders WHERE published = 0').pluck().all() as string[],
    markPublished(orderId: string) {
      db.prepare('UPDATE line_orders SET published = 1, synced_at = ? WHERE order_id = ?').run(
        clock.now().toISOString(),
        orderId,
      );
    },
    /** A line order seen from this station: created here if new, its reservation counters mirrored. */
    mirrorOrder(o: LineOrderRecord, lineId: string): boolean {
      return store.transaction(() => {
        const at = clock.now().toISOString();
        const known = db.prepare('SELECT 1 FROM orders WHERE id = ?').pluck().get(o.id) === 1;
        if (!known) {
          db.prepare(
            'INSERT OR IGNORE INTO profile_versions (hash, name, text, created_at) VALUES (?, ?, ?, ?)',
          ).run(o.profileHash, o.profileName, o.profileText, at);
          db.prepare(
            `INSERT INTO orders (id, profile_name, profile_hash, quantity, id_policy, serials, reserved, collisions,
               state, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            o.id,
            o.profileName,
            o.profileHash,
            o.quantity,
            JSON.stringify(o.idPolicy),
            o.serials === null || o.serials === undefined ? null : JSON.stringify(o.serials),
            o.reserved,
            o.collisions,
            o.state,
            o.note,
            o.createdAt,
            at,
          );
          db.prepare(
            'INSERT OR IGNORE INTO line_orders (order_id, line_id, published, synced_at) VALUES (?, ?, 1, ?)',
          ).run(o.id, lineId, at);
          store.events.append({ kind: 'line.order-joined', orderId: o.id, data: { quantity: o.quantity } });
        } else if (isLine.get(o.id) === 1) {
          db.prepare(
            `UPDATE orders SET reserved = ?, collisions = ?, state = ?, updated_at = ?
             WHERE id = ? AND (reserved <> ? OR state <> ?)`,
          ).run(o.reserved, o.collisions, o.state, at, o.id, o.reserved, o.state);
        }
        return !known;
      });
    },
    setReserved(orderId: string, reserved: number, collisions: number, quantity: number) {
      db.prepare(
        `UPDATE orders SET reserved = ?, collisions = collisions + ?, updated_at = ?,
           state = CASE WHEN state = 'reserving' AND ? >= ? THEN 'ready' ELSE state END WHERE id = ?`,
      ).run(reserved, collisions, clock.now().toISOString(), reserved, quantity, orderId);
    },

    left: (orderId: string) => reservedLeft.get(orderId) as number,
    leased: (orderId: string) => leasedTotal.get(orderId) as number,
    /** Written before asking the line, so a crash in between is recovered by asking again. */
    beginLease(orderId: string, count: number): string {
      const id = randomUUID();
      db.prepare(
        "INSERT INTO line_leases (id, order_id, requested, state, created_at) VALUES (?, ?, ?, 'pending', ?)",
      ).run(id, orderId, count, clock.now().toISOString());
      return id;
    },
    leases: (state?: LeaseRow['state']) =>
      (state
        ? db.prepare('SELECT * FROM line_leases WHERE state = ? ORDER BY created_at').all(state)
        : db.prepare('SELECT * FROM line_leases ORDER BY created_at').all()) as LeaseRow[],
    /** The line granted the lease: its IDs become this station's reserved units. Returns IDs it could not take. */
    completeLease(leaseId: string, claimIds: string[]): string[] {
      return store.transaction(() => {
        const lease = db.prepare('SELECT * FROM line_leases WHERE id = ?').get(leaseId) as LeaseRow;
        const order = db.prepare('SELECT profile_hash FROM orders WHERE id = ?').get(lease.order_id) as {
          profile_hash: string;
        };
        const at = clock.now().toISOString();
        const insert = db.prepare(
          `INSERT OR IGNORE INTO units (claim_id, serial, order_id, state, profile_hash, created_at, updated_at)
           VALUES (?, NULL, ?, 'reserved', ?, ?, ?)`,
        );
        const link = db.prepare('INSERT INTO line_lease_ids (claim_id, lease_id) VALUES (?, ?)');
        const refused: string[] = [];
        for (const id of claimIds) {
          if (insert.run(id, lease.order_id, order.profile_hash, at, at).changes === 1) link.run(id, leaseId);
          else refused.push(id);
        }
        // The order's per-state counts are kept by whoever inserts units (migration 130).
        const taken = claimIds.length - refused.length;
        if (taken > 0)
          db.prepare(
            `INSERT INTO order_unit_counts (order_id, state, n) VALUES (?, 'reserved', ?)
             ON CONFLICT (order_id, state) DO UPDATE SET n = n + excluded.n`,
          ).run(lease.order_id, taken);
        const state = claimIds.length === 0 ? 'failed' : 'active';
        db.prepare('UPDATE line_leases SET state = ?, count = ?, leased_at = ? WHERE id = ?').run(
          state,
          claimIds.length - refused.length,
          at,
          leaseId,
        );
        if (claimIds.length > 0)
          store.events.append({
            kind: 'line.ids-leased',
            orderId: lease.order_id,
            data: { leaseId, count: claimIds.length - refused.length, refused: refused.length },
          });
        return refused;
      });
    },
    /** An engineer returned or voided the lease on the line: its unused IDs are never used here. */
    closeLease(leaseId: string, state: 'returned' | 'voided'): number {
      return store.transaction(() => {
        const at = clock.now().toISOString();
        const lease = db.prepare('SELECT * FROM line_leases WHERE id = ?').get(leaseId) as LeaseRow;
        const n = db
          .prepare(
            `UPDATE units SET state = 'voided', updated_at = ?
             WHERE state = 'reserved' AND claim_id IN (SELECT claim_id FROM line_lease_ids WHERE lease_id = ?)`,
          )
          .run(at, leaseId).changes;
        db.prepare('UPDATE line_leases SET state = ?, closed_at = ? WHERE id = ?').run(state, at, leaseId);
        store.events.append({
          kind: `line.lease-${state}`,
          orderId: lease.order_id,
          data: { leaseId, unusedVoided: n },
        });
        return n;
      });
    },
  };
  return local;
}

export type LocalLine = ReturnType<typeof createLocalLine>;
