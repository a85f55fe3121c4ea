import type { ChannelMap, Op } from './types';

/**
 * The factory CA and device certificates. The CA's private key and host-generated device keys
 * never appear in these types: the renderer sees fingerprints, dates and public certificates only.
 */
export type CertKeyType = 'rsa2048' | 'rsa3072' | 'ec-p256';

/** A profile's `certificate` section (validated by core/certs/policy.ts). */
export interface CertificatePolicy {
  keyType: CertKeyType;
  keySource: 'host' | 'device';
  validityDays: number;
  subject: { O?: string | undefined; OU?: string | undefined };
  san?: { dns?: string[] | undefined; uri?: string[] | undefined; ip?: string[] | undefined } | undefined;
  escrow: boolean;
}

export interface CaSummary {
  subject: string;
  keyType: CertKeyType;
  /** SHA-256 of the certificate, colon-separated hex. */
  fingerprint: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  certificatePem: string;
}

export interface CaStatusReport {
  state: 'none' | 'locked' | 'unlocked';
  ca: CaSummary | null;
  /** The passphrase can be kept in the OS keychain (Electron safeStorage). */
  rememberAvailable: boolean;
  remembered: boolean;
  /** A sentence when the CA expires soon or has expired. */
  warning: string | null;
}

export interface CreateCaRequest {
  commonName: string;
  organization?: string | undefined;
  keyType: CertKeyType;
  validityDays: number;
  passphrase: string;
  /** Retire an existing CA (its files are kept aside). */
  replace?: boolean | undefined;
}

export type ImportCaRequest = (
  | { format: 'pem'; certificatePem: string; keyPem: string; keyPassword?: string | undefined }
  | { format: 'pkcs12'; pkcs12Base64: string; pkcs12Password: string }
) & { passphrase: string; replace?: boolean | undefined };

export interface UnlockCaRequest {
  /** Omit to use the passphrase kept with safeStorage. */
  passphrase?: string | undefined;
  remember?: boolean | undefined;
}

export type RevocationReason =
  'unspecified' | 'keyCompromise' | 'affiliationChanged' | 'superseded' | 'cessationOfOperation';

export interface DeviceCertificateReport {
  serial: string;
  claimId: string;
  subject: string;
  keyType: CertKeyType;
  keySource: 'host' | 'device';
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
  caFingerprint: string;
  /** An encrypted copy of the key is kept (the profile asked for escrow). */
  escrowed: boolean;
  certificatePem: string;
}

export interface SignCsrRequest {
  claimId: string;
  csrPem: string;
  policy?: CertificatePolicy | undefined;
}

export interface RevokeCertificateRequest {
  claimId: string;
  /** One certificate; default every unrevoked certificate of the unit. */
  serial?: string | undefined;
  reason?: RevocationReason | undefined;
}

export interface CrlReport {
  crlPem: string;
  crlNumber: number;
  revokedCount: number;
  thisUpdate: string;
  nextUpdate: string;
}

export interface ListCertificatesRequest {
  claimId?: string | undefined;
  /** 1..1000, default 200, newest first. */
  limit?: number | undefined;
}

export interface ExportCertificatesReport {
  format: 'csv' | 'json';
  text: string;
  count: number;
}

export interface CertsOps {
  getCaStatus: Op<void, CaStatusReport>;
  createCa: Op<CreateCaRequest, CaStatusReport>;
  importCa: Op<ImportCaRequest, CaStatusReport>;
  unlockCa: Op<UnlockCaRequest, CaStatusReport>;
  lockCa: Op<void, CaStatusReport>;
  listCertificates: Op<ListCertificatesRequest, DeviceCertificateReport[]>;
  signCsr: Op<SignCsrRequest, DeviceCertificateReport>;
  revokeCertificate: Op<RevokeCertificateRequest, DeviceCertificateReport[]>;
  exportCrl: Op<{ nextUpdateDays?: number | undefined }, CrlReport>;
  exportCertificates: Op<{ format: 'csv' | 'json' }, ExportCertificatesReport>;
}

export const certsChannels = {
  getCaStatus: 'certs:get-ca-status',
  createCa: 'certs:create-ca',
  importCa: 'certs:import-ca',
  unlockCa: 'certs:unlock-ca',
  lockCa: 'certs:lock-ca',
  listCertificates: 'certs:list',
  signCsr: 'certs:sign-csr',
  revokeCertificate: 'certs:revoke',
  exportCrl: 'certs:export-crl',
  exportCertificates: 'certs:export-list',
} as const satisfies ChannelMap<CertsOps>;
