import { createCipheriv, createDecipheriv } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RandomBytes } from '../clock';
import { Failure } from '../failure';

/**
 * How a secret's bytes are sealed at rest. Electron main passes one backed by safeStorage (the OS
 * keychain); everywhere else the key-file protector below is used. `ref` is bound into the sealed
 * bytes (AES-GCM additional data) so one row's ciphertext cannot be pasted into another row.
 */
export interface Protector {
  /** Stored with every secret, so a secret is only ever opened by the scheme that sealed it. */
  readonly scheme: string;
  protect(plain: Buffer, ref: string): Buffer;
  unprotect(sealed: Buffer, ref: string): Buffer;
}

const VERSION = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Reads the station's key file, creating it (32 random bytes, mode 0600) on first use. The key is
 * written whole under a name of its own and then linked into place, which fails if the file is
 * already there: two processes starting at the same moment (the app and `lineside serve`) end up
 * with the same key, and neither can ever read a key file that is still empty.
 */
export function loadOrCreateKey(keyFile: string, randomBytes: RandomBytes): Buffer {
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  if (!fs.existsSync(keyFile)) {
    const draft = `${keyFile}.${process.pid}.${randomBytes(6).toString('hex')}.new`;
    try {
      fs.writeFileSync(draft, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
      try {
        fs.linkSync(draft, keyFile);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
          try {
            // A file system without hard links (FAT, some shares): copied into place unless another
            // process got there first. Only there can a process starting in the same instant still
            // find the file before its bytes.
            fs.copyFileSync(draft, keyFile, fs.constants.COPYFILE_EXCL);
          } catch (copyError) {
            if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') throw copyError;
          }
      }
    } finally {
      try {
        fs.rmSync(draft, { force: true });
      } catch {
        // Held open by a virus scanner, say: a stray draft nobody reads, not a reason to fail.
      }
    }
  }
  const stat = fs.statSync(keyFile);
  // A key readable by others is tightened rather than refused: the station must keep working.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) fs.chmodSync(keyFile, 0o600);
  const key = fs.readFileSync(keyFile);
  if (key.length !== KEY_BYTES) {
    throw new Failure(
      'store-unavailable',
      `The station's secret key file ${keyFile} is damaged, so stored product tokens cannot be read.`,
      { detail: `expected ${KEY_BYTES} bytes, found ${key.length}` },
    );
  }
  return key;
}

/** AES-256-GCM with a per-station key file: `version | iv | tag | ciphertext`. */
export function createKeyFileProtector(options: { keyFile: string; randomBytes: RandomBytes }): Protector {
  let key: Buffer | null = null;
  const getKey = () => (key ??= loadOrCreateKey(options.keyFile, options.randomBytes));
  return {
    scheme: 'aes-256-gcm-keyfile',
    protect(plain, ref) {
      const iv = options.randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', getKey(), iv);
      cipher.setAAD(Buffer.from(ref));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    unprotect(sealed, ref) {
      if (sealed[0] !== VERSION || sealed.length < 1 + IV_BYTES + TAG_BYTES) {
        throw new Failure('store-unavailable', 'A stored secret is in a format this Lineside cannot read.');
      }
      const iv = sealed.subarray(1, 1 + IV_BYTES);
      const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', getKey(), iv);
      decipher.setAAD(Buffer.from(ref));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch (error) {
        throw new Failure(
          'store-unavailable',
          'A stored secret could not be decrypted: the key file does not match this database. Enter the product token again.',
          { detail: String(error), cause: error },
        );
      }
    },
  };
}
