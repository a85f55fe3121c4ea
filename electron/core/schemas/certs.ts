import { z } from 'zod';
import type { CertsOps } from '../../shared/contract';
import { certificatePolicySchema, keyTypes } from '../certs/policy';
import { MIN_PASSPHRASE } from '../certs/caFiles';
import { claimIdArg, noArgs } from './common';
import type { SchemaMap } from './types';

const passphrase = z
  .string()
  .min(MIN_PASSPHRASE, `at least ${MIN_PASSPHRASE} characters`)
  .max(1024, 'at most 1024 characters');
const pem = z
  .string()
  .min(1, 'must not be empty')
  .max(64 * 1024, 'too large for a PEM file');
const reason = z.enum([
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
]);
const serial = z.string().regex(/^[0-9A-Fa-f]{2,64}$/, 'a hex serial number');

export const certsSchemas = {
  getCaStatus: noArgs,
  createCa: z
    .object({
      commonName: z.string().trim().min(1, 'enter a name for the CA').max(64),
      organization: z.string().trim().min(1).max(64).optional(),
      keyType: z.enum(keyTypes),
      validityDays: z.number().int().min(1).max(36500),
      passphrase,
      replace: z.boolean().optional(),
    })
    .strict(),
  importCa: z.union([
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
  unlockCa: z
    .object({
      passphrase: z.string().min(1, 'enter the passphrase').max(1024).optional(),
      remember: z.boolean().optional(),
    })
    .strict(),
  lockCa: noArgs,
  listCertificates: z
    .object({ claimId: claimIdArg.optional(), limit: z.number().int().min(1).max(1000).optional() })
    .strict(),
  signCsr: z
    .object({ claimId: claimIdArg, csrPem: pem, policy: certificatePolicySchema.optional() })
    .strict(),
  revokeCertificate: z
    .object({ claimId: claimIdArg, serial: serial.optional(), reason: reason.optional() })
    .strict(),
  exportCrl: z
    .union([
      z.undefined(),
      z.null(),
      z.object({ nextUpdateDays: z.number().int().min(1).max(3650).optional() }).strict(),
    ])
    .transform((v) => v ?? {}),
  exportCertificates: z.object({ format: z.enum(['csv', 'json']) }).strict(),
} satisfies SchemaMap<CertsOps>;
