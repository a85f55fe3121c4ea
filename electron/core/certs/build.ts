/**
 * Builds X.509 certificates: node-forge lays out the TBSCertificate (names, validity, extensions),
 * the SubjectPublicKeyInfo and issuer Name go in as raw ASN.1 (so EC keys and any issuer name
 * work byte for byte), and Node's crypto signs it (RSA PKCS#1 v1.5 or ECDSA, both SHA-256).
 */
import type { KeyObject } from 'node:crypto';
import type Forge from 'node-forge';
import { forge } from './forge';
import { lazyObject } from '../lazyModule';
import {
  algorithmIdentifier,
  keyIdentifier,
  octets,
  parseDer,
  seq,
  signatureOidFor,
  signStructure,
  type Asn1,
} from './der';

const asn1 = lazyObject(() => forge.asn1);
const pki = lazyObject(() => forge.pki);
// Present in node-forge, missing from its type definitions.
const getTBSCertificate = (cert: Forge.pki.Certificate): Asn1 =>
  (pki as unknown as { getTBSCertificate(c: Forge.pki.Certificate): Asn1 }).getTBSCertificate(cert);

export interface NameParts {
  CN: string;
  O?: string | undefined;
  OU?: string | undefined;
}

export interface CertificateSpec {
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  subject: NameParts;
  /** The issuer's Name as it appears in its certificate; omitted = self-signed (issuer = subject). */
  issuerName?: Asn1;
  subjectSpki: Buffer;
  /** The issuer's key identifier (from its certificate), for authorityKeyIdentifier. */
  authorityKeyId?: Buffer | null;
  kind: 'ca' | 'device';
  /** Device key type decides keyEncipherment (RSA only). */
  subjectIsRsa: boolean;
  san?: { dns: string[]; uri: string[]; ip: string[] };
  signer: KeyObject;
}

// A stand-in so forge can lay out the TBS; its SubjectPublicKeyInfo is replaced before signing.
let placeholder: Forge.pki.rsa.PublicKey | undefined;
const placeholderKey = (): Forge.pki.rsa.PublicKey =>
  (placeholder ??= pki.setRsaPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('3')));

function nameAttributes(name: NameParts): Forge.pki.CertificateField[] {
  const attrs: Forge.pki.CertificateField[] = [];
  if (name.O) attrs.push({ shortName: 'O', value: forge.util.encodeUtf8(name.O) });
  if (name.OU) attrs.push({ shortName: 'OU', value: forge.util.encodeUtf8(name.OU) });
  attrs.push({ shortName: 'CN', value: forge.util.encodeUtf8(name.CN) });
  return attrs;
}

function extensionsFor(spec: CertificateSpec): object[] {
  const ski = keyIdentifier(spec.subjectSpki);
  const exts: object[] = [];
  if (spec.kind === 'ca') {
    exts.push(
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    );
  } else {
    exts.push(
      { name: 'basicConstraints', cA: false, critical: true },
      {
        name: 'keyUsage',
        digitalSignature: true,
        keyEncipherment: spec.subjectIsRsa,
        critical: true,
      },
      { name: 'extKeyUsage', clientAuth: true },
    );
  }
  exts.push({ name: 'subjectKeyIdentifier', value: octets(ski) });
  const aki = spec.kind === 'ca' && !spec.issuerName ? ski : spec.authorityKeyId;
  if (aki) {
    exts.push({
      name: 'authorityKeyIdentifier',
      value: seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, aki.toString('binary'))]),
    });
  }
  const san = spec.san;
  if (san && san.dns.length + san.uri.length + san.ip.length > 0) {
    exts.push({
      name: 'subjectAltName',
      altNames: [
        ...san.dns.map((value) => ({ type: 2, value })),
        ...san.uri.map((value) => ({ type: 6, value })),
        ...san.ip.map((ip) => ({ type: 7, ip })),
      ],
    });
  }
  return exts;
}

/** Returns the signed certificate's DER. */
export function buildCertificate(spec: CertificateSpec): Buffer {
  const cert = pki.createCertificate();
  cert.serialNumber = spec.serialHex;
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  const subject = nameAttributes(spec.subject);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.publicKey = placeholderKey();
  const sigOid = signatureOidFor(spec.signer);
  cert.siginfo.algorithmOid = sigOid;
  cert.setExtensions(extensionsFor(spec));
  const tbs = getTBSCertificate(cert);
  const fields = tbs.value as Asn1[];
  // [0] version, serial, signature, issuer, validity, subject, spki, [3] extensions
  fields[2] = algorithmIdentifier(sigOid);
  if (spec.issuerName) fields[3] = spec.issuerName;
  fields[6] = parseDer(spec.subjectSpki);
  return signStructure(tbs, spec.signer);
}
