import type Database from 'better-sqlite3';
import type { CertKeyType, DeviceCertificateReport, RevocationReason } from '../../shared/contract/certs';

export interface CertRow {
  serial: string;
  claim_id: string;
  subject: string;
  key_type: CertKeyType;
  key_source: 'host' | 'device';
  fingerprint: string;
  not_before: string;
  not_after: string;
  issued_at: string;
  ca_fingerprint: string;
  cert_pem: string;
  escrow_key_pem: string | null;
  /** Host keys: sha256 of the key file written with this certificate. */
  key_file_sha256: string | null;
  revoked_at: string | null;
  revocation_reason: RevocationReason | null;
}

export type NewCertRow = Omit<CertRow, 'revoked_at' | 'revocation_reason'>;

/** The record as it may leave core: never the escrowed key, only whether there is one. */
export function toReport(row: CertRow): DeviceCertificateReport {
  return {
    serial: row.serial,
    claimId: row.claim_id,
    subject: row.subject,
    keyType: row.key_type,
    keySource: row.key_source,
    fingerprint: row.fingerprint,
    notBefore: row.not_before,
    notAfter: row.not_after,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
    caFingerprint: row.ca_fingerprint,
    escrowed: row.escrow_key_pem !== null,
    certificatePem: row.cert_pem,
  };
}

export function createCertRepo(db: Database.Database) {
  const insert = db.prepare(`INSERT INTO device_certificates
    (serial, claim_id, subject, key_type, key_source, fingerprint, not_before, not_after, issued_at,
     ca_fingerprint, cert_pem, escrow_key_pem, key_file_sha256)
    VALUES (@serial, @claim_id, @subject, @key_type, @key_source, @fingerprint, @not_before, @not_after,
     @issued_at, @ca_fingerprint, @cert_pem, @escrow_key_pem, @key_file_sha256)`);
  const bySerial = db.prepare('SELECT * FROM device_certificates WHERE serial = ?');
  const byUnit = db.prepare(
    'SELECT * FROM device_certificates WHERE claim_id = ? ORDER BY issued_at DESC, rowid DESC LIMIT ?',
  );
  const recent = db.prepare('SELECT * FROM device_certificates ORDER BY issued_at DESC, rowid DESC LIMIT ?');
  const all = db.prepare('SELECT * FROM device_certificates ORDER BY issued_at, rowid');
  const revoke = db.prepare(
    'UPDATE device_certificates SET revoked_at = ?, revocation_reason = ? WHERE serial = ? AND revoked_at IS NULL',
  );
  const revokedFor = db.prepare(
    'SELECT * FROM device_certificates WHERE ca_fingerprint = ? AND revoked_at IS NOT NULL ORDER BY revoked_at',
  );
  const nextCrl = db.prepare(`INSERT INTO crl_numbers (ca_fingerprint, last_number) VALUES (?, 1)
    ON CONFLICT(ca_fingerprint) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`);
  return {
    insert: (row: NewCertRow) => insert.run(row),
    get: (serial: string) => (bySerial.get(serial) as CertRow | undefined) ?? null,
    forUnit: (claimId: string, limit = 100) => byUnit.all(claimId, limit) as CertRow[],
    recent: (limit: number) => recent.all(limit) as CertRow[],
    all: () => all.all() as CertRow[],
    revoke: (serial: string, at: string, reason: RevocationReason) =>
      revoke.run(at, reason, serial).changes > 0,
    revokedFor: (caFingerprint: string) => revokedFor.all(caFingerprint) as CertRow[],
    nextCrlNumber: (caFingerprint: string) =>
      (nextCrl.get(caFingerprint) as { last_number: number }).last_number,
  };
}

export type CertRepo = ReturnType<typeof createCertRepo>;
