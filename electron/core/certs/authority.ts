/**
 * The factory CA: created or imported once, stored with its key encrypted, unlocked with the
 * passphrase for a shift and locked again (explicitly, or when the process exits: the unlocked
 * key lives only in this process's memory).
 */
import { generateKeyPair, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type {
  CaStatusReport,
  CaSummary,
  CertKeyType,
  CreateCaRequest,
  ImportCaRequest,
} from '../../shared/contract/certs';
import type { Clock, RandomBytes } from '../clock';
import { Failure } from '../failure';
import { buildCertificate } from './build';
import { caPaths, decryptKey, encryptKey, readCa, retireCa, rewrapCaKey, writeCa } from './caFiles';
import { createKeyWrapper, kdfOf, needsRewrap, type KeyWrapper } from './keyWrap';
import { readImport } from './caImport';
import {
  fingerprint256,
  keyTypeOf,
  parseDer,
  pemDecode,
  pemEncode,
  readCertificate,
  spkiDer,
  subjectKeyIdentifierOf,
  toDer,
  type Asn1,
} from './der';
import { noVault, type PassphraseVault } from './vault';

const generate = promisify(generateKeyPair);
const DAY = 86_400_000;
export const EXPIRY_WARNING_DAYS = 90;

/** What issuing needs from an unlocked CA. Never leaves core. */
export interface CaSigner {
  key: KeyObject;
  certDer: Buffer;
  issuerName: Asn1;
  authorityKeyId: Buffer | null;
  notAfter: Date;
  fingerprint: string;
  /** Kept while unlocked only to encrypt escrowed device keys. */
  passphrase: string;
  /** Encrypts an escrowed device key with the passphrase (the KDF runs once per unlock). */
  escrow: KeyWrapper;
}

export interface FactoryCa {
  status(): CaStatusReport;
  create(req: CreateCaRequest): Promise<CaStatusReport>;
  import(req: ImportCaRequest): CaStatusReport;
  unlock(passphrase?: string, remember?: boolean): CaStatusReport;
  lock(): CaStatusReport;
  /** The unlocked CA, or `ca-locked` / `not-found`. */
  signer(): CaSigner;
}

export async function generateKey(type: CertKeyType): Promise<KeyObject> {
  const pair =
    type === 'ec-p256'
      ? await generate('ec', { namedCurve: 'P-256' })
      : await generate('rsa', { modulusLength: type === 'rsa2048' ? 2048 : 3072 });
  return pair.privateKey;
}

export function randomSerial(randomBytes: RandomBytes): string {
  const bytes = randomBytes(16);
  // Positive and exactly 16 bytes in DER: top bit clear, first byte not zero.
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return bytes.toString('hex');
}

export function summarize(certPem: string, now: Date): CaSummary {
  const x509 = new X509Certificate(certPem);
  const der = x509.raw;
  const notAfter = new Date(x509.validTo);
  return {
    subject: x509.subject.split('\n').join(', '),
    keyType: keyTypeOf(x509.publicKey) ?? 'rsa2048',
    fingerprint: fingerprint256(der),
    serial: x509.serialNumber,
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY),
    certificatePem: pemEncode('CERTIFICATE', der),
  };
}

function warningFor(ca: CaSummary): string | null {
  const date = ca.notAfter.slice(0, 10);
  if (ca.daysLeft < 0) return `The factory CA expired on ${date}: create or import a new CA before issuing.`;
  if (ca.daysLeft < EXPIRY_WARNING_DAYS)
    return `The factory CA expires in ${ca.daysLeft} days (${date}): plan its replacement now.`;
  return null;
}

