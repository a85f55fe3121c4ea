import * as z from 'zod';
import { claimIdArg, exportFormat, noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/**
 * The factory CA and device certificates. The CA's private key and host-generated device keys
 * never appear in these types: the renderer sees fingerprints, dates and public certificates only.
 */
export const keyTypes = ['rsa2048', 'rsa3072', 'ec-p256'] as const;
export type CertKeyType = (typeof keyTypes)[number];

/** The shortest passphrase that may protect the CA's key. */
export const MIN_PASSPHRASE = 8;

const dnValue = lazySchema(() => z.string().trim().min(1).max(64, 'at most 64 characters'));
const sanValue = lazySchema(() => z.string().trim().min(1).max(253));

/**
 * A profile's `certificate` section: how a unit's client certificate is made. The profile module
 * embeds this schema; the station run passes the parsed policy to the issuer.
 */
export const certificatePolicySchema = lazySchema(() =>
  z
    .object({
      keyType: z.enum(keyTypes),
      /** host: the station generates the key; device: the unit sends a CSR. */
      keySource: z.enum(['host', 'device']).default('host'),
      validityDays: z.number().int().min(1).max(36500),
      subject: z.object({ O: dnValue.optional(), OU: dnValue.optional() }).strict().default({}),
      /** Subject alternative names; `{claimId}` in a value is replaced by the unit's claim ID. */
      san: z
        .object({
          dns: z.array(sanValue).max(16).optional(),
          uri: z.array(sanValue).max(16).optional(),
          ip: z
            .array(z.union([z.ipv4(), z.ipv6()]))
            .max(16)
            .optional(),
        })
        .strict()
        .optional(),
      /** Keep an encrypted copy of a host-generated key (off by default: only the fingerprint stays). */
      escrow: z.boolean().default(false),
    })
    .strict(),
);
/** A profile's `certificate` section, as parsed (defaults filled in). */
export type CertificatePolicy = z.output<typeof certificatePolicySchema>;

const passphrase = lazySchema(() =>
  z
    .string()
    .min(MIN_PASSPHRASE, `at least ${MIN_PASSPHRASE} characters`)
    .max(1024, 'at most 1024 characters'),
);
const pem = lazySchema(() =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(64 * 1024, 'too large for a PEM file'),
);

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

export const createCaRequest = lazySchema(() =>
  z
    .object({
      commonName: z.string().trim().min(1, 'enter a name for the CA').max(64),
      organization: z.string().trim().min(1).max(64).optional(),
      keyType: z.enum(keyTypes),
      validityDays: z.number().int().min(1).max(36500),
      passphrase,
      /** Retire an existing CA (its files are kept aside). */
      replace: z.boolean().optional(),
    })
    .strict(),
);
export type CreateCaRequest = z.output<typeof createCaRequest>;

export const importCaRequest = lazySchema(() =>
  z.union([
    z
      .object({
        format: z.literal('pem'),
        certificatePem: pem,
        keyPem: pem,
        keyPassword: z.string().max(1024).optional(),
        passphrase,
        replace: z.boolean().optional(),
      })
      .strict(),
    z
      .object({
        format: z.literal('pkcs12'),
        pkcs12Base64: z
          .string()
          .min(1)
          .max(256 * 1024),
        pkcs12Password: z.string().max(1024),
        passphrase,
        replace: z.boolean().optional(),
      })
      .strict(),
  ]),
);
export type ImportCaRequest = z.output<typeof importCaRequest>;

export const unlockCaRequest = lazySchema(() =>
  z
    .object({
      /** Omit to use the passphrase kept with safeStorage. */
      passphrase: z.string().min(1, 'enter the passphrase').max(1024).optional(),
      remember: z.boolean().optional(),
    })
    .strict(),
);
export type UnlockCaRequest = z.output<typeof unlockCaRequest>;

export const revocationReasonSchema = lazySchema(() =>
  z.enum(['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation']),
);
export type RevocationReason = z.output<typeof revocationReasonSchema>;

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

export const signCsrRequest = lazySchema(() =>
  z.object({ claimId: claimIdArg, csrPem: pem, policy: certificatePolicySchema.optional() }).strict(),
);
export type SignCsrRequest = z.output<typeof signCsrRequest>;

export const revokeCertificateRequest = lazySchema(() =>
  z
    .object({
      claimId: claimIdArg,
      /** One certificate; default every unrevoked certificate of the unit. */
      serial: z
        .string()
        .regex(/^[0-9A-Fa-f]{2,64}$/, 'a hex serial number')
        .optional(),
      reason: revocationReasonSchema.optional(),
    })
    .strict(),
);
export type RevokeCertificateRequest = z.output<typeof revokeCertificateRequest>;

export interface CrlReport {
  crlPem: string;
  crlNumber: number;
  revokedCount: number;
  thisUpdate: string;
  nextUpdate: string;
}

export const listCertificatesRequest = lazySchema(() =>
  z
    .object({
      claimId: claimIdArg.optional(),
      /** 1..1000, default 200, newest first. */
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
);
export type ListCertificatesRequest = z.output<typeof listCertificatesRequest>;

/** Nothing, null or `{ nextUpdateDays }`; the service always receives an object. */
const exportCrlRequest = lazySchema(() =>
  z
    .union([
      z.undefined(),
      z.null(),
      z.object({ nextUpdateDays: z.number().int().min(1).max(3650).optional() }).strict(),
    ])
    .transform((v) => v ?? {}),
);

export interface ExportCertificatesReport {
  format: 'csv' | 'json';
  text: string;
  count: number;
}

export const certsOperations = {
  getCaStatus: op('certs:get-ca-status', noArgs).returns<CaStatusReport>(),
  createCa: op('certs:create-ca', createCaRequest).returns<CaStatusReport>(),
  importCa: op('certs:import-ca', importCaRequest).returns<CaStatusReport>(),
  unlockCa: op('certs:unlock-ca', unlockCaRequest).returns<CaStatusReport>(),
  lockCa: op('certs:lock-ca', noArgs).returns<CaStatusReport>(),
  listCertificates: op('certs:list', listCertificatesRequest).returns<DeviceCertificateReport[]>(),
  signCsr: op('certs:sign-csr', signCsrRequest).returns<DeviceCertificateReport>(),
  revokeCertificate: op('certs:revoke', revokeCertificateRequest).returns<DeviceCertificateReport[]>(),
  exportCrl: op('certs:export-crl', exportCrlRequest).returns<CrlReport>(),
  exportCertificates: op(
    'certs:export-list',
    lazySchema(() => z.object({ format: exportFormat }).strict()),
  ).returns<ExportCertificatesReport>(),
};

export type CertsOps = OpsOf<typeof certsOperations>;
export const certsChannels = channelsOf(certsOperations);
export const certsSchemas = schemasOf(certsOperations);
