import type { Migration } from './types';

/**
 * Every answer of the serialization service: the ID handed out (or why none was), who asked and
 * what they sent, so an ID given to a device that never came back is visible, not lost.
 */
export const m041: Migration = {
  id: 41,
  name: 'serialization service journal',
  sql: `
    CREATE TABLE serialize_journal (
      id        INTEGER PRIMARY KEY,
      at        TEXT NOT NULL,
      remote    TEXT NOT NULL,
      status    INTEGER NOT NULL,
      claim_id  TEXT,
      order_id  TEXT,
      reason    TEXT,
      body      TEXT NOT NULL
    );
    CREATE INDEX serialize_journal_claim ON serialize_journal(claim_id) WHERE claim_id IS NOT NULL;
    CREATE TRIGGER serialize_journal_no_update BEFORE UPDATE ON serialize_journal
      BEGIN SELECT RAISE(ABORT, 'the serialization journal is append-only'); END;
    CREATE TRIGGER serialize_journal_no_delete BEFORE DELETE ON serialize_journal
      BEGIN SELECT RAISE(ABORT, 'the serialization journal is append-only'); END;
  `,
};
