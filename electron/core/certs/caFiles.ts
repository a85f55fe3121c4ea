/**
 * The factory CA on disk: `ca/ca.crt` (PEM) and `ca/ca.key`, always an encrypted PKCS#8 PEM
 * (AES-256-CBC, PBKDF2-HMAC-SHA256 at 600,000 iterations from the passphrase: keyWrap.ts). Nothing
 * here ever writes a key unencrypted; keys written with the old 2,048 iterations stay readable.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Failure } from '../failure';
import { wrapKey } from './keyWrap';

export interface CaPaths {
  dir: string;
  cert: string;
  key: string;
}

export function caPaths(dataDir: string): CaPaths {
  const dir = path.join(dataDir, 'ca');
  return { dir, cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
}

import { MIN_PASSPHRASE } from '../../shared/contract/certs';
export { MIN_PASSPHRASE };

export function encryptKey(key: KeyObject, passphrase: string): string {
  const pem = wrapKey(key, passphrase);
  if (!pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----'))
    throw new Error('key export was not encrypted');
  return pem;
}

/** Writes the CA key again with the current KDF (after it was opened with an older one). */
export function rewrapCaKey(paths: CaPaths, key: KeyObject, passphrase: string): void {
  writeAtomic(paths.key, encryptKey(key, passphrase), 0o600);
}

export function decryptKey(pem: string, passphrase: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch (error) {
    throw new Failure(
      'bad-passphrase',
      'That passphrase does not open the factory CA key. Type it again (it is case-sensitive).',
      { detail: error instanceof Error ? error.message : String(error), field: 'passphrase' },
    );
  }
}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

/** Moves an existing CA aside (never deletes it: certificates it issued may still be in the field). */
export function retireCa(paths: CaPaths, stamp: string): string | null {
  if (!fs.existsSync(paths.cert) && !fs.existsSync(paths.key)) return null;
  const target = path.join(path.dirname(paths.dir), `ca-retired-${stamp.replace(/[:.]/g, '-')}`);
  fs.renameSync(paths.dir, target);
  return target;
}

export function writeCa(paths: CaPaths, certPem: string, encryptedKeyPem: string): void {
  fs.mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  writeAtomic(paths.key, encryptedKeyPem, 0o600);
  writeAtomic(paths.cert, certPem, 0o644);
}

export function readCa(paths: CaPaths): { certPem: string; keyPem: string } | null {
  if (!fs.existsSync(paths.cert) || !fs.existsSync(paths.key)) return null;
  return { certPem: fs.readFileSync(paths.cert, 'utf8'), keyPem: fs.readFileSync(paths.key, 'utf8') };
}
