/**
 * PKCS#10 requests from units that make their own key (RSA or EC P-256). node-forge cannot read
 * EC requests, so the request is read as raw ASN.1 and its signature checked by Node's crypto.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { forge } from './forge';
import { Failure } from '../failure';
import {
  describeKey,
  keyTypeOf,
  OID,
  parseDer,
  readName,
  toDer,
  fromBinary,
  pemDecode,
  type Asn1,
} from './der';
import type { CertKeyType } from '../../shared/contract/certs';

const hashFor: Record<string, string> = {
  [OID.sha256WithRSA]: 'sha256',
  [OID.sha384WithRSA]: 'sha384',
  [OID.sha512WithRSA]: 'sha512',
  [OID.ecdsaWithSHA256]: 'sha256',
  [OID.ecdsaWithSHA384]: 'sha384',
  [OID.ecdsaWithSHA512]: 'sha512',
};

export interface CheckedCsr {
  commonName: string | null;
  subject: string;
  publicKey: KeyObject;
  spki: Buffer;
  keyType: CertKeyType | null;
}

function refuse(message: string, detail: string): never {
  throw new Failure('csr-refused', message, { detail });
}

/** Parses a CSR and checks its self-signature. Throws `csr-refused` for anything wrong. */
export function checkCsr(pem: string): CheckedCsr {
  const der = pemDecode(pem, 'CERTIFICATE REQUEST') ?? pemDecode(pem, 'NEW CERTIFICATE REQUEST');
  if (!der)
    refuse('The unit did not return a certificate request (no CSR in its answer).', pem.slice(0, 200));
  let parts: Asn1[];
  try {
    parts = parseDer(der).value as Asn1[];
  } catch (error) {
    refuse('The certificate request from the unit is damaged (it is not valid DER).', String(error));
  }
  const [info, algorithm, signature] = parts;
  if (!info || !algorithm || !signature || !Array.isArray(info.value) || !Array.isArray(algorithm.value))
    refuse('The certificate request from the unit is damaged (missing parts).', 'not a CertificationRequest');
  const fields = info.value as Asn1[];
  const subject = fields[1];
  const spkiNode = fields[2];
  if (!subject || !spkiNode)
    refuse('The certificate request from the unit is damaged (no subject or key).', '');
  const sigOid = forge.asn1.derToOid((algorithm.value as Asn1[])[0]!.value as string);
  const hash = hashFor[sigOid];
  if (!hash)
    refuse('The unit signed its certificate request with an algorithm Lineside does not accept.', sigOid);
  const spki = toDer(spkiNode);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (error) {
    refuse('The certificate request carries a public key Lineside cannot read.', String(error));
  }
  const sigBytes = fromBinary(signature.value as string).subarray(1);
  let good: boolean;
  try {
    good = verify(hash, toDer(info), publicKey, sigBytes);
  } catch {
    good = false;
  }
  if (!good)
    refuse(
      'The certificate request has a bad signature: it was damaged on the way or not made by the unit. Ask the unit for a new one.',
      `signature ${sigOid} does not verify with the request's ${describeKey(publicKey)} key`,
    );
  const name = readName(subject);
  return { commonName: name.commonName, subject: name.text, publicKey, spki, keyType: keyTypeOf(publicKey) };
}
