/**
 * Where a CA passphrase may be kept between shifts. Core only knows this interface; under
 * Electron, electron/main/passphraseVault.ts implements it with safeStorage (the OS keychain).
 * Bridge and CLI have no vault: the passphrase is typed each time.
 */
export interface PassphraseVault {
  readonly available: boolean;
  /** `caId` (the CA's fingerprint) keeps a saved passphrase from unlocking a replaced CA. */
  save(caId: string, passphrase: string): void;
  load(caId: string): string | null;
  /** Whether a passphrase is saved for this CA, without decrypting it. */
  has(caId: string): boolean;
  forget(): void;
}

export const noVault: PassphraseVault = {
  available: false,
  save: () => undefined,
  load: () => null,
  has: () => false,
  forget: () => undefined,
};
