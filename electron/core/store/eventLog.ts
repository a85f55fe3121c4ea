import type Database from 'better-sqlite3';
import type { EventEntry } from '../../shared/contract';
import type { Clock } from '../clock';

export interface Actor {
  station: string;
  operator: string;
  /** 'engineer' or 'technician'; absent = '' (callers from before roles, e.g. crash-test children). */
  role?: string;
}

export interface NewEvent {
  kind: string;
  claimId?: string | null;
  orderId?: string | null;
  data?: Record<string, unknown>;
}

export interface EventLog {
  /** Appends one entry stamped with the current station, operator, role and time. Returns its id. */
  append(event: NewEvent): number;
  forUnit(claimId: string, limit?: number): EventEntry[];
  forOrder(orderId: string, limit?: number): EventEntry[];
  recent(limit?: number): EventEntry[];
}

interface EventRow {
  id: number;
  at: string;
  station: string;
  operator: string;
  role: string;
  kind: string;
  claim_id: string | null;
  order_id: string | null;
  data: string;
}

export function toEventEntry(row: EventRow): EventEntry {
  return {
    id: row.id,
    at: row.at,
    station: row.station,
    operator: row.operator,
    role: row.role,
    kind: row.kind,
    claimId: row.claim_id,
    orderId: row.order_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

export function createEventLog(db: Database.Database, clock: Clock, actor: () => Actor): EventLog {
  const insert = db.prepare(
    'INSERT INTO events (at, station, operator, role, kind, claim_id, order_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const byUnit = db.prepare('SELECT * FROM events WHERE claim_id = ? ORDER BY id LIMIT ?');
  const byOrder = db.prepare('SELECT * FROM events WHERE order_id = ? ORDER BY id LIMIT ?');
  const latest = db.prepare('SELECT * FROM events ORDER BY id DESC LIMIT ?');
  return {
    append(event) {
      const { station, operator, role } = actor();
      const info = insert.run(
        clock.now().toISOString(),
        station,
        operator,
        role ?? '',
        event.kind,
        event.claimId ?? null,
        event.orderId ?? null,
        JSON.stringify(event.data ?? {}),
      );
      return Number(info.lastInsertRowid);
    },
    forUnit: (claimId, limit = 1000) => (byUnit.all(claimId, limit) as EventRow[]).map(toEventEntry),
    forOrder: (orderId, limit = 10000) => (byOrder.all(orderId, limit) as EventRow[]).map(toEventEntry),
    recent: (limit = 200) => (latest.all(limit) as EventRow[]).map(toEventEntry),
  };
}
