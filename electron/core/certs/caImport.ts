/** Reads an existing CA (certificate + key) from PEM or PKCS#12 and checks that they belong together. */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type Forge from 'node-forge';
import { forge } from './forge';
import type { ImportCaRequest } from '../../shared/contract/certs';
import { Failure } from '../failure';
import { fromBinary, keyTypeOf, pemDecode, toBinary, toDer } from './der';

export interface ImportedCa {
  certDer: Buffer;
  key: KeyObject;
}

function readPemKey(pem: string, password: string | undefined): KeyObject {
  const encrypted = pem.includes('ENCRYPTED');
  if (encrypted && !password)
    throw new Failure('validation', 'The CA key file is encrypted: enter its password.', {
      field: 'keyPassword',
    });
  try {
    return createPrivateKey({ key: pem, format: 'pem', ...(password ? { passphrase: password } : {}) });
  } catch (error) {
    if (encrypted)
      throw new Failure(
        'bad-passphrase',
        'That password does not open the CA key file. Check it and try again.',
        {
          detail: String(error),
          field: 'keyPassword',
        },
      );
    throw new Failure('validation', 'The CA key is not a PEM private key Lineside can read.', {
      detail: String(error),
      field: 'keyPem',
    });
  }
}

function readPkcs12(base64: string, password: string): { certs: Buffer[]; keys: KeyObject[] } {
  const { pki, pkcs12, asn1 } = forge;
  let p12: Forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = pkcs12.pkcs12FromAsn1(
      asn1.fromDer(toBinary(Buffer.from(base64, 'base64')), false),
      false,
      password,
    );
  } catch (error) {
    const text = String(error);
    if (/MAC could not be verified|Invalid password|decrypt/i.test(text))
      throw new Failure(
        'bad-passphrase',
        'That password does not open the PKCS#12 file. Check it and try again.',
        {
          detail: text,
          field: 'pkcs12Password',
        },
      );
    throw new Failure('validation', 'The file is not a PKCS#12 (.p12/.pfx) bundle Lineside can read.', {
      detail: text,
      field: 'pkcs12Base64',
    });
  }
  const certs: Buffer[] = [];
  const keys: KeyObject[] = [];
  const certBag = pki.oids.certBag!;
  for (const bag of p12.getBags({ bagType: certBag })[certBag] ?? []) {
    const node = bag.cert ? pki.certificateToAsn1(bag.cert) : (bag as { asn1?: Forge.asn1.Asn1 }).asn1;
    if (node) certs.push(toDer(node));
  }
  for (const type of [pki.oids.pkcs8ShroudedKeyBag!, pki.oids.keyBag!]) {
    for (const bag of p12.getBags({ bagType: type })[type] ?? []) {
      if (bag.key) {
        const der = fromBinary(
          asn1.toDer(pki.privateKeyToAsn1(bag.key as Forge.pki.rsa.PrivateKey)).getBytes(),
        );
        keys.push(createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }));
      } else {
        const node = (bag as { asn1?: Forge.asn1.Asn1 }).asn1;
        if (node) keys.push(createPrivateKey({ key: toDer(node), format: 'der', type: 'pkcs8' }));
      }
    }
  }
  return { certs, keys };
}

export function readImport(req: ImportCaRequest): ImportedCa {
  let certs: Buffer[];
  let keys: KeyObject[];
  if (req.format === 'pem') {
    const der = pemDecode(req.certificatePem, 'CERTIFICATE');
    if (!der)
      throw new Failure('validation', 'The CA certificate is not a PEM certificate.', {
        field: 'certificatePem',
      });
    certs = [der];
    keys = [readPemKey(req.keyPem, req.keyPassword)];
  } else {
    ({ certs, keys } = readPkcs12(req.pkcs12Base64, req.pkcs12Password));
  }
  const key = keys[0];
  if (!key) throw new Failure('validation', 'The bundle holds no private key: the CA needs its key to sign.');
  const certDer = certs.find((c) => new X509Certificate(c).checkPrivateKey(key));
  if (!certDer)
    throw new Failure(
      'validation',
      'The CA certificate and the key do not belong together (different key pairs).',
    );
  const x509 = new X509Certificate(certDer);
  if (!x509.ca)
    throw new Failure(
      'validation',
      'That certificate is not a CA certificate (basicConstraints CA is not set).',
      {
        detail: x509.subject,
      },
    );
  if (!keyTypeOf(key))
    throw new Failure(
      'validation',
      'Lineside signs with RSA-2048, RSA-3072 or EC P-256 CA keys; this key is another kind.',
      {
        detail: `${key.asymmetricKeyType} ${JSON.stringify(key.asymmetricKeyDetails)}`,
      },
    );
  return { certDer, key };
}
