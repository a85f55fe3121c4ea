import type { Migration } from './types';

/**
 * The sha256 of the key file written next to a host-key certificate (never the key): a rework that
 * finds the same key file on the unit reuses the certificate instead of issuing a second one.
 */
export const m051: Migration = {
  id: 51,
  name: 'device certificates remember the hash of the key file written with them',
  sql: `ALTER TABLE device_certificates ADD COLUMN key_file_sha256 TEXT;`,
};
