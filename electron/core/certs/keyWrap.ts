/**
 * Encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo, PBES2 of RFC 8018) with a KDF we choose:
 * PBKDF2-HMAC-SHA256 at 600,000 iterations (OWASP's current guidance), AES-256-CBC. Node's
 * KeyObject.export only writes OpenSSL's default of 2,048 iterations; keys written that way stay
 * readable (OpenSSL reads the count from the file) and are re-wrapped when next unlocked.
 */
import { createCipheriv, pbkdf2Sync, randomBytes, type KeyObject } from 'node:crypto';
import { forge } from './forge';
import { octets, oidNode, parseDer, pemDecode, pemEncode, seq, smallInteger, toDer, type Asn1 } from './der';

export const KDF_ITERATIONS = 600_000;

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const HMAC_SHA256 = '1.2.840.113549.2.9';
const AES256_CBC = '2.16.840.1.101.3.4.1.42';
const LABEL = 'ENCRYPTED PRIVATE KEY';

function nullNode(): Asn1 {
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, '');
}

/** A derived key for one salt: derive once, wrap many keys (escrow during a shift). */
export interface KeyWrapper {
  wrap(key: KeyObject): string;
}

export function createKeyWrapper(passphrase: string, iterations = KDF_ITERATIONS): KeyWrapper {
  const salt = randomBytes(16);
  let derived: Buffer | null = null;
  return {
    wrap(key) {
      derived ??= pbkdf2Sync(passphrase, salt, iterations, 32, 'sha256');
      const iv = randomBytes(16);
      const plain = key.export({ type: 'pkcs8', format: 'der' });
      const cipher = createCipheriv('aes-256-cbc', derived, iv);
      const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
      const info = seq([
        seq([
          oidNode(PBES2),
          seq([
            seq([
              oidNode(PBKDF2),
              seq([
                octets(salt),
                smallInteger(iterations),
                smallInteger(32),
                seq([oidNode(HMAC_SHA256), nullNode()]),
              ]),
            ]),
            seq([oidNode(AES256_CBC), octets(iv)]),
          ]),
        ]),
        octets(encrypted),
      ]);
      return pemEncode(LABEL, toDer(info));
    },
  };
}

/** Encrypts one key with a fresh salt. */
export function wrapKey(key: KeyObject, passphrase: string, iterations = KDF_ITERATIONS): string {
  return createKeyWrapper(passphrase, iterations).wrap(key);
}

export interface KdfInfo {
  kdf: 'pbkdf2';
  prf: 'sha1' | 'sha256' | 'other';
  iterations: number;
}

/** The KDF of an encrypted PKCS#8 PEM (PBES2 + PBKDF2), or null when it is something else. */
export function kdfOf(pem: string): KdfInfo | null {
  const der = pemDecode(pem, LABEL);
  if (!der) return null;
  try {
    const info = parseDer(der).value as Asn1[];
    const alg = info[0]!.value as Asn1[];
    if (forge.asn1.derToOid(alg[0]!.value as string) !== PBES2) return null;
    const kdf = ((alg[1]!.value as Asn1[])[0]!.value as Asn1[]) ?? [];
    if (forge.asn1.derToOid(kdf[0]!.value as string) !== PBKDF2) return null;
    const params = kdf[1]!.value as Asn1[];
    const iterations = forge.asn1.derToInteger(params[1]!.value as string);
    const prfNode = params.find((p, i) => i >= 2 && p.type === forge.asn1.Type.SEQUENCE);
    const prfOid = prfNode ? forge.asn1.derToOid((prfNode.value as Asn1[])[0]!.value as string) : null;
    const prf = prfOid === null ? 'sha1' : prfOid === HMAC_SHA256 ? 'sha256' : 'other';
    return { kdf: 'pbkdf2', prf, iterations };
  } catch {
    return null;
  }
}

/** Whether a stored key should be wrapped again with the current KDF. */
export function needsRewrap(pem: string): boolean {
  const kdf = kdfOf(pem);
  return !kdf || kdf.prf !== 'sha256' || kdf.iterations < KDF_ITERATIONS;
}
