import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificatePolicy, CertKeyType } from '../../../electron/shared/contract';
import { makeCsr, openssl, type DeviceKeyType } from '../../support/openssl';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const PASS = 'line 3 passphrase';
const keyTypes: CertKeyType[] = ['rsa2048', 'rsa3072', 'ec-p256'];

function policy(keyType: CertKeyType, extra: Partial<CertificatePolicy> = {}): CertificatePolicy {
  return {
    keyType,
    keySource: 'host',
    validityDays: 730,
    subject: { O: 'Acme Sensors', OU: 'Line 3' },
    san: { dns: ['{claimId}.devices.acme.example'], uri: ['urn:acme:unit:{claimId}'], ip: ['10.0.0.7'] },
    escrow: false,
    ...extra,
  };
}

/** The key-usage line as openssl prints it, e.g. "Digital Signature, Key Encipherment". */
function keyUsageText(certFile: string): string {
  const text = openssl(['x509', '-in', certFile, '-noout', '-ext', 'keyUsage']).stdout;
  return text.split('\n')[1]?.trim() ?? '';
}

describe.each(keyTypes)('a factory CA with a %s key', (caType) => {
  let station: TestStation;
  let work: { dir: string; cleanup: () => void };
  let caFile: string;
  const units = ['A00000000R', 'A00000000E', 'A00000000C', 'A0000000CS', 'A0000000C2'];

  beforeAll(async () => {
    work = makeTempDir('lineside-certs-');
    station = createTestStation({ clock: { now: () => new Date() } });
    seedUnits(station, units);
    const created = await station.dispatch('createCa', {
      commonName: `Acme Factory CA ${caType}`,
      organization: 'Acme Sensors',
      keyType: caType,
      validityDays: 3650,
      passphrase: PASS,
    });
    expect(created).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    caFile = path.join(work.dir, 'ca.pem');
    fs.writeFileSync(caFile, station.certs.ca.status().ca!.certificatePem);
  });
  afterAll(() => {
    station.cleanup();
    work.cleanup();
  });

  it.each(keyTypes.map((t, i) => [t, units[i]!] as const))(
    'issues a %s device certificate that openssl verify and Node accept',
    async (deviceType, claimId) => {
      const issued = await station.certs.issueWithHostKey(claimId, policy(deviceType));
      const certFile = path.join(work.dir, `${claimId}.crt`);
      fs.writeFileSync(certFile, issued.certificatePem);

      const verify = openssl(['verify', '-CAfile', caFile, '-purpose', 'sslclient', certFile]);
      expect(verify.stdout.trim(), verify.stderr).toBe(`${certFile}: OK`);

      const ca = new X509Certificate(fs.readFileSync(caFile));
      const cert = new X509Certificate(issued.certificatePem);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.ca).toBe(false);
      expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // extendedKeyUsage: TLS client auth only
      expect(keyUsageText(certFile)).toBe(
        deviceType === 'ec-p256' ? 'Digital Signature' : 'Digital Signature, Key Encipherment',
      );
      expect(cert.subject.split('\n')).toEqual(['O=Acme Sensors', 'OU=Line 3', `CN=${claimId}`]);
      expect(cert.subjectAltName).toBe(
        `DNS:${claimId}.devices.acme.example, URI:urn:acme:unit:${claimId}, IP Address:10.0.0.7`,
      );
      // The key written to certs/ioto.key belongs to the certificate, and is the right kind.
      const key = createPrivateKey(issued.keyPem);
      expect(cert.checkPrivateKey(key)).toBe(true);
      expect(key.asymmetricKeyType).toBe(deviceType === 'ec-p256' ? 'ec' : 'rsa');
      const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(729);
      expect(days).toBeLessThan(731);

      // The store keeps the serial, fingerprint, not-after and claim ID, and no key.
      const row = station.store.db
        .prepare('SELECT * FROM device_certificates WHERE serial = ?')
        .get(cert.serialNumber.toUpperCase()) as Record<string, unknown>;
      expect(row).toMatchObject({
        claim_id: claimId,
        fingerprint: cert.fingerprint256,
        not_after: new Date(cert.validTo).toISOString(),
        key_source: 'host',
        escrow_key_pem: null,
      });
      expect(JSON.stringify(row)).not.toContain('PRIVATE KEY');
    },
  );

  it.each(['rsa2048', 'ec-p256'] as DeviceKeyType[])(
    'signs a %s CSR from a unit that made its own key, and the certificate matches that key',
    async (deviceType) => {
      const claimId = 'A0000000CS';
      const csr = makeCsr(work.dir, `csr-${deviceType}`, deviceType, `/CN=${claimId}`);
      const result = await station.dispatch('signCsr', { claimId, csrPem: csr.csrPem });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      const record = (result as { value: { certificatePem: string; keySource: string } }).value;
      expect(record.keySource).toBe('device');
      const certFile = path.join(work.dir, `csr-${deviceType}.crt`);
      fs.writeFileSync(certFile, record.certificatePem);
      expect(openssl(['verify', '-CAfile', caFile, certFile]).stdout.trim()).toBe(`${certFile}: OK`);
      const cert = new X509Certificate(record.certificatePem);
      expect(cert.checkPrivateKey(createPrivateKey(fs.readFileSync(csr.keyFile)))).toBe(true);
    },
  );
});

