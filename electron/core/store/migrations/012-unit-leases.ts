import type { Migration } from './types';

/**
 * Holds on units being worked, in the database rather than in one process's memory: a row per
 * claim ID, taken in the same IMMEDIATE transaction as the claim, so two slots, two CLI processes
 * or two stations sharing the file never work one unit at once. A killed holder leaves its row; it
 * is visible and can be taken over once it expires (or its process is gone on this host).
 */
export const m012: Migration = {
  id: 12,
  name: 'unit leases: who is working on which unit',
  sql: `
    CREATE TABLE unit_leases (
      claim_id    TEXT PRIMARY KEY REFERENCES units(claim_id),
      station     TEXT NOT NULL,
      host        TEXT NOT NULL,
      pid         INTEGER NOT NULL,
      slot        INTEGER,
      port        TEXT,
      taken_at    TEXT NOT NULL,
      renewed_at  TEXT NOT NULL,
      expires_at  INTEGER NOT NULL
    );
  `,
};
