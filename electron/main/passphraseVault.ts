/**
 * The CA passphrase kept with Electron's safeStorage (the OS keychain / DPAPI / libsecret), for
 * stations where the engineer chose "remember". Only the encrypted blob touches the disk; core
 * sees the PassphraseVault interface. Imported only by electron/main/index.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import type { PassphraseVault } from '../core/certs';

type Keychain = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>;

export function createSafeStorageVault(safeStorage: Keychain, file: string): PassphraseVault {
  return {
    get available() {
      return safeStorage.isEncryptionAvailable();
    },
    save(caId, passphrase) {
      if (!safeStorage.isEncryptionAvailable()) return;
      const blob = safeStorage.encryptString(passphrase).toString('base64');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ caId, blob }), { mode: 0o600 });
    },
    load(caId) {
      if (!fs.existsSync(file) || !safeStorage.isEncryptionAvailable()) return null;
      try {
        const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { caId: string; blob: string };
        return saved.caId === caId ? safeStorage.decryptString(Buffer.from(saved.blob, 'base64')) : null;
      } catch {
        return null;
      }
    },
    has(caId) {
      try {
        return (JSON.parse(fs.readFileSync(file, 'utf8')) as { caId: string }).caId === caId;
      } catch {
        return false;
      }
    },
    forget() {
      fs.rmSync(file, { force: true });
    },
  };
}
