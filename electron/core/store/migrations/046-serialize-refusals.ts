import type { Migration } from './types';

/**
 * Requests the serialization service refused before reading them (outside the allow-list, wrong
 * method or path, too large): counted per source, status and minute, with one short sample each,
 * so a flood from outside grows a counter, never the journal.
 */
export const m046: Migration = {
  id: 46,
  name: 'serialization service refusal counts',
  sql: `
    CREATE TABLE serialize_refusals (
      window_start TEXT NOT NULL,
      remote       TEXT NOT NULL,
      status       INTEGER NOT NULL,
      count        INTEGER NOT NULL,
      first_at     TEXT NOT NULL,
      last_at      TEXT NOT NULL,
      sample       TEXT NOT NULL,
      PRIMARY KEY (window_start, remote, status)
    );
    CREATE TRIGGER serialize_refusals_no_delete BEFORE DELETE ON serialize_refusals
      BEGIN SELECT RAISE(ABORT, 'refusal counts are kept'); END;
  `,
};
