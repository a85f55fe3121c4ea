import type { CertificatePolicy } from '../../shared/contract/certs';

// The schema is part of the contract (a profile's `certificate` section, signCsr's policy).
export { certificatePolicySchema, keyTypes } from '../../shared/contract/certs';

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
