import type { Migration } from './types';

export const m001: Migration = {
  id: 1,
  name: 'units, append-only event log, settings',
  sql: `
    CREATE TABLE units (
      claim_id     TEXT PRIMARY KEY,
      serial       TEXT,
      order_id     TEXT,
      state        TEXT NOT NULL,
      profile_hash TEXT,
      created_at   TEXT NOT NULL,
      updated_at   TEXT NOT NULL
    );
    CREATE INDEX units_serial ON units(serial) WHERE serial IS NOT NULL;
    CREATE INDEX units_order ON units(order_id, state) WHERE order_id IS NOT NULL;

    CREATE TABLE events (
      id        INTEGER PRIMARY KEY,
      at        TEXT NOT NULL,
      station   TEXT NOT NULL,
      operator  TEXT NOT NULL,
      kind      TEXT NOT NULL,
      claim_id  TEXT,
      order_id  TEXT,
      data      TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_claim ON events(claim_id, id) WHERE claim_id IS NOT NULL;
    CREATE INDEX events_order ON events(order_id, id) WHERE order_id IS NOT NULL;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
