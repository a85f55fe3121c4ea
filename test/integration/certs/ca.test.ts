import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CertificatePolicy } from '../../../electron/shared/contract';
import { kdfOf } from '../../../electron/core/certs/keyWrap';
import { makeOpensslCa, mustOpenssl, openssl, type DeviceKeyType } from '../../support/openssl';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const PASS = 'line 3 passphrase';
const policy: CertificatePolicy = {
  keyType: 'ec-p256',
  keySource: 'host',
  validityDays: 365,
  subject: { O: 'Acme' },
  escrow: false,
};

let station: TestStation;
let work: { dir: string; cleanup: () => void };
function setUp() {
  work = makeTempDir('lineside-ca-');
  station = createTestStation({ clock: { now: () => new Date() } });
  seedUnits(station, ['D000000001', 'D000000002', 'D000000003']);
}
afterEach(() => {
  station.cleanup();
  work.cleanup();
});

async function issueAndVerify(caPem: string): Promise<void> {
  const issued = await station.certs.issueWithHostKey('D000000001', policy);
  const caFile = path.join(work.dir, 'ca-check.pem');
  const certFile = path.join(work.dir, 'device-check.pem');
  fs.writeFileSync(caFile, caPem);
  fs.writeFileSync(certFile, issued.certificatePem);
  expect(openssl(['verify', '-CAfile', caFile, certFile]).stdout.trim()).toBe(`${certFile}: OK`);
}

