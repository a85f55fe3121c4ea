import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../electron/core/clock';
import { createSecrets } from '../../../electron/core/secrets';
import { m040 } from '../../../electron/core/store/migrations/040-cloud-outbox';
import { safeStorageProtector, type SafeStorageLike } from '../../../electron/main/safeStorage';

const TOKEN = '01H4R15D3478JD26YDYK408XE6';

/** A stand-in for Electron's safeStorage: a reversible transform the OS would do with a real key. */
function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (buf) => Buffer.from(buf.map((b) => b ^ 0x5a)).toString('utf8'),
  };
}

describe('safeStorage as the secrets protector', () => {
  it('is used when the OS keychain is available, and round-trips through the secrets store', () => {
    const protector = safeStorageProtector(fakeSafeStorage(true), 'linux')!;
    const db = new Database(':memory:');
    db.exec(m040.sql);
    const secrets = createSecrets({ db, protector, clock: fixedClock('2026-11-21T10:00:00Z'), randomBytes });
    const s = secrets.put('product:W', TOKEN);
    expect(s.scheme).toBe('electron-safe-storage');
    expect(secrets.reveal(s.ref)).toBe(TOKEN);
    const sealed = db.prepare('SELECT ciphertext FROM secrets').pluck().get() as Buffer;
    expect(sealed.includes(TOKEN)).toBe(false);
    expect(() => protector.unprotect(sealed, 'another_ref')).toThrow(/another row/);
  });

  it('is not used without encryption, or on Linux with only the plain-text backend', () => {
    expect(safeStorageProtector(fakeSafeStorage(false), 'win32')).toBeNull();
    expect(safeStorageProtector(fakeSafeStorage(true, 'basic_text'), 'linux')).toBeNull();
  });
});
