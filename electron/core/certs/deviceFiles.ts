/**
 * The certificate files the station run writes to a unit, for either key source:
 * - host: the station makes the key; certs/ioto.crt and certs/ioto.key (0600) are written;
 * - device: the unit makes its key (certs/ioto.key stays on it, never seen by the station) and
 *   returns a CSR through its session; the CSR's signature and CN are checked before signing, and
 *   only certs/ioto.crt is written.
 */
import type { CertificatePolicy } from '../../shared/contract/certs';
import { Failure } from '../failure';
import type { Store } from '../store';
import type { DeviceFile, DeviceSession, TransferOptions } from '../transport/types';
import type { FactoryCa } from './authority';
import type { DeviceCertificates } from './issuer';

export const CERT_PATH = 'certs/ioto.crt';
export const KEY_PATH = 'certs/ioto.key';

export interface CertificateFilesRequest {
  claimId: string;
  policy: CertificatePolicy;
  /** The open session with the unit (used only when the policy's keySource is `device`). */
  session: Pick<DeviceSession, 'requestCsr'>;
  options?: TransferOptions;
}

export function createCertificateFiles(deps: { store: Store; ca: FactoryCa; devices: DeviceCertificates }) {
  return async function certificateFilesFor(request: CertificateFilesRequest): Promise<DeviceFile[]> {
    const { claimId, policy, session } = request;
    if (policy.keySource === 'host') {
      const issued = await deps.devices.issueWithHostKey(claimId, policy);
      return [
        { path: CERT_PATH, content: Buffer.from(issued.certificatePem), mode: 0o644 },
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
    return [{ path: CERT_PATH, content: Buffer.from(record.certificatePem), mode: 0o644 }];
  };
}
