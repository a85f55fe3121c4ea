import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { certificatePolicySchema, type PassphraseVault } from '../../../electron/core/certs';
import { caPaths } from '../../../electron/core/certs/caFiles';
import { createServices } from '../../../electron/core/services';
import { fixedClock } from '../../../electron/core/clock';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

// Every CA create and unlock runs the key's KDF (PBKDF2-HMAC-SHA256, 600,000 iterations) on
// purpose: several per test are seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const PASS = 'correct horse battery';
const stations: TestStation[] = [];
function station(dataDir?: string, clock = fixedClock('2026-11-21T10:00:00.000Z', 1000)): TestStation {
  const s = createTestStation({ clock, ...(dataDir ? { dataDir } : {}) });
  stations.push(s);
  return s;
}
afterEach(() => {
  for (const s of stations.splice(0)) s.cleanup();
});

function memoryVault(): PassphraseVault & { saved: Map<string, string> } {
  const saved = new Map<string, string>();
  return {
    saved,
    available: true,
    save: (id, p) => void saved.set(id, p),
    load: (id) => saved.get(id) ?? null,
    has: (id) => saved.has(id),
    forget: () => saved.clear(),
  };
}

describe('the factory CA', () => {
  it('stores its key encrypted: the file does not parse as an unencrypted key', async () => {
    const s = station();
    const result = await s.dispatch('createCa', {
      commonName: 'Acme Factory CA',
      keyType: 'ec-p256',
      validityDays: 3650,
      passphrase: PASS,
    });
    expect(result).toMatchObject({ ok: true, value: { state: 'unlocked', ca: { keyType: 'ec-p256' } } });
    const { key, cert } = caPaths(s.dataDir);
    const text = fs.readFileSync(key, 'utf8');
    expect(text.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----')).toBe(true);
    expect(() => createPrivateKey(text)).toThrow();
    expect(() => createPrivateKey({ key: text, passphrase: 'not it' })).toThrow();
    expect(createPrivateKey({ key: text, passphrase: PASS }).asymmetricKeyType).toBe('ec');
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(cert, 'utf8')).toContain('BEGIN CERTIFICATE');
    // Nothing else in the CA directory holds key material.
    for (const f of fs.readdirSync(path.dirname(key)))
      if (f !== 'ca.key')
        expect(fs.readFileSync(path.join(path.dirname(key), f), 'utf8')).not.toContain('PRIVATE KEY');
  });

  it('is locked after a restart, says clearly when the passphrase is wrong, and issues once unlocked', async () => {
    const first = station();
    await first.certs.ca.create({
      commonName: 'CA',
      keyType: 'ec-p256',
      validityDays: 365,
      passphrase: PASS,
    });
    const dataDir = first.dataDir;
    first.close();
    const again = station(dataDir);
    seedUnits(again, ['C000000001']);
    expect(await again.dispatch('getCaStatus', undefined)).toMatchObject({
      ok: true,
      value: { state: 'locked' },
    });
    const issue = await again.dispatch('signCsr', { claimId: 'C000000001', csrPem: 'x' });
    expect(issue).toMatchObject({ ok: false, error: { code: 'ca-locked' } });
    expect((issue as { error: { message: string } }).error.message).toMatch(
      /locked: unlock it with its passphrase/,
    );

    const wrong = await again.dispatch('unlockCa', { passphrase: 'Correct Horse Battery' });
    expect(wrong).toMatchObject({
      ok: false,
      error: {
        code: 'bad-passphrase',
        message: 'That passphrase does not open the factory CA key. Type it again (it is case-sensitive).',
        field: 'passphrase',
      },
    });
    expect(await again.dispatch('unlockCa', { passphrase: PASS })).toMatchObject({
      ok: true,
      value: { state: 'unlocked' },
    });
    const issued = await again.certs.issueWithHostKey('C000000001', {
      keyType: 'ec-p256',
      keySource: 'host',
      validityDays: 30,
      subject: {},
      escrow: false,
    });
    expect(issued.record.claimId).toBe('C000000001');
    expect(await again.dispatch('lockCa', undefined)).toMatchObject({ ok: true, value: { state: 'locked' } });
    await expect(
      again.certs.issueWithHostKey(
        'C000000001',
        certificatePolicySchema.parse({ keyType: 'rsa2048', validityDays: 1 }),
      ),
    ).rejects.toMatchObject({ code: 'ca-locked' });
    const kinds = again.store.events.recent(10).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['ca.unlock-failed', 'ca.unlocked', 'cert.issued', 'ca.locked']),
    );
  });

  it('keeps the passphrase in the vault only when asked, and never for a replaced CA', async () => {
    const temp = makeTempDir();
    const vault = memoryVault();
    const open = () =>
      createServices({
        dataDir: temp.dir,
        passphraseVault: vault,
        runtime: { transport: 'electron', appVersion: 't', electronVersion: null, chromeVersion: null },
      });
    try {
      const a = open();
      await a.certs.ca.create({ commonName: 'CA', keyType: 'ec-p256', validityDays: 365, passphrase: PASS });
      expect(a.certs.ca.status()).toMatchObject({ rememberAvailable: true, remembered: false });
      a.certs.ca.unlock(PASS, true);
      expect(a.certs.ca.status().remembered).toBe(true);
      a.close();
      const b = open();
      expect(b.certs.ca.status().state).toBe('locked');
      expect(await b.dispatch('unlockCa', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
      const replaced = await b.dispatch('createCa', {
        commonName: 'CA 2',
        keyType: 'ec-p256',
        validityDays: 365,
        passphrase: 'another passphrase',
      });
      expect(replaced).toMatchObject({ ok: false, error: { code: 'conflict' } });
      await b.certs.ca.create({
        commonName: 'CA 2',
        keyType: 'ec-p256',
        validityDays: 365,
        passphrase: 'another passphrase',
        replace: true,
      });
      expect(vault.saved.size).toBe(0);
      expect(fs.readdirSync(temp.dir).some((f) => f.startsWith('ca-retired-'))).toBe(true);
      b.close();
    } finally {
      temp.cleanup();
    }
  });

  it('warns when the CA expires soon', async () => {
    const s = station();
    const status = await s.certs.ca.create({
      commonName: 'Short',
      keyType: 'ec-p256',
      validityDays: 30,
      passphrase: PASS,
    });
    expect(status.warning).toMatch(
      /^The factory CA expires in \d+ days \(2026-12-2\d\): plan its replacement now\.$/,
    );
    expect(status.ca?.daysLeft).toBeLessThanOrEqual(30);
  });
});

describe('the certificate policy a profile carries', () => {
  it('fills defaults and refuses what it cannot issue', () => {
    expect(certificatePolicySchema.parse({ keyType: 'ec-p256', validityDays: 365 })).toEqual({
      keyType: 'ec-p256',
      keySource: 'host',
      validityDays: 365,
      subject: {},
      escrow: false,
    });
    expect(certificatePolicySchema.safeParse({ keyType: 'rsa1024', validityDays: 365 }).success).toBe(false);
    expect(certificatePolicySchema.safeParse({ keyType: 'ec-p256', validityDays: 0 }).success).toBe(false);
    expect(
      certificatePolicySchema.safeParse({ keyType: 'ec-p256', validityDays: 1, san: { ip: ['not an ip'] } })
        .success,
    ).toBe(false);
  });
});
