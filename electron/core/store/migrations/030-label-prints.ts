import type { Migration } from './types';

/**
 * The print audit: one row per label that left a printer. A unit has at most one first print
 * (the partial unique index); every further print is a reprint that carries a reason. Station,
 * operator and time come from the event-log entry written in the same transaction.
 */
export const m030: Migration = {
  id: 30,
  name: 'label print audit',
  sql: `
    CREATE TABLE label_prints (
      id               INTEGER PRIMARY KEY,
      claim_id         TEXT NOT NULL,
      order_id         TEXT,
      template         TEXT NOT NULL,
      template_version TEXT NOT NULL,
      printer          TEXT NOT NULL,
      copies           INTEGER NOT NULL CHECK (copies >= 1),
      kind             TEXT NOT NULL CHECK (kind IN ('print', 'reprint', 'test')),
      reason           TEXT,
      job_id           TEXT,
      event_id         INTEGER NOT NULL REFERENCES events(id),
      CHECK (kind <> 'reprint' OR length(trim(reason)) > 0)
    );
    CREATE UNIQUE INDEX label_prints_once ON label_prints(claim_id) WHERE kind = 'print';
    CREATE INDEX label_prints_claim ON label_prints(claim_id, id);
    CREATE INDEX label_prints_order ON label_prints(order_id, id) WHERE order_id IS NOT NULL;
  `,
};
