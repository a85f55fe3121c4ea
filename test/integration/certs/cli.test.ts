import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { makeCsr, openssl } from '../../support/openssl';
import { createTestStation, seedUnits } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const PASS = 'cli passphrase 42';
let work: { dir: string; cleanup: () => void };
let dataDir: string;
let passFile: string;
const cli = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);

beforeAll(() => {
  work = makeTempDir('lineside-cli-certs-');
  dataDir = path.join(work.dir, 'station');
  const station = createTestStation({ dataDir });
  seedUnits(station, ['F000000001', 'F000000002']);
  station.close();
  passFile = path.join(work.dir, 'pass.txt');
  fs.writeFileSync(passFile, `${PASS}\n`);
});
afterAll(() => work.cleanup());

// Ten CLI processes one after another: each takes seconds to start on a loaded machine.
describe('lineside ca / certs', { timeout: 240_000 }, () => {
  it('creates the CA, reports its status, issues, revokes and publishes a CRL', async () => {
    expect((await cli('ca', 'status')).stdout).toContain('No factory CA on this station');
    const noPass = await cli('ca', 'create', '--cn', 'Acme Factory CA');
    expect(noPass.code).toBe(2);
    const created = await cli(
      'ca',
      'create',
      '--cn',
      'Acme Factory CA',
      '--org',
      'Acme',
      '--key-type',
      'rsa2048',
      '--passphrase-file',
      passFile,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Factory CA: O=Acme, CN=Acme Factory CA (rsa2048), unlocked');

    // A new process: the CA is locked until the passphrase is given again.
    const status = await cli('ca', 'status', '--json');
    const report = JSON.parse(status.stdout) as {
      value: { state: string; ca: { fingerprint: string; certificatePem: string } };
    };
    expect(report.value.state).toBe('locked');
    const caFile = path.join(work.dir, 'ca.pem');
    fs.writeFileSync(caFile, report.value.ca.certificatePem);

    const wrong = await runCli(['certs', 'issue', 'F000000001', '--out', work.dir, '--data-dir', dataDir], {
      LINESIDE_CA_PASSPHRASE: 'not the passphrase',
    });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('That passphrase does not open the factory CA key');

    const out = path.join(work.dir, 'unit1');
    const issued = await cli(
      'certs',
      'issue',
      'F000000001',
      '--out',
      out,
      '--key-type',
      'ec-p256',
      '--org',
      'Acme',
      '--passphrase-file',
      passFile,
    );
    expect(issued.code, issued.stderr).toBe(0);
    expect(fs.statSync(path.join(out, 'ioto.key')).mode & 0o777).toBe(0o600);
    expect(openssl(['verify', '-CAfile', caFile, path.join(out, 'ioto.crt')]).stdout).toContain(': OK');
    const cert = new X509Certificate(fs.readFileSync(path.join(out, 'ioto.crt')));
    expect(cert.checkPrivateKey(createPrivateKey(fs.readFileSync(path.join(out, 'ioto.key'))))).toBe(true);
    expect(issued.stdout).toContain(cert.fingerprint256);
    expect(issued.stdout + issued.stderr).not.toContain('PRIVATE KEY');

    const csr = makeCsr(work.dir, 'unit2', 'rsa2048', '/CN=F000000002');
    const csrFile = path.join(work.dir, 'unit2.csr');
    const out2 = path.join(work.dir, 'unit2');
    const signed = await cli(
      'certs',
      'issue',
      'F000000002',
      '--out',
      out2,
      '--csr',
      csrFile,
      '--passphrase-file',
      passFile,
    );
    expect(signed.code, signed.stderr).toBe(0);
    expect(fs.existsSync(path.join(out2, 'ioto.key'))).toBe(false);
    expect(
      new X509Certificate(fs.readFileSync(path.join(out2, 'ioto.crt'))).checkPrivateKey(
        createPrivateKey(fs.readFileSync(csr.keyFile)),
      ),
    ).toBe(true);

    const revoked = await cli('certs', 'revoke', 'F000000001', '--reason', 'superseded');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain('REVOKED');
    const crlFile = path.join(work.dir, 'crl.pem');
    const crl = await cli('certs', 'crl', '--out', crlFile, '--passphrase-file', passFile);
    expect(crl.code, crl.stderr).toBe(0);
    const check = openssl([
      'verify',
      '-crl_check',
      '-CAfile',
      caFile,
      '-CRLfile',
      crlFile,
      path.join(out, 'ioto.crt'),
    ]);
    expect(check.stdout + check.stderr).toContain('certificate revoked');

    const csv = await cli('certs', 'list', '--export', 'csv');
    expect(csv.stdout.trim().split('\n')).toHaveLength(3);
    expect(csv.stdout).toContain(cert.fingerprint256);
    const list = await cli('certs', 'list', '--claim-id', 'F000000002');
    expect(list.stdout).toContain('F000000002');
    expect(list.stdout).toContain('rsa2048 (device key)');
    // Thirteen CLI processes, each unlock paying the CA key's 600,000-iteration KDF: slow on a loaded machine.
  }, 180_000);
});
