import type { Migration } from './types';

/**
 * Work orders and the exact profile text each was made with. A reserved claim ID is a row in
 * `units` (state 'reserved', order_id set, profile_hash = the profile version's hash). Rows here are
 * never deleted: an order that is done is closed, a unit that is not used is voided.
 */
export const m010: Migration = {
  id: 10,
  name: 'work orders, profile versions',
  sql: `
    CREATE TABLE profile_versions (
      hash       TEXT PRIMARY KEY,
      name       TEXT NOT NULL,
      text       TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TRIGGER profile_versions_no_update BEFORE UPDATE ON profile_versions
      BEGIN SELECT RAISE(ABORT, 'a profile version is immutable'); END;
    CREATE TRIGGER profile_versions_no_delete BEFORE DELETE ON profile_versions
      BEGIN SELECT RAISE(ABORT, 'a profile version is immutable'); END;

    CREATE TABLE orders (
      id            TEXT PRIMARY KEY,
      profile_name  TEXT NOT NULL,
      profile_hash  TEXT NOT NULL REFERENCES profile_versions(hash),
      quantity      INTEGER NOT NULL CHECK (quantity > 0),
      -- JSON: { alphabet, length, checkSymbol } as drawn for this order
      id_policy     TEXT NOT NULL,
      -- JSON: null | { kind: 'range', prefix, start, width } | { kind: 'list', serials: [...] }
      serials       TEXT,
      next_serial   INTEGER NOT NULL DEFAULT 0,
      reserved      INTEGER NOT NULL DEFAULT 0,
      collisions    INTEGER NOT NULL DEFAULT 0,
      state         TEXT NOT NULL DEFAULT 'reserving' CHECK (state IN ('reserving', 'ready', 'closed')),
      note          TEXT NOT NULL DEFAULT '',
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL
    );
    CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders
      BEGIN SELECT RAISE(ABORT, 'work orders are never deleted'); END;
    CREATE TRIGGER units_no_delete BEFORE DELETE ON units WHEN OLD.order_id IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a claim ID handed out is never deleted: void it'); END;
  `,
};
