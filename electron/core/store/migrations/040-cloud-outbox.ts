import type { Migration } from './types';

/**
 * Secrets at rest (product tokens, claimed units' cloud tokens) and the registration outbox.
 * A secret's `scheme` names how its ciphertext was protected, so a token stored under Electron's
 * safeStorage is never fed to the key-file cipher (or the other way round).
 */
export const m040: Migration = {
  id: 40,
  name: 'secrets at rest, cloud registration outbox',
  sql: `
    CREATE TABLE secrets (
      ref         TEXT PRIMARY KEY,
      label       TEXT NOT NULL,
      scheme      TEXT NOT NULL,
      ciphertext  BLOB NOT NULL,
      fingerprint TEXT NOT NULL,
      created_at  TEXT NOT NULL
    );

    CREATE TABLE cloud_outbox (
      claim_id        TEXT PRIMARY KEY,
      order_id        TEXT,
      builder_url     TEXT NOT NULL,
      product_ref     TEXT NOT NULL REFERENCES secrets(ref),
      body            TEXT NOT NULL,
      state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'registered', 'claimed', 'rejected')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL,
      owner_pid       INTEGER,
      lease_until     TEXT,
      last_status     INTEGER,
      last_error      TEXT,
      provision_ref   TEXT REFERENCES secrets(ref),
      queued_at       TEXT NOT NULL,
      answered_at     TEXT,
      updated_at      TEXT NOT NULL
    );
    CREATE INDEX cloud_outbox_due ON cloud_outbox(state, next_attempt_at);
    CREATE INDEX cloud_outbox_order ON cloud_outbox(order_id, claim_id);
  `,
};