describe.each(['rsa2048', 'ec-p256'] as DeviceKeyType[])('importing an existing %s CA', (type) => {
  it('from PEM with an encrypted key: re-encrypts it under the station passphrase and issues', async () => {
    setUp();
    const ca = makeOpensslCa(work.dir, 'Old Factory CA', type, 'old key password');
    const request = {
      format: 'pem' as const,
      certificatePem: fs.readFileSync(ca.certFile, 'utf8'),
      keyPem: fs.readFileSync(ca.keyFile, 'utf8'),
      passphrase: PASS,
    };
    expect(await station.dispatch('importCa', request)).toMatchObject({
      ok: false,
      error: { field: 'keyPassword' },
    });
    expect(await station.dispatch('importCa', { ...request, keyPassword: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'bad-passphrase' },
    });
    const result = await station.dispatch('importCa', { ...request, keyPassword: 'old key password' });
    expect(result).toMatchObject({ ok: true, value: { state: 'unlocked', ca: { keyType: type } } });
    const stored = fs.readFileSync(path.join(station.dataDir, 'ca', 'ca.key'), 'utf8');
    expect(stored.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----')).toBe(true);
    expect(
      openssl(['pkey', '-in', path.join(station.dataDir, 'ca', 'ca.key'), '-passin', 'pass:old key password'])
        .code,
    ).not.toBe(0);
    expect(
      openssl([
        'pkey',
        '-in',
        path.join(station.dataDir, 'ca', 'ca.key'),
        '-passin',
        `pass:${PASS}`,
        '-noout',
      ]).code,
    ).toBe(0);
    await issueAndVerify(fs.readFileSync(ca.certFile, 'utf8'));
  });

  it('from PKCS#12 with its password', async () => {
    setUp();
    const ca = makeOpensslCa(work.dir, 'P12 CA', type);
    const p12 = path.join(work.dir, 'ca.p12');
    mustOpenssl([
      'pkcs12',
      '-export',
      '-in',
      ca.certFile,
      '-inkey',
      ca.keyFile,
      '-out',
      p12,
      '-passout',
      'pass:p12 secret',
    ]);
    const request = {
      format: 'pkcs12' as const,
      pkcs12Base64: fs.readFileSync(p12).toString('base64'),
      pkcs12Password: 'nope',
      passphrase: PASS,
    };
    expect(await station.dispatch('importCa', request)).toMatchObject({
      ok: false,
      error: { code: 'bad-passphrase', field: 'pkcs12Password' },
    });
    const result = await station.dispatch('importCa', { ...request, pkcs12Password: 'p12 secret' });
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect((result as { value: { ca: { fingerprint: string } } }).value.ca.fingerprint).toBe(
      new X509Certificate(fs.readFileSync(ca.certFile)).fingerprint256,
    );
    await issueAndVerify(fs.readFileSync(ca.certFile, 'utf8'));
  });
});

describe('revocation and records', () => {
  it('revokes a unit and publishes a CRL that openssl checks with the CA', async () => {
    setUp();
    await station.certs.ca.create({
      commonName: 'CRL CA',
      keyType: 'rsa2048',
      validityDays: 365,
      passphrase: PASS,
    });
    const caFile = path.join(work.dir, 'ca.pem');
    fs.writeFileSync(caFile, station.certs.ca.status().ca!.certificatePem);
    const good = await station.certs.issueWithHostKey('D000000001', policy);
    const bad = await station.certs.issueWithHostKey('D000000002', { ...policy, keyType: 'rsa2048' });
    const revoked = await station.dispatch('revokeCertificate', {
      claimId: 'd000-000002',
      reason: 'keyCompromise',
    });
    expect(revoked).toMatchObject({
      ok: true,
      value: [{ serial: bad.record.serial, revocationReason: 'keyCompromise' }],
    });
    expect(await station.dispatch('revokeCertificate', { claimId: 'D000000002' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });

    const crl = await station.dispatch('exportCrl', undefined);
    expect(crl).toMatchObject({ ok: true, value: { crlNumber: 1, revokedCount: 1 } });
    const crlFile = path.join(work.dir, 'crl.pem');
    fs.writeFileSync(crlFile, (crl as { value: { crlPem: string } }).value.crlPem);
    const check = openssl(['crl', '-in', crlFile, '-CAfile', caFile, '-noout', '-text']);
    expect(check.stderr).toContain('verify OK');
    expect(check.stdout).toContain(`Serial Number: ${bad.record.serial}`);
    expect(check.stdout).toContain('Key Compromise');
    expect(check.stdout).toMatch(/X509v3 CRL Number:\s+1/);

    for (const [issued, expected] of [
      [good, 'OK'],
      [bad, 'certificate revoked'],
    ] as const) {
      const certFile = path.join(work.dir, `${issued.record.claimId}.pem`);
      fs.writeFileSync(certFile, issued.certificatePem);
      const run = openssl(['verify', '-crl_check', '-CAfile', caFile, '-CRLfile', crlFile, certFile]);
      expect(run.stdout + run.stderr).toContain(expected);
    }
    expect(await station.dispatch('exportCrl', { nextUpdateDays: 7 })).toMatchObject({
      ok: true,
      value: { crlNumber: 2 },
    });
  });

  it('escrows a host key only when asked, encrypted under the CA passphrase', async () => {
    setUp();
    await station.certs.ca.create({
      commonName: 'Escrow CA',
      keyType: 'ec-p256',
      validityDays: 365,
      passphrase: PASS,
    });
    const plain = await station.certs.issueWithHostKey('D000000001', policy);
    const kept = await station.certs.issueWithHostKey('D000000002', { ...policy, escrow: true });
    expect(plain.record.escrowed).toBe(false);
    expect(kept.record.escrowed).toBe(true);
    const row = station.store.db
      .prepare('SELECT escrow_key_pem FROM device_certificates WHERE serial = ?')
      .pluck()
      .get(kept.record.serial) as string;
    expect(row.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----')).toBe(true);
    const keyFile = path.join(work.dir, 'escrow.key');
    fs.writeFileSync(keyFile, row);
    const recovered = mustOpenssl(['pkey', '-in', keyFile, '-passin', `pass:${PASS}`]);
    expect(recovered.replace(/\s+/g, '')).toBe(kept.keyPem.replace(/\s+/g, ''));
  });

  it('never lets a private key reach logs, exports, events or operation results', async () => {
    setUp();
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
    );
    try {
      const results: unknown[] = [];
      const call = async (op: string, arg: unknown) => {
        const r = await station.dispatch(op, arg);
        results.push(r);
        return r;
      };
      await call('createCa', {
        commonName: 'Leak CA',
        keyType: 'ec-p256',
        validityDays: 365,
        passphrase: PASS,
      });
      const issued = await station.certs.issueWithHostKey('D000000001', { ...policy, escrow: true });
      const issued2 = await station.certs.issueWithHostKey('D000000002', policy);
      await call('getCaStatus', undefined);
      await call('unlockCa', { passphrase: 'wrong passphrase' });
      await call('listCertificates', {});
      await call('listCertificates', { claimId: 'D000000001' });
      await call('revokeCertificate', { claimId: 'D000000002' });
      const csv = await call('exportCertificates', { format: 'csv' });
      const json = await call('exportCertificates', { format: 'json' });
      await call('exportCrl', {});
      await call('lockCa', undefined);
      const everything = JSON.stringify([results, station.store.events.recent(1000), logged]);
      expect(everything).not.toContain('PRIVATE KEY');
      expect(everything).not.toContain(PASS);
      for (const key of [issued.keyPem, issued2.keyPem]) {
        const body = key.split('\n').slice(1, 3).join('');
        expect(everything).not.toContain(body);
      }
      // The export lists what a person needs: one row per certificate with its claim ID and fingerprint.
      const csvText = (csv as { value: { text: string } }).value.text.trim().split('\n');
      expect(csvText[0]).toBe(
        'serial,claimId,subject,keyType,keySource,fingerprint,notBefore,notAfter,issuedAt,revokedAt,revocationReason,caFingerprint',
      );
      expect(csvText).toHaveLength(3);
      expect(csvText.some((l) => l.includes('D000000001') && l.includes(issued.record.fingerprint))).toBe(
        true,
      );
      expect((json as { value: { count: number } }).value.count).toBe(2);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});

describe('the CA key at rest', () => {
  it('is PBKDF2-HMAC-SHA256 at 600,000 iterations, and openssl opens it with the passphrase', async () => {
    setUp();
    await station.certs.ca.create({
      commonName: 'KDF CA',
      keyType: 'ec-p256',
      validityDays: 365,
      passphrase: PASS,
    });
    const keyFile = path.join(station.dataDir, 'ca', 'ca.key');
    const stored = fs.readFileSync(keyFile, 'utf8');
    expect(kdfOf(stored)).toEqual({ kdf: 'pbkdf2', prf: 'sha256', iterations: 600_000 });
    const parsed = mustOpenssl(['asn1parse', '-in', keyFile]);
    expect(parsed).toMatch(/hmacWithSHA256/);
    expect(parsed).toMatch(/aes-256-cbc/);
    expect(mustOpenssl(['pkey', '-in', keyFile, '-passin', `pass:${PASS}`, '-noout'])).toBe('');
    expect(() => createPrivateKey({ key: stored, format: 'pem', passphrase: 'wrong passphrase' })).toThrow();
    // Escrowed device keys get the same KDF.
    seedUnits(station, ['D000000009']);
    const kept = await station.certs.issueWithHostKey('D000000009', { ...policy, escrow: true });
    const escrow = station.store.db
      .prepare('SELECT escrow_key_pem FROM device_certificates WHERE serial = ?')
      .pluck()
      .get(kept.record.serial) as string;
    expect(kdfOf(escrow)).toMatchObject({ prf: 'sha256', iterations: 600_000 });
  });

  it('a key written with the old 2,048 iterations still unlocks, and is wrapped again with the new KDF', async () => {
    setUp();
    await station.certs.ca.create({
      commonName: 'Old KDF CA',
      keyType: 'ec-p256',
      validityDays: 365,
      passphrase: PASS,
    });
    const keyFile = path.join(station.dataDir, 'ca', 'ca.key');
    const key = createPrivateKey({ key: fs.readFileSync(keyFile, 'utf8'), format: 'pem', passphrase: PASS });
    // What earlier Lineside builds wrote: Node's export, OpenSSL's default PBKDF2 (2,048 iterations).
    const old = key.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: PASS,
    }) as string;
    expect(kdfOf(old)).toMatchObject({ iterations: 2048 });
    fs.writeFileSync(keyFile, old, { mode: 0o600 });
    station.certs.ca.lock();
    expect(await station.dispatch('unlockCa', { passphrase: 'wrong passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'bad-passphrase' },
    });
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(old); // a failed unlock changes nothing
    expect(await station.dispatch('unlockCa', { passphrase: PASS })).toMatchObject({
      ok: true,
      value: { state: 'unlocked' },
    });
    const now = fs.readFileSync(keyFile, 'utf8');
    expect(kdfOf(now)).toMatchObject({ prf: 'sha256', iterations: 600_000 });
    expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    const reopened = createPrivateKey({ key: now, format: 'pem', passphrase: PASS });
    expect(
      reopened.export({ type: 'pkcs8', format: 'der' }).equals(key.export({ type: 'pkcs8', format: 'der' })),
    ).toBe(true);
    await issueAndVerify(station.certs.ca.status().ca!.certificatePem);
  });
});
