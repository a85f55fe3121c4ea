/**
 * Small ASN.1/DER helpers over node-forge's asn1 module. node-forge only understands RSA keys, so
 * everything that touches an EC key (SubjectPublicKeyInfo, ECDSA signatures) is handled here as
 * raw ASN.1, and every signature is made and checked by Node's crypto.
 */
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import type Forge from 'node-forge';
import { forge } from './forge';
import { lazyObject } from '../lazyModule';
import type { CertKeyType } from '../../shared/contract/certs';

const asn1 = lazyObject(() => forge.asn1);
export type Asn1 = Forge.asn1.Asn1;

export const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
} as const;

export const toBinary = (buf: Buffer): string => buf.toString('binary');
export const fromBinary = (bytes: string): Buffer => Buffer.from(bytes, 'binary');

export function parseDer(der: Buffer): Asn1 {
  // decodeBitStrings is a real option the type definitions do not list.
  const fromDer = asn1.fromDer as unknown as (
    bytes: string,
    options: { strict: boolean; decodeBitStrings: boolean },
  ) => Asn1;
  return fromDer(toBinary(der), { strict: true, decodeBitStrings: false });
}

export function toDer(node: Asn1): Buffer {
  return fromBinary(asn1.toDer(node).getBytes());
}

export function seq(items: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

export function oidNode(oid: string): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes());
}

export function octets(bytes: Buffer): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, toBinary(bytes));
}

export function bitString(bytes: Buffer): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\u0000' + toBinary(bytes));
}

export function integerFromHex(hex: string): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
}

export function smallInteger(n: number): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
export function timeNode(date: Date): Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

/** The signature algorithm a CA key signs with: SHA-256 with RSA or ECDSA. */
export function signatureOidFor(key: KeyObject): string {
  return key.asymmetricKeyType === 'ec' ? OID.ecdsaWithSHA256 : OID.sha256WithRSA;
}

/** AlgorithmIdentifier: RSA PKCS#1 v1.5 carries NULL parameters, ECDSA none (RFC 5758). */
export function algorithmIdentifier(oid: string): Asn1 {
  const items = [oidNode(oid)];
  if (!oid.startsWith('1.2.840.10045.'))
    items.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''));
  return seq(items);
}

/** Signs `tbs` with Node's crypto and wraps it as Certificate / CertificateList. */
export function signStructure(tbs: Asn1, signer: KeyObject): Buffer {
  const oid = signatureOidFor(signer);
  const signature = sign('sha256', toDer(tbs), signer);
  return toDer(seq([tbs, algorithmIdentifier(oid), bitString(signature)]));
}

export function spkiDer(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' });
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes. */
export function keyIdentifier(spki: Buffer): Buffer {
  const node = parseDer(spki);
  const bits = (node.value as Asn1[])[1]!.value as string;
  return createHash('sha1').update(fromBinary(bits).subarray(1)).digest();
}

export function keyTypeOf(key: KeyObject): CertKeyType | null {
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength;
    return bits === 2048 ? 'rsa2048' : bits === 3072 ? 'rsa3072' : null;
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ec-p256';
  return null;
}

export function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails;
  return `${key.asymmetricKeyType ?? 'unknown'}${d?.modulusLength ? `-${d.modulusLength}` : ''}${d?.namedCurve ? ` ${d.namedCurve}` : ''}`;
}

/** A Name's attributes as `O=..., CN=...` text, and its CN. */
export function readName(name: Asn1): { text: string; commonName: string | null } {
  const short: Record<string, string> = {
    '2.5.4.3': 'CN',
    '2.5.4.6': 'C',
    '2.5.4.7': 'L',
    '2.5.4.8': 'ST',
    '2.5.4.10': 'O',
    '2.5.4.11': 'OU',
    '2.5.4.5': 'serialNumber',
  };
  const parts: string[] = [];
  let commonName: string | null = null;
  for (const rdn of name.value as Asn1[]) {
    for (const attr of rdn.value as Asn1[]) {
      const [type, value] = attr.value as Asn1[];
      const oid = asn1.derToOid(type!.value as string);
      const text = forge.util.decodeUtf8(value!.value as string);
      if (oid === OID.commonName) commonName = text;
      parts.push(`${short[oid] ?? oid}=${text}`);
    }
  }
  return { text: parts.join(', '), commonName };
}

/** The fields of a certificate's TBSCertificate that the CA needs from its own certificate. */
export function readCertificate(der: Buffer): { subject: Asn1; spki: Asn1; extensions: Asn1[] } {
  const tbs = (parseDer(der).value as Asn1[])[0]!;
  const fields = tbs.value as Asn1[];
  const offset = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const explicit = fields.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
  const extensions = explicit ? ((explicit.value as Asn1[])[0]!.value as Asn1[]) : [];
  return { subject: fields[offset + 4]!, spki: fields[offset + 5]!, extensions };
}

/** The subjectKeyIdentifier extension's bytes, if present. */
export function subjectKeyIdentifierOf(extensions: Asn1[]): Buffer | null {
  for (const ext of extensions) {
    const parts = ext.value as Asn1[];
    if (asn1.derToOid(parts[0]!.value as string) !== OID.subjectKeyIdentifier) continue;
    const inner = asn1.fromDer(parts.at(-1)!.value as string);
    return fromBinary(inner.value as string);
  }
  return null;
}

export function pemEncode(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

export function pemDecode(pem: string, label: string): Buffer | null {
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  return match ? Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64') : null;
}

export function fingerprint256(der: Buffer): string {
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}
