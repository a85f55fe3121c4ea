import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { makeOpensslCa, mustOpenssl } from '../support/openssl';
import { seedUnits } from '../support/station';
import { makeTempDir } from '../support/tempDir';

const PASS = 'shift passphrase 7';

test('Settings: create the factory CA, lock it, refuse a wrong passphrase, unlock it', async ({
  app,
  station,
}) => {
  const secrets: string[] = [];
  app.on('response', async (response) => {
    if (response.url().includes('/api/')) secrets.push(await response.text().catch(() => ''));
  });
  await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
  const panel = app.getByRole('region', { name: 'Factory CA' });
  await expect(panel.getByText('No factory CA yet.')).toBeVisible();
  await panel.getByLabel('CA name').fill('Acme Factory CA');
  await panel.getByLabel('Organization').fill('Acme Sensors');
  await panel.getByLabel('Key type').selectOption('rsa2048');
  await panel.getByLabel('New CA passphrase').fill(PASS);
  await panel.getByLabel('Passphrase again').fill(PASS + 'x');
  await expect(panel.getByText('The two passphrases differ.')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Create the CA' })).toBeDisabled();
  await panel.getByLabel('Passphrase again').fill(PASS);
  await panel.getByRole('button', { name: 'Create the CA' }).click();

  await expect(panel.getByTestId('ca-state')).toHaveText('Unlocked: this station can issue certificates');
  const ca = station.certs.ca.status().ca!;
  await expect(panel.getByTestId('ca-fingerprint')).toHaveText(ca.fingerprint);
  await expect(panel.getByText('O=Acme Sensors, CN=Acme Factory CA')).toBeVisible();
  await expect(panel.getByText('RSA 2048')).toBeVisible();

  await panel.getByRole('button', { name: 'Lock the CA' }).click();
  await expect(panel.getByTestId('ca-state')).toHaveText(
    'Locked: enter the passphrase to issue certificates',
  );
  expect(station.certs.ca.status().state).toBe('locked');

  await panel.getByLabel('CA passphrase').fill('not the passphrase');
  await panel.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(panel.getByRole('alert')).toContainText(
    'That passphrase does not open the factory CA key. Type it again (it is case-sensitive).',
  );
  await panel.getByLabel('CA passphrase').fill(PASS);
  await panel.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(panel.getByTestId('ca-state')).toHaveText('Unlocked: this station can issue certificates');
  expect(station.certs.ca.status().state).toBe('unlocked');

  // What the renderer received: public facts only.
  expect(secrets.length).toBeGreaterThan(4);
  for (const body of secrets) expect(body).not.toContain('PRIVATE KEY');
  expect(await app.content()).not.toContain('PRIVATE KEY');
});

test('Settings warns when the CA expires soon', async ({ app, station }) => {
  await station.certs.ca.create({
    commonName: 'Old CA',
    keyType: 'ec-p256',
    validityDays: 20,
    passphrase: PASS,
  });
  await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
  const panel = app.getByRole('region', { name: 'Factory CA' });
  await expect(panel.getByRole('alert')).toContainText(/The factory CA expires in 1\d days/);
});

test("Devices: a unit's certificate, and revoking it", async ({ app, station }) => {
  seedUnits(station, ['M72DANY8BZ']);
  await station.certs.ca.create({
    commonName: 'CA',
    keyType: 'ec-p256',
    validityDays: 3650,
    passphrase: PASS,
  });
  const issued = await station.certs.issueWithHostKey('M72DANY8BZ', {
    keyType: 'ec-p256',
    keySource: 'host',
    validityDays: 365,
    subject: { O: 'Acme' },
    escrow: false,
  });
  // Open Devices after seeding: it reads the store when it mounts (no event race).
  await app.goto(app.url().replace(/#.*$/, '') + '#/devices');
  await app.getByRole('table', { name: 'Units' }).locator('tbody tr').first().click();
  const cert = app
    .getByRole('complementary', { name: 'Unit M72DANY8BZ' })
    .getByRole('region', { name: 'Certificate' });
  await expect(cert.getByTestId('unit-cert-fingerprint')).toHaveText(issued.record.fingerprint);
  await expect(cert.getByTestId('unit-cert-standing')).toHaveText('Valid');
  await expect(cert.getByText('ec-p256 · made by the station')).toBeVisible();

  await cert.getByRole('button', { name: 'Revoke certificate…' }).click();
  await cert.getByLabel('Reason').selectOption('keyCompromise');
  await cert.getByRole('button', { name: 'Revoke now' }).click();
  await expect(cert.getByTestId('unit-cert-standing')).toHaveText(/^Revoked /);
  const list = await station.dispatch('listCertificates', { claimId: 'M72DANY8BZ' });
  expect(list).toMatchObject({ ok: true, value: [{ revocationReason: 'keyCompromise' }] });
  expect(await app.content()).not.toContain('PRIVATE KEY');
});

test('Settings imports an existing CA from PEM files and from PKCS#12', async ({ app, station }) => {
  const work = makeTempDir('lineside-e2e-ca-');
  try {
    const pemCa = makeOpensslCa(work.dir, 'Company CA', 'ec-p256', 'old password');
    const p12Ca = makeOpensslCa(work.dir, 'Bundle CA', 'rsa2048');
    const p12 = path.join(work.dir, 'bundle.p12');
    mustOpenssl([
      'pkcs12',
      '-export',
      '-in',
      p12Ca.certFile,
      '-inkey',
      p12Ca.keyFile,
      '-out',
      p12,
      '-passout',
      'pass:bundle secret',
    ]);

    await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
    const panel = app.getByRole('region', { name: 'Factory CA' });
    await panel.getByLabel('Import PEM files').check();
    await panel.getByLabel('CA certificate (PEM)').setInputFiles(pemCa.certFile);
    await panel.getByLabel('CA key (PEM)').setInputFiles(pemCa.keyFile);
    await panel.getByLabel('Key file password (if any)').fill('old password');
    await panel.getByLabel('New CA passphrase').fill(PASS);
    await panel.getByLabel('Passphrase again').fill(PASS);
    await panel.getByRole('button', { name: 'Import the CA' }).click();
    await expect(panel.getByTestId('ca-fingerprint')).toHaveText(
      new X509Certificate(fs.readFileSync(pemCa.certFile)).fingerprint256,
    );

    await panel.getByRole('button', { name: 'Replace the CA…' }).click();
    const form = panel.getByRole('form', { name: 'Replace the CA' });
    await form.getByLabel('Import PKCS#12').check();
    await form.getByLabel('PKCS#12 file').setInputFiles(p12);
    await form.getByLabel('PKCS#12 password').fill('bundle secret');
    await form.getByLabel('New CA passphrase').fill(PASS);
    await form.getByLabel('Passphrase again').fill(PASS);
    await form.getByRole('button', { name: 'Import the CA' }).click();
    await expect(panel.getByTestId('ca-fingerprint')).toHaveText(
      new X509Certificate(fs.readFileSync(p12Ca.certFile)).fingerprint256,
    );
    await expect(panel.getByText('RSA 2048')).toBeVisible();
    expect(station.certs.ca.status()).toMatchObject({ state: 'unlocked', ca: { keyType: 'rsa2048' } });
  } finally {
    work.cleanup();
  }
});
