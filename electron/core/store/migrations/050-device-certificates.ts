import type { Migration } from './types';

export const m050: Migration = {
  id: 50,
  name: 'device certificates issued by the factory CA, CRL numbers',
  sql: `
    CREATE TABLE device_certificates (
      serial            TEXT PRIMARY KEY,
      claim_id          TEXT NOT NULL,
      subject           TEXT NOT NULL,
      key_type          TEXT NOT NULL,
      key_source        TEXT NOT NULL CHECK (key_source IN ('host', 'device')),
      fingerprint       TEXT NOT NULL UNIQUE,
      not_before        TEXT NOT NULL,
      not_after         TEXT NOT NULL,
      issued_at         TEXT NOT NULL,
      ca_fingerprint    TEXT NOT NULL,
      cert_pem          TEXT NOT NULL,
      -- Only when the profile asks for escrow, and only ever encrypted.
      escrow_key_pem    TEXT CHECK (escrow_key_pem IS NULL
                                    OR escrow_key_pem LIKE '-----BEGIN ENCRYPTED PRIVATE KEY-----%'),
      revoked_at        TEXT,
      revocation_reason TEXT
    );
    CREATE INDEX device_certificates_claim ON device_certificates(claim_id, issued_at);
    CREATE INDEX device_certificates_revoked ON device_certificates(ca_fingerprint, revoked_at)
      WHERE revoked_at IS NOT NULL;

    CREATE TABLE crl_numbers (
      ca_fingerprint TEXT PRIMARY KEY,
      last_number    INTEGER NOT NULL
    );
  `,
};
