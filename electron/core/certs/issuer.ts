/**
 * Device certificates: CN = claim ID (+ the profile's O/OU), a random 128-bit serial, validity
 * from the profile (never past the CA's own expiry), clientAuth. Two key paths: the station
 * makes the key (returned once, to be written to the unit, and only kept if the profile asks for
 * escrow, encrypted), or the unit makes it and sends a CSR.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import type {
  CertificatePolicy,
  CertKeyType,
  DeviceCertificateReport,
  RevocationReason,
} from '../../shared/contract/certs';
import type { Clock, RandomBytes } from '../clock';
import { Failure } from '../failure';
import type { Store } from '../store';
import { normalizeClaimIdInput } from '../store/units';
import { generateKey, randomSerial, type FactoryCa } from './authority';
import { buildCertificate } from './build';
import { checkCsr } from './csr';
import { describeKey, fingerprint256, pemEncode, spkiDer } from './der';
import { sanFor } from './policy';
import { createKeyPool, type KeyPool } from './keyPool';
import { createCertRepo, toReport, type CertRepo } from './repo';

const DAY = 86_400_000;

export interface HostIssued {
  /** certs/ioto.crt on the unit. */
  certificatePem: string;
  /** certs/ioto.key on the unit (PKCS#8 PEM, write it with mode 0600). Not stored unless escrowed. */
  keyPem: string;
  record: DeviceCertificateReport;
}

export interface DeviceCertificates {
  repo: CertRepo;
  /** Host keys made ahead, refilled in the background (keyPool.ts). */
  keys: KeyPool;
  issueWithHostKey(claimId: string, policy: CertificatePolicy): Promise<HostIssued>;
  signCsr(claimId: string, csrPem: string, policy?: CertificatePolicy): DeviceCertificateReport;
  revoke(claimId: string, serial: string | undefined, reason: RevocationReason): DeviceCertificateReport[];
  list(claimId: string | undefined, limit: number): DeviceCertificateReport[];
}

