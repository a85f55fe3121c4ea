import type { Migration } from './types';

/**
 * The station run's journal: where each unit stopped (the step, the slot, why it failed) and what
 * was written to it. The unit's lifecycle state itself stays in `units.state`.
 */
export const m025: Migration = {
  id: 25,
  name: 'station journal: unit runs and the files written to each unit',
  sql: `
    CREATE TABLE unit_runs (
      claim_id        TEXT PRIMARY KEY REFERENCES units(claim_id),
      slot            INTEGER,
      port            TEXT,
      step            TEXT NOT NULL,
      attempts        INTEGER NOT NULL DEFAULT 1,
      retransmissions INTEGER NOT NULL DEFAULT 0,
      failure_code    TEXT,
      failure_message TEXT,
      failure_detail  TEXT,
      updated_at      TEXT NOT NULL
    );

    CREATE TABLE unit_files (
      claim_id    TEXT NOT NULL REFERENCES units(claim_id),
      path        TEXT NOT NULL,
      sha256      TEXT NOT NULL,
      size        INTEGER NOT NULL,
      mode        INTEGER NOT NULL,
      content     BLOB,
      written_at  TEXT NOT NULL,
      verified_at TEXT,
      PRIMARY KEY (claim_id, path)
    );

    -- Units in flight (assigned or written): what a restarted station looks for first.
    CREATE INDEX units_in_flight ON units(state) WHERE state IN ('assigned', 'written');
  `,
};
