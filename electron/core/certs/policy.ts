import { z } from 'zod';
import type { CertificatePolicy } from '../../shared/contract/certs';

/**
 * A profile's `certificate` section: how a unit's client certificate is made. The profile module
 * embeds `certificatePolicySchema`; the station run passes the parsed policy to the issuer.
 */
export const keyTypes = ['rsa2048', 'rsa3072', 'ec-p256'] as const;

const dnValue = z.string().trim().min(1).max(64, 'at most 64 characters');
const sanValue = z.string().trim().min(1).max(253);

export const certificatePolicySchema = z
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
  .strict() satisfies z.ZodType<CertificatePolicy, unknown>;

export const defaultCertificatePolicy: CertificatePolicy = {
  keyType: 'ec-p256',
  keySource: 'host',
  validityDays: 3650,
  subject: {},
  escrow: false,
};

/** The SAN values for one unit, with `{claimId}` filled in. */
export function sanFor(
  policy: CertificatePolicy,
  claimId: string,
): { dns: string[]; uri: string[]; ip: string[] } {
  const fill = (values: string[] | undefined) =>
    (values ?? []).map((v) => v.replaceAll('{claimId}', claimId));
  return { dns: fill(policy.san?.dns), uri: fill(policy.san?.uri), ip: policy.san?.ip ?? [] };
}
