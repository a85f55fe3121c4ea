/**
 * The certificate files the station run writes to a unit, for either key source:
 * - host: the station makes the key; certs/ioto.crt and certs/ioto.key (0600) are written;
 * - device: the unit makes its key (certs/ioto.key stays on it, never seen by the station) and
 *   returns a CSR through its session; the CSR's signature and CN are checked before signing, and
 *   only certs/ioto.crt is written.
 * Both are written 0600 (ioto-contracts.md §1). On a rework, a host-key unit that still holds the
 * key file written with its valid certificate keeps both: only the certificate is written again (the
 * key is not kept at the station to write). Otherwise the new certificate supersedes the old one,
 * which is revoked in the same transaction (issuer.ts).
 */
import type { CertificatePolicy } from '../../shared/contract/certs';
import { Failure } from '../failure';
import type { Store } from '../store';
import type { DeviceFile, DeviceSession, TransferOptions } from '../transport/types';
import type { FactoryCa } from './authority';
import type { DeviceCertificates } from './issuer';
import type { CertRow } from './repo';

export const CERT_PATH = 'certs/ioto.crt';
export const KEY_PATH = 'certs/ioto.key';

export interface CertificateFilesRequest {
  claimId: string;
  policy: CertificatePolicy;
  /**
   * The open session with the unit: `requestCsr` for device keys; `verifyFiles` (hashes only) to
   * find whether a reworked unit still holds its key.
   */
  session: Partial<Pick<DeviceSession, 'requestCsr' | 'verifyFiles'>>;
  options?: TransferOptions;
}

export function createCertificateFiles(deps: { store: Store; ca: FactoryCa; devices: DeviceCertificates }) {
  return async function certificateFilesFor(request: CertificateFilesRequest): Promise<DeviceFile[]> {
    const { claimId, policy, session } = request;
    if (policy.keySource === 'host') {
      const kept = await reusable(claimId, policy, session);
      if (kept) {
        deps.store.events.append({
          kind: 'cert.reused',
          claimId,
          data: { serial: kept.serial, reason: 'the unit still holds the key written with it' },
        });
        return [{ path: CERT_PATH, content: Buffer.from(kept.cert_pem), mode: 0o600 }];
      }
      const issued = await deps.devices.issueWithHostKey(claimId, policy);
      return [
        { path: CERT_PATH, content: Buffer.from(issued.certificatePem), mode: 0o600 },
        { path: KEY_PATH, content: Buffer.from(issued.keyPem), mode: 0o600 },
      ];
    }
    if (!session.requestCsr)
      throw new Failure(
        'device-refused',
        "This unit's transport cannot ask it for a certificate request. Set the profile's certificate keySource to host.",
      );
    // Fail before the unit replaces its key: a locked CA or an unknown unit would waste it.
    deps.ca.signer();
    const unit = deps.store.units.get(claimId);
    if (!unit)
      throw new Failure(
        'not-found',
        `No unit with claim ID ${claimId} on this station: a certificate is issued for a known unit.`,
        { field: 'claimId' },
      );
    const csrPem = await session.requestCsr(
      {
        claimId: unit.claimId,
        keyType: policy.keyType,
        subject: { O: policy.subject.O, OU: policy.subject.OU },
      },
      request.options,
    );
    const record = deps.devices.signCsr(unit.claimId, csrPem, policy);
    return [{ path: CERT_PATH, content: Buffer.from(record.certificatePem), mode: 0o600 }];
  };

  /**
   * The unit's latest certificate, when it is still valid for this policy and CA and the unit's key
   * file hashes to the one written with it (read over the session: only its hash, never the key).
   */
  async function reusable(
    claimId: string,
    policy: CertificatePolicy,
    session: CertificateFilesRequest['session'],
  ): Promise<CertRow | null> {
    if (!session.verifyFiles) return null;
    const latest = deps.devices.repo.forUnit(claimId, 1)[0];
    if (!latest || latest.revoked_at || !latest.key_file_sha256 || latest.key_source !== 'host') return null;
    const signer = deps.ca.signer();
    const soon = Date.now() + 86_400_000;
    if (
      latest.ca_fingerprint !== signer.fingerprint ||
      latest.key_type !== policy.keyType ||
      Date.parse(latest.not_after) <= soon
    )
      return null;
    const [key] = await session.verifyFiles([{ path: KEY_PATH, content: Buffer.alloc(0), mode: 0o600 }]);
    return key?.algorithm === 'sha256' && key.actual === latest.key_file_sha256 ? latest : null;
  }
}
