import type { Migration } from './types';

/**
 * The station's side of line mode (docs/line.md). `line_state` remembers which line this station
 * belongs to, its own station id and the line's high-water mark it has seen (an older value on the
 * line means the line database was restored from an older backup). `line_leases` are the blocks of
 * claim IDs leased from the line: a lease is written here as 'pending' before it is asked for, so a
 * crash between the line's commit and ours is recovered by asking again for the same lease id.
 *
 * `line_outbox` is the durable outbox: triggers copy every new event and every unit state change
 * into it inside the writer's own transaction, so nothing reaches the store without also being
 * queued for the line. It is append-only; `line_state.acked-seq` is how far the line has it.
 * The triggers fire only while `line_state.outbox` is set (line mode on).
 */
export const m100: Migration = {
  id: 100,
  name: 'line mode: leases of claim IDs, durable outbox to the line database',
  sql: `
    CREATE TABLE line_state (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    -- Work orders that live on the line (created here and published, or pulled from the line).
    CREATE TABLE line_orders (
      order_id  TEXT PRIMARY KEY REFERENCES orders(id),
      line_id   TEXT NOT NULL,
      published INTEGER NOT NULL DEFAULT 0,
      synced_at TEXT NOT NULL
    );

    CREATE TABLE line_leases (
      id         TEXT PRIMARY KEY,
      order_id   TEXT NOT NULL,
      requested  INTEGER NOT NULL,
      count      INTEGER NOT NULL DEFAULT 0,
      state      TEXT NOT NULL CHECK (state IN ('pending', 'active', 'returned', 'voided', 'failed')),
      created_at TEXT NOT NULL,
      leased_at  TEXT,
      closed_at  TEXT
    );
    CREATE INDEX line_leases_order ON line_leases(order_id, state);

    CREATE TABLE line_lease_ids (
      claim_id TEXT PRIMARY KEY,
      lease_id TEXT NOT NULL REFERENCES line_leases(id)
    );
    CREATE INDEX line_lease_ids_lease ON line_lease_ids(lease_id);

    CREATE TABLE line_outbox (
      seq      INTEGER PRIMARY KEY AUTOINCREMENT,
      kind     TEXT NOT NULL CHECK (kind IN ('event', 'unit')),
      event_id INTEGER,
      claim_id TEXT,
      order_id TEXT,
      state    TEXT,
      serial   TEXT,
      slot     INTEGER,
      at       TEXT NOT NULL
    );
    CREATE TRIGGER line_outbox_no_update BEFORE UPDATE ON line_outbox
      BEGIN SELECT RAISE(ABORT, 'the line outbox is append-only'); END;

    CREATE TRIGGER line_outbox_event AFTER INSERT ON events
      WHEN EXISTS (SELECT 1 FROM line_state WHERE key = 'outbox')
      BEGIN
        INSERT INTO line_outbox (kind, event_id, claim_id, order_id, slot, at)
        VALUES ('event', NEW.id, NEW.claim_id, NEW.order_id,
                (SELECT slot FROM unit_runs WHERE claim_id = NEW.claim_id), NEW.at);
      END;

    CREATE TRIGGER line_outbox_unit AFTER UPDATE OF state, serial ON units
      WHEN EXISTS (SELECT 1 FROM line_state WHERE key = 'outbox')
        AND (OLD.state IS NOT NEW.state OR OLD.serial IS NOT NEW.serial)
      BEGIN
        INSERT INTO line_outbox (kind, claim_id, order_id, state, serial, slot, at)
        VALUES ('unit', NEW.claim_id, NEW.order_id, NEW.state, NEW.serial,
                (SELECT slot FROM unit_runs WHERE claim_id = NEW.claim_id), NEW.updated_at);
      END;
  `,
};