export function createDeviceCertificates(deps: {
  store: Store;
  ca: FactoryCa;
  clock: Clock;
  randomBytes: RandomBytes;
  keys?: KeyPool;
}): DeviceCertificates {
  const { store, ca, clock } = deps;
  const repo = createCertRepo(store.db);
  const keys = deps.keys ?? createKeyPool({ generate: generateKey });

  function unitId(claimId: string): string {
    const unit = store.units.get(claimId);
    if (!unit)
      throw new Failure(
        'not-found',
        `No unit with claim ID ${claimId} on this station: a certificate is issued for a known unit.`,
        {
          field: 'claimId',
        },
      );
    if (unit.state === 'voided')
      throw new Failure('conflict', `Unit ${unit.claimId} is voided: it gets no certificate.`, {
        field: 'claimId',
      });
    return unit.claimId;
  }

  function issue(
    claimId: string,
    publicKey: KeyObject,
    keyType: CertKeyType,
    source: CertificatePolicy['keySource'],
    policy: CertificatePolicy,
    escrowKeyPem: string | null,
    keyFileSha256: string | null = null,
  ): DeviceCertificateReport {
    const signer = ca.signer();
    const now = clock.now();
    if (signer.notAfter.getTime() <= now.getTime())
      throw new Failure('conflict', 'The factory CA has expired: create or import a new CA before issuing.');
    const notAfter = new Date(Math.min(now.getTime() + policy.validityDays * DAY, signer.notAfter.getTime()));
    const notBefore = new Date(now.getTime() - 60_000);
    const subject = { CN: claimId, O: policy.subject.O, OU: policy.subject.OU };
    for (let attempt = 0; ; attempt++) {
      const serialHex = randomSerial(deps.randomBytes);
      if (repo.get(serialHex.toUpperCase())) {
        if (attempt < 5) continue;
        throw new Failure(
          'conflict',
          'Could not draw an unused certificate serial number: check the random source.',
        );
      }
      const der = buildCertificate({
        serialHex,
        notBefore,
        notAfter,
        subject,
        issuerName: signer.issuerName,
        authorityKeyId: signer.authorityKeyId,
        subjectSpki: spkiDer(publicKey),
        kind: 'device',
        subjectIsRsa: publicKey.asymmetricKeyType === 'rsa',
        san: sanFor(policy, claimId),
        signer: signer.key,
      });
      const x509 = new X509Certificate(der);
      const row = {
        serial: x509.serialNumber.toUpperCase(),
        claim_id: claimId,
        subject: x509.subject.split('\n').join(', '),
        key_type: keyType,
        key_source: source,
        fingerprint: fingerprint256(der),
        not_before: new Date(x509.validFrom).toISOString(),
        not_after: new Date(x509.validTo).toISOString(),
        issued_at: now.toISOString(),
        ca_fingerprint: signer.fingerprint,
        cert_pem: pemEncode('CERTIFICATE', der),
        escrow_key_pem: escrowKeyPem,
        key_file_sha256: keyFileSha256,
      };
      store.transaction(() => {
        // One valid certificate per unit: the ones it had are superseded in the same transaction.
        for (const old of repo.forUnit(claimId, 1000))
          if (!old.revoked_at && repo.revoke(old.serial, now.toISOString(), 'superseded'))
            store.events.append({
              kind: 'cert.revoked',
              claimId,
              data: { serial: old.serial, reason: 'superseded', supersededBy: row.serial },
            });
        repo.insert(row);
        store.events.append({
          kind: 'cert.issued',
          claimId,
          data: {
            serial: row.serial,
            fingerprint: row.fingerprint,
            notAfter: row.not_after,
            keyType,
            keySource: source,
            escrowed: escrowKeyPem !== null,
          },
        });
      });
      return toReport(repo.get(row.serial)!);
    }
  }

  return {
    repo,
    keys,
    async issueWithHostKey(claimId, policy) {
      const id = unitId(claimId);
      ca.signer(); // fail fast when locked, before spending time on a key
      const key = await keys.take(policy.keyType);
      const keyPem = key.export({ type: 'pkcs8', format: 'pem' }) as string;
      const escrow = policy.escrow ? ca.signer().escrow.wrap(key) : null;
      const keyHash = createHash('sha256').update(keyPem).digest('hex');
      const record = issue(id, key, policy.keyType, 'host', policy, escrow, keyHash);
      return { certificatePem: record.certificatePem, keyPem, record };
    },
    signCsr(claimId, csrPem, policy) {
      const id = unitId(claimId);
      ca.signer();
      const csr = checkCsr(csrPem);
      if (csr.commonName !== id)
        throw new Failure(
          'csr-refused',
          `The certificate request names ${csr.commonName ?? 'no claim ID'}, not this unit (${id}): it is not signed.`,
          { detail: `CSR subject: ${csr.subject || '(empty)'}` },
        );
      if (!csr.keyType || (policy && csr.keyType !== policy.keyType))
        throw new Failure(
          'csr-refused',
          `The unit made a ${describeKey(csr.publicKey)} key; the profile asks for ${policy?.keyType ?? 'RSA-2048, RSA-3072 or EC P-256'}.`,
        );
      const effective: CertificatePolicy = policy ?? {
        keyType: csr.keyType,
        keySource: 'device',
        validityDays: 3650,
        subject: {},
        escrow: false,
      };
      return issue(id, csr.publicKey, csr.keyType, 'device', effective, null);
    },
    revoke(claimId, serial, reason) {
      const id = normalizeClaimIdInput(claimId);
      const targets = repo
        .forUnit(id, 1000)
        .filter((r) => !r.revoked_at && (!serial || r.serial === serial.toUpperCase()));
      if (targets.length === 0)
        throw new Failure(
          'not-found',
          `Unit ${id} has no unrevoked certificate${serial ? ` with serial ${serial}` : ''}.`,
          {
            field: serial ? 'serial' : 'claimId',
          },
        );
      const at = clock.now().toISOString();
      store.transaction(() => {
        for (const row of targets) {
          repo.revoke(row.serial, at, reason);
          store.events.append({ kind: 'cert.revoked', claimId: id, data: { serial: row.serial, reason } });
        }
      });
      return targets.map((r) => toReport(repo.get(r.serial)!));
    },
    list(claimId, limit) {
      const rows = claimId ? repo.forUnit(normalizeClaimIdInput(claimId), limit) : repo.recent(limit);
      return rows.map(toReport);
    },
  };
}
