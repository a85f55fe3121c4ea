import type { CertsOps } from '../../shared/contract';
import type { Certificates } from '../certs';
import type { ServiceImpl } from './types';

export function createCertsService(deps: { certs: Certificates }): ServiceImpl<CertsOps> {
  const { certs } = deps;
  return {
    getCaStatus: () => certs.ca.status(),
    createCa: (req) => certs.ca.create(req),
    importCa: (req) => certs.ca.import(req),
    unlockCa: ({ passphrase, remember }) => certs.ca.unlock(passphrase, remember),
    lockCa: () => certs.ca.lock(),
    listCertificates: ({ claimId, limit }) => certs.list(claimId, limit ?? 200),
    signCsr: ({ claimId, csrPem, policy }) => certs.signCsr(claimId, csrPem, policy),
    revokeCertificate: ({ claimId, serial, reason }) =>
      certs.revoke(claimId, serial, reason ?? 'unspecified'),
    exportCrl: ({ nextUpdateDays }) => certs.exportCrl(nextUpdateDays ?? 30),
    exportCertificates: ({ format }) => certs.exportList(format),
  };
}