export function createFactoryCa(deps: {
  dataDir: string;
  clock: Clock;
  randomBytes: RandomBytes;
  vault?: PassphraseVault;
  onEvent?: (kind: string, data: Record<string, unknown>) => void;
}): FactoryCa {
  const paths = caPaths(deps.dataDir);
  const vault = deps.vault ?? noVault;
  const emit = deps.onEvent ?? (() => undefined);
  let unlocked: CaSigner | null = null;

  function status(): CaStatusReport {
    const files = readCa(paths);
    const ca = files ? summarize(files.certPem, deps.clock.now()) : null;
    return {
      state: !ca ? 'none' : unlocked && unlocked.fingerprint === ca.fingerprint ? 'unlocked' : 'locked',
      ca,
      rememberAvailable: vault.available,
      remembered: Boolean(ca && vault.available && vault.has(ca.fingerprint)),
      warning: ca ? warningFor(ca) : null,
    };
  }

  function open(certDer: Buffer, key: KeyObject, passphrase: string): CaSigner {
    const { subject, extensions } = readCertificate(certDer);
    return {
      key,
      certDer,
      issuerName: subject,
      authorityKeyId: subjectKeyIdentifierOf(extensions),
      notAfter: new Date(new X509Certificate(certDer).validTo),
      fingerprint: fingerprint256(certDer),
      passphrase,
      escrow: createKeyWrapper(passphrase),
    };
  }

  function install(certDer: Buffer, key: KeyObject, passphrase: string, replace: boolean | undefined): void {
    if (readCa(paths) && !replace)
      throw new Failure(
        'conflict',
        'This station already has a factory CA. Replacing it retires the old one: confirm "replace" to go on.',
      );
    const now = deps.clock.now();
    const retired = retireCa(paths, now.toISOString());
    writeCa(paths, pemEncode('CERTIFICATE', certDer), encryptKey(key, passphrase));
    vault.forget();
    unlocked = open(certDer, key, passphrase);
    if (retired) emit('ca.retired', { movedTo: retired });
  }

  return {
    status,
    async create(req) {
      const key = await generateKey(req.keyType);
      const now = deps.clock.now();
      const certDer = buildCertificate({
        serialHex: randomSerial(deps.randomBytes),
        notBefore: new Date(now.getTime() - 60_000),
        notAfter: new Date(now.getTime() + req.validityDays * DAY),
        subject: { CN: req.commonName, O: req.organization },
        subjectSpki: spkiDer(key),
        kind: 'ca',
        subjectIsRsa: req.keyType !== 'ec-p256',
        signer: key,
      });
      install(certDer, key, req.passphrase, req.replace);
      const report = status();
      emit('ca.created', {
        fingerprint: report.ca?.fingerprint,
        keyType: req.keyType,
        notAfter: report.ca?.notAfter,
      });
      return report;
    },
    import(req) {
      const { certDer, key } = readImport(req);
      install(toDer(parseDer(certDer)), key, req.passphrase, req.replace);
      const report = status();
      emit('ca.imported', {
        fingerprint: report.ca?.fingerprint,
        format: req.format,
        notAfter: report.ca?.notAfter,
      });
      return report;
    },
    unlock(passphrase, remember) {
      const files = readCa(paths);
      if (!files)
        throw new Failure('not-found', 'This station has no factory CA yet: create or import one first.');
      const fingerprint = fingerprint256(pemDecode(files.certPem, 'CERTIFICATE')!);
      const fromVault = passphrase === undefined;
      const secret = passphrase ?? vault.load(fingerprint);
      if (secret === null)
        throw new Failure('validation', 'Enter the CA passphrase to unlock issuing.', {
          field: 'passphrase',
        });
      let key: KeyObject;
      try {
        key = decryptKey(files.keyPem, secret);
      } catch (error) {
        if (fromVault) vault.forget();
        emit('ca.unlock-failed', { fingerprint, saved: fromVault });
        throw error;
      }
      unlocked = open(pemDecode(files.certPem, 'CERTIFICATE')!, key, secret);
      // A key written with an older, weaker KDF is wrapped again now that it is open.
      if (needsRewrap(files.keyPem)) {
        rewrapCaKey(paths, key, secret);
        emit('ca.key-rewrapped', {
          fingerprint,
          kdf: kdfOf(files.keyPem),
          now: kdfOf(readCa(paths)!.keyPem),
        });
      }
      if (remember && vault.available) vault.save(fingerprint, secret);
      emit('ca.unlocked', {
        fingerprint,
        saved: fromVault,
        remembered: Boolean(remember && vault.available),
      });
      return status();
    },
    lock() {
      const was = unlocked !== null;
      unlocked = null;
      if (was) emit('ca.locked', {});
      return status();
    },
    signer() {
      if (unlocked) return unlocked;
      if (!readCa(paths))
        throw new Failure(
          'not-found',
          'This station has no factory CA yet: create or import one in Settings.',
        );
      throw new Failure(
        'ca-locked',
        'The factory CA is locked: unlock it with its passphrase in Settings to issue certificates.',
      );
    },
  };
}
