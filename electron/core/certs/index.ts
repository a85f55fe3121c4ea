/**
 * The factory CA and device certificates, as one core subsystem. The station run calls
 * `issueWithHostKey` / `signCsr`; the certs service exposes the rest to every transport.
 */
import type { CrlReport, ExportCertificatesReport } from '../../shared/contract/certs';
import type { Clock, RandomBytes } from '../clock';
import type { Store } from '../store';
import { createFactoryCa, type FactoryCa } from './authority';
import { buildCrl } from './crl';
import { createCertificateFiles, type CertificateFilesRequest } from './deviceFiles';
import type { DeviceFile } from '../transport/types';
import { pemEncode } from './der';
import { createDeviceCertificates, type DeviceCertificates } from './issuer';
import { toReport } from './repo';
import type { PassphraseVault } from './vault';

const DAY = 86_400_000;

export interface Certificates extends DeviceCertificates {
  ca: FactoryCa;
  /**
   * The certificate files to write to a unit for the profile's key source: host -> certs/ioto.crt
   * and certs/ioto.key (0600); device -> the unit makes its key and a CSR through `session`, and
   * only certs/ioto.crt comes back. Throws `device-refused` when the session cannot make CSRs.
   */
  certificateFilesFor(request: CertificateFilesRequest): Promise<DeviceFile[]>;
  exportCrl(nextUpdateDays: number): CrlReport;
  exportList(format: 'csv' | 'json'): ExportCertificatesReport;
}

const CSV_COLUMNS = [
  'serial',
  'claimId',
  'subject',
  'keyType',
  'keySource',
  'fingerprint',
  'notBefore',
  'notAfter',
  'issuedAt',
  'revokedAt',
  'revocationReason',
  'caFingerprint',
] as const;

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function createCertificates(deps: {
  dataDir: string;
  store: Store;
  clock: Clock;
  randomBytes: RandomBytes;
  vault?: PassphraseVault;
}): Certificates {
  const { store, clock } = deps;
  const ca = createFactoryCa({
    dataDir: deps.dataDir,
    clock,
    randomBytes: deps.randomBytes,
    ...(deps.vault ? { vault: deps.vault } : {}),
    onEvent: (kind, data) => store.events.append({ kind, data }),
  });
  const devices = createDeviceCertificates({ store, ca, clock, randomBytes: deps.randomBytes });
  return {
    ...devices,
    ca,
    certificateFilesFor: createCertificateFiles({ store, ca, devices }),
    exportCrl(nextUpdateDays) {
      const signer = ca.signer();
      const now = clock.now();
      const revoked = devices.repo.revokedFor(signer.fingerprint);
      const crlNumber = store.transaction(() => devices.repo.nextCrlNumber(signer.fingerprint));
      const nextUpdate = new Date(now.getTime() + nextUpdateDays * DAY);
      const der = buildCrl({
        issuerName: signer.issuerName,
        authorityKeyId: signer.authorityKeyId,
        thisUpdate: now,
        nextUpdate,
        crlNumber,
        revoked: revoked.map((r) => ({
          serialHex: r.serial,
          revokedAt: new Date(r.revoked_at!),
          reason: r.revocation_reason ?? 'unspecified',
        })),
        signer: signer.key,
      });
      store.events.append({ kind: 'crl.exported', data: { crlNumber, revokedCount: revoked.length } });
      return {
        crlPem: pemEncode('X509 CRL', der),
        crlNumber,
        revokedCount: revoked.length,
        thisUpdate: now.toISOString(),
        nextUpdate: nextUpdate.toISOString(),
      };
    },
    exportList(format) {
      const rows = devices.repo.all().map(toReport);
      if (format === 'json') {
        const items = rows.map(({ certificatePem: _pem, escrowed: _e, ...rest }) => rest);
        return { format, text: JSON.stringify(items, null, 2) + '\n', count: items.length };
      }
      const lines = [
        CSV_COLUMNS.join(','),
        ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(',')),
      ];
      return { format, text: lines.join('\n') + '\n', count: rows.length };
    },
  };
}

export { certificatePolicySchema, defaultCertificatePolicy, keyTypes, sanFor } from './policy';
export { checkCsr } from './csr';
export type { HostIssued, DeviceCertificates } from './issuer';
export type { CertificateFilesRequest } from './deviceFiles';
export { CERT_PATH, KEY_PATH } from './deviceFiles';
export type { FactoryCa, CaSigner } from './authority';
export type { PassphraseVault } from './vault';
