import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSafeStorageVault } from '../../../electron/main/passphraseVault';
import { makeTempDir } from '../../support/tempDir';

/** Stands in for Electron's safeStorage: a reversible transform, so the file never holds the plain text. */
function fakeSafeStorage(available = true) {
  const flip = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text: string) => flip(Buffer.from(text, 'utf8')),
    decryptString: (data: Buffer) => flip(data).toString('utf8'),
  };
}

describe('the safeStorage passphrase vault', () => {
  it('keeps only the encrypted blob on disk, for the CA it was saved for', () => {
    const temp = makeTempDir();
    try {
      const file = path.join(temp.dir, 'ca-passphrase.safe');
      const vault = createSafeStorageVault(fakeSafeStorage(), file);
      expect(vault.available).toBe(true);
      vault.save('AA:BB', 'shift passphrase');
      expect(fs.readFileSync(file, 'utf8')).not.toContain('shift passphrase');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(vault.load('AA:BB')).toBe('shift passphrase');
      expect(vault.load('CC:DD')).toBeNull();
      expect(vault.has('AA:BB')).toBe(true);
      expect(vault.has('CC:DD')).toBe(false);
      vault.forget();
      expect(vault.load('AA:BB')).toBeNull();
    } finally {
      temp.cleanup();
    }
  });

  it('is unavailable, and saves nothing, without OS encryption', () => {
    const temp = makeTempDir();
    try {
      const file = path.join(temp.dir, 'ca-passphrase.safe');
      const vault = createSafeStorageVault(fakeSafeStorage(false), file);
      expect(vault.available).toBe(false);
      vault.save('AA:BB', 'x');
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      temp.cleanup();
    }
  });
});
