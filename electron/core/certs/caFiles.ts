/**
 * The factory CA on disk: `ca/ca.crt` (PEM) and `ca/ca.key`, always an encrypted PKCS#8 PEM
 * (AES-256-CBC, PBKDF2 from the passphrase). Nothing here ever writes a key unencrypted.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Failure } from '../failure';

export interface CaPaths {
  dir: string;
  cert: string;
  key: string;
}

export function caPaths(dataDir: string): CaPaths {
  const dir = path.join(dataDir, 'ca');
  return { dir, cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
}

export const MIN_PASSPHRASE = 8;

export function encryptKey(key: KeyObject, passphrase: string): string {
  const pem = key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
  if (!pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----'))
    throw new Error('key export was not encrypted');
  return pem;
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