describe('certificate requests that must be refused', () => {
  let station: TestStation;
  let work: { dir: string; cleanup: () => void };
  beforeAll(async () => {
    work = makeTempDir('lineside-csr-');
    station = createTestStation({ clock: { now: () => new Date() } });
    seedUnits(station, ['B000000001', 'B000000002', 'B000000009']);
    await station.certs.ca.create({
      commonName: 'CSR CA',
      keyType: 'ec-p256',
      validityDays: 365,
      passphrase: PASS,
    });
  });
  afterAll(() => {
    station.cleanup();
    work.cleanup();
  });

  it('refuses a CSR whose subject is another claim ID', async () => {
    const csr = makeCsr(work.dir, 'other', 'ec-p256', '/CN=B000000002');
    const result = await station.dispatch('signCsr', { claimId: 'B000000001', csrPem: csr.csrPem });
    expect(result).toMatchObject({ ok: false, error: { code: 'csr-refused' } });
    expect((result as { error: { message: string } }).error.message).toContain(
      'names B000000002, not this unit',
    );
  });

  it.each(['rsa2048', 'ec-p256'] as DeviceKeyType[])(
    'refuses a tampered %s CSR (bad signature)',
    async (type) => {
      const csr = makeCsr(work.dir, `tamper-${type}`, type, '/CN=B000000001');
      // Change the subject after signing: same length, so the DER stays well-formed.
      const der = Buffer.from(csr.csrPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
      const at = der.indexOf(Buffer.from('B000000001'));
      der.write('B000000009', at);
      const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
      const result = await station.dispatch('signCsr', { claimId: 'B000000009', csrPem: tampered });
      expect(result).toMatchObject({ ok: false, error: { code: 'csr-refused' } });
      expect((result as { error: { message: string } }).error.message).toMatch(/bad signature/);
      // With its signature bytes flipped, the untouched request is refused too.
      const flipped = Buffer.from(csr.csrPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
      flipped[flipped.length - 5]! ^= 0xff;
      const result2 = await station.dispatch('signCsr', {
        claimId: 'B000000001',
        csrPem: `-----BEGIN CERTIFICATE REQUEST-----\n${flipped.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`,
      });
      expect(result2).toMatchObject({ ok: false, error: { code: 'csr-refused' } });
      expect(station.store.db.prepare('SELECT count(*) FROM device_certificates').pluck().get()).toBe(0);
    },
  );

  it('refuses a key type the profile does not ask for, and garbage', async () => {
    const csr = makeCsr(work.dir, 'rsa', 'rsa2048', '/CN=B000000001');
    const wrong = await station.dispatch('signCsr', {
      claimId: 'B000000001',
      csrPem: csr.csrPem,
      policy: policy('ec-p256', { keySource: 'device' }),
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'csr-refused' } });
    const garbage = await station.dispatch('signCsr', { claimId: 'B000000001', csrPem: 'hello' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'csr-refused' } });
  });
});
