/**
 * Electron's safeStorage (the OS keychain: DPAPI, Keychain, libsecret/kwallet) as the secrets
 * protector, so product tokens at rest are sealed by the operating system when it can. Returns null
 * where safeStorage has no real backend (Linux without a keyring falls back to a hard-coded
 * password, "basic_text"), and core then uses its 0600 key file. Imported only by main/index.ts.
 */
import type { SafeStorage } from 'electron';
import type { Protector } from '../core/secrets';

export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString'
> & {
  getSelectedStorageBackend?: () => string;
};

export function safeStorageProtector(safe: SafeStorageLike, platform: NodeJS.Platform): Protector | null {
  if (!safe.isEncryptionAvailable()) return null;
  if (platform === 'linux' && safe.getSelectedStorageBackend?.() === 'basic_text') return null;
  return {
    scheme: 'electron-safe-storage',
    // safeStorage has no additional-data input: bind the row's ref by sealing it with the value.
    protect: (plain, ref) => safe.encryptString(`${ref}\n${plain.toString('base64')}`),
    unprotect(sealed, ref) {
      const text = safe.decryptString(sealed);
      const cut = text.indexOf('\n');
      if (cut < 0 || text.slice(0, cut) !== ref) throw new Error('sealed secret belongs to another row');
      return Buffer.from(text.slice(cut + 1), 'base64');
    },
  };
}
