/**
 * The device-generated key path with real parts: the simulated unit over a socat pty (framed CSR
 * command) and a real /bin/sh over a pty (`openssl req` on the unit). The unit keeps its key in
 * certs/ioto.key (0600); the station gets only a CSR, checks it, and writes certs/ioto.crt. The
 * certificate must carry the public key of the key the unit kept, pass `openssl verify`, and the
 * key must appear nowhere on the station.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CertificatePolicy, CertKeyType } from '../../../electron/shared/contract';
import { openFramedSession } from '../../../electron/core/transport/framed';
import { openShellSession } from '../../../electron/core/transport/shell';
import type { DeviceFile, DeviceSession } from '../../../electron/core/transport/types';
import { startSimulator, type Fault } from '../../support/deviceSim';
import { openssl } from '../../support/openssl';
import { createShellPty } from '../../support/ptyPair';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const PASS = 'line 3 passphrase';

function policy(keyType: CertKeyType, keySource: 'host' | 'device' = 'device'): CertificatePolicy {
  return {
    keyType,
    keySource,
    validityDays: 730,
    subject: { O: 'Acme Sensors', OU: 'Line 3' },
    escrow: false,
  };
}

/** Every byte the station keeps: its data directory (SQLite file, WAL, CA files, logs). */
function stationBytes(dir: string): string {
  let all = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) all += fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1');
  return all;
}

describe('certificates for units that make their own key', () => {
  let station: TestStation;
  let work: { dir: string; cleanup: () => void };
  let caFile: string;
  const cleanups: Array<() => unknown> = [];
  const units = ['D00000000A', 'D00000000B', 'D00000000C', 'D00000000D', 'D00000000E', 'D00000000F'];
  const shellUnits = ['E00000000A', 'E00000000B', 'E00000000C'];

  beforeAll(async () => {
    work = makeTempDir('lineside-devkey-');
    station = createTestStation({ clock: { now: () => new Date() } });
    seedUnits(station, [...units, ...shellUnits, 'H00000000A', 'H00000000B']);
    const created = await station.dispatch('createCa', {
      commonName: 'Acme Factory CA',
      organization: 'Acme Sensors',
      keyType: 'ec-p256',
      validityDays: 3650,
      passphrase: PASS,
    });
    expect(created).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    caFile = path.join(work.dir, 'ca.pem');
    fs.writeFileSync(caFile, station.certs.ca.status().ca!.certificatePem);
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(() => {
    station.cleanup();
    work.cleanup();
  });

  async function simUnit(faults: Fault[] = [], extra: { withoutCsr?: boolean } = {}) {
    const temp = makeTempDir('lineside-sim-');
    cleanups.push(temp.cleanup);
    const sim = await startSimulator({ dir: temp.dir, baud: 921600, faults, ...extra });
    cleanups.push(() => sim.stop());
    const session = await openFramedSession({
      path: sim.path,
      settings: { kind: 'framed', baudRate: 921600, deviceDir: '', timeoutMs: 5000 },
    });
    cleanups.push(() => session.close());
    return { stateDir: temp.dir, session, sim };
  }

  async function shellUnit(env?: Record<string, string>) {
    const temp = makeTempDir('lineside-unit-');
    cleanups.push(temp.cleanup);
    const pty = await createShellPty({ cwd: temp.dir, ...(env ? { env } : {}) });
    cleanups.push(() => pty.stop());
    const stateDir = path.join(temp.dir, 'state');
    const console: string[] = [];
    const session = await openShellSession({
      path: pty.a,
      settings: { kind: 'shell', baudRate: 115200, deviceDir: stateDir, timeoutMs: 8000 },
      onConsole: (t) => console.push(t),
    });
    cleanups.push(() => session.close());
    return { temp: temp.dir, stateDir, session, console };
  }

  /**
   * What a technician would check: only the certificate comes back to write, the unit's key file
   * is 0600 and its public key is the certificate's (Node and openssl agree), openssl verify
   * accepts it, and the key is nowhere on the station.
   */
  function expectIssuedForKeptKey(
    files: DeviceFile[],
    stateDir: string,
    claimId: string,
    keyType: CertKeyType,
  ) {
    expect(files.map((f) => [f.path, f.mode])).toEqual([['certs/ioto.crt', 0o600]]);
    const keyFile = path.join(stateDir, 'certs/ioto.key');
    expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    const keyPem = fs.readFileSync(keyFile, 'utf8');
    const key = createPrivateKey(keyPem);
    expect(key.asymmetricKeyType).toBe(keyType === 'ec-p256' ? 'ec' : 'rsa');
    if (keyType !== 'ec-p256')
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(keyType === 'rsa2048' ? 2048 : 3072);

    const cert = new X509Certificate(files[0]!.content);
    const spki = (k: ReturnType<typeof createPublicKey>) => k.export({ type: 'spki', format: 'der' });
    expect(spki(cert.publicKey).equals(spki(createPublicKey(key)))).toBe(true);
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(cert.subject.split('\n')).toEqual(['O=Acme Sensors', 'OU=Line 3', `CN=${claimId}`]);

    const certFile = path.join(work.dir, `${claimId}.crt`);
    fs.writeFileSync(certFile, files[0]!.content);
    const fromCert = openssl(['x509', '-in', certFile, '-noout', '-pubkey']).stdout;
    const fromKey = openssl(['pkey', '-in', keyFile, '-pubout']).stdout;
    expect(fromCert).toContain('PUBLIC KEY');
    expect(fromCert).toBe(fromKey);
    const verify = openssl(['verify', '-CAfile', caFile, '-purpose', 'sslclient', certFile]);
    expect(verify.stdout.trim(), verify.stderr).toBe(`${certFile}: OK`);

    expectKeyNowhereOnStation(keyPem, claimId);
    return keyPem;
  }

  function expectKeyNowhereOnStation(keyPem: string, claimId: string) {
    const body = keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
    const probe = body[1]!; // a full line of the key's base64
    const der = Buffer.from(body.join(''), 'base64').toString('latin1');
    const disk = stationBytes(station.dataDir);
    expect(disk.includes(probe)).toBe(false);
    expect(disk.includes(der)).toBe(false);
    const events = JSON.stringify(
      station.store.db.prepare('SELECT * FROM events WHERE claim_id = ?').all(claimId),
    );
    expect(events).toContain('cert.issued');
    const results = JSON.stringify([
      station.certs.list(claimId, 10),
      station.certs.exportList('json'),
      station.certs.exportList('csv'),
    ]);
    for (const text of [events, results]) {
      expect(text).not.toContain(probe);
      expect(text).not.toContain('PRIVATE KEY');
    }
  }

  it.each([
    ['rsa2048', 'D00000000A'],
    ['rsa3072', 'D00000000B'],
    ['ec-p256', 'D00000000C'],
  ] as const)(
    'the simulated unit makes a %s key over the framed CSR command; the certificate matches it',
    async (keyType, claimId) => {
      const { stateDir, session } = await simUnit();
      const files = await station.certs.certificateFilesFor({ claimId, policy: policy(keyType), session });
      expectIssuedForKeptKey(files, stateDir, claimId, keyType);
      // The station then writes the certificate next to the key and reads it back.
      await session.writeFiles(files);
      expect((await session.verifyFiles(files)).every((v) => v.ok)).toBe(true);
      const onUnit = new X509Certificate(fs.readFileSync(path.join(stateDir, 'certs/ioto.crt')));
      expect(
        onUnit.checkPrivateKey(createPrivateKey(fs.readFileSync(path.join(stateDir, 'certs/ioto.key')))),
      ).toBe(true);
      expect(station.certs.list(claimId, 10)).toMatchObject([{ keySource: 'device', keyType }]);
    },
  );

  it("a damaged CSR reply is sent again from the unit's reply cache: one key, and the certificate matches it", async () => {
    const { stateDir, session, sim } = await simUnit([{ kind: 'flip-reply', command: 'CSR' }]);
    const files = await station.certs.certificateFilesFor({
      claimId: 'D00000000F',
      policy: policy('ec-p256'),
      session,
    });
    expect(session.stats.retransmissions).toBe(1);
    // The retransmission was answered from the cache: the unit made its key once.
    expect(sim.stats.duplicates).toBe(1);
    expect(sim.stats.faultsInjected).toEqual({ 'flip-reply': 1 });
    expectIssuedForKeptKey(files, stateDir, 'D00000000F', 'ec-p256');
  });

  it('a CSR for the wrong subject, or with a bad signature, is refused and nothing is issued', async () => {
    const wrong = await simUnit([{ kind: 'wrong-subject' }]);
    const refused = station.certs.certificateFilesFor({
      claimId: 'D00000000D',
      policy: policy('ec-p256'),
      session: wrong.session,
    });
    await expect(refused).rejects.toMatchObject({
      code: 'csr-refused',
      message: /names ZZZZZZZZZZ, not this unit/,
    });
    expect(station.certs.list('D00000000D', 10)).toEqual([]);

    const damaged = await simUnit([{ kind: 'bad-signature' }]);
    await expect(
      station.certs.certificateFilesFor({
        claimId: 'D00000000E',
        policy: policy('rsa2048'),
        session: damaged.session,
      }),
    ).rejects.toMatchObject({ code: 'csr-refused', message: /bad signature/ });
    expect(station.certs.list('D00000000E', 10)).toEqual([]);

    // The same unit asked again (no fault now) gets its certificate.
    const files = await station.certs.certificateFilesFor({
      claimId: 'D00000000D',
      policy: policy('ec-p256'),
      session: wrong.session,
    });
    expectIssuedForKeptKey(files, wrong.stateDir, 'D00000000D', 'ec-p256');
  });

  it('a key type the profile did not ask for is refused, and a locked CA stops before the unit makes a key', async () => {
    const { stateDir, session } = await simUnit();
    // A unit that made an RSA key while the profile asks for EC P-256: the CSR is refused.
    const csrPem = await session.requestCsr({ claimId: 'D00000000F', keyType: 'rsa2048', subject: {} });
    expect(() => station.certs.signCsr('D00000000F', csrPem, policy('ec-p256'))).toThrow(
      expect.objectContaining({ code: 'csr-refused' }),
    );
    const keyBefore = fs.readFileSync(path.join(stateDir, 'certs/ioto.key'));
    station.certs.ca.lock();
    try {
      await expect(
        station.certs.certificateFilesFor({ claimId: 'D00000000F', policy: policy('ec-p256'), session }),
      ).rejects.toMatchObject({ code: 'ca-locked' });
      expect(fs.readFileSync(path.join(stateDir, 'certs/ioto.key')).equals(keyBefore)).toBe(true);
    } finally {
      await station.dispatch('unlockCa', { passphrase: PASS });
    }
  });

  it('firmware without the CSR command, or without the key type, gets a clear message and no certificate', async () => {
    const old = await simUnit([], { withoutCsr: true });
    await expect(
      station.certs.certificateFilesFor({
        claimId: 'E00000000C',
        policy: policy('ec-p256'),
        session: old.session,
      }),
    ).rejects.toMatchObject({
      code: 'device-refused',
      message: /cannot make its own key.*keySource to host/,
    });
    const { session } = await simUnit();
    await expect(
      // A key type this unit's firmware does not know (type byte 0).
      session.requestCsr({ claimId: 'E00000000C', keyType: 'ed25519' as 'ec-p256', subject: {} }),
    ).rejects.toMatchObject({ code: 'device-refused', message: /cannot make this kind of key.*KEY_TYPE/ });
    expect(station.certs.list('E00000000C', 10)).toEqual([]);
  });

  it.each([
    ['rsa2048', 'E00000000A'],
    ['ec-p256', 'E00000000B'],
  ] as const)(
    'a Linux unit makes a %s key with openssl req on its shell; the certificate matches it',
    async (keyType, claimId) => {
      const unit = await shellUnit();
      const files = await station.certs.certificateFilesFor({
        claimId,
        policy: policy(keyType),
        session: unit.session,
      });
      const keyPem = expectIssuedForKeptKey(files, unit.stateDir, claimId, keyType);
      // No temporary files left beside the key, and the key never crossed the console.
      expect(fs.readdirSync(path.join(unit.stateDir, 'certs'))).toEqual(['ioto.key']);
      const consoleText = unit.console.join('');
      expect(consoleText).toContain('BEGIN CERTIFICATE REQUEST');
      expect(consoleText).not.toContain('PRIVATE KEY');
      expect(consoleText).not.toContain(keyPem.split('\n')[1]!);
      await unit.session.writeFiles(files);
      expect((await unit.session.verifyFiles(files)).every((v) => v.ok)).toBe(true);
    },
  );

  it('a Linux unit without openssl gets a clear message with the fix', async () => {
    // A PATH with the usual tools but no openssl.
    const bin = path.join(work.dir, 'bin-no-openssl');
    fs.mkdirSync(bin, { recursive: true });
    for (const tool of [
      'socat',
      'stty',
      'uname',
      'mkdir',
      'chmod',
      'mv',
      'rm',
      'cat',
      'sync',
      'base64',
      'sha256sum',
    ]) {
      const target = execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      if (!fs.existsSync(path.join(bin, tool))) fs.symlinkSync(target, path.join(bin, tool));
    }
    const unit = await shellUnit({ PATH: bin });
    await expect(
      station.certs.certificateFilesFor({
        claimId: 'E00000000C',
        policy: policy('ec-p256'),
        session: unit.session,
      }),
    ).rejects.toMatchObject({ code: 'device-refused', message: /no openssl.*keySource to host/ });
    expect(fs.existsSync(path.join(unit.stateDir, 'certs/ioto.key'))).toBe(false);
    expect(station.certs.list('E00000000C', 10)).toEqual([]);
  });

  it('host keys: certs/ioto.crt and certs/ioto.key (0600) to write, and the key is not kept', async () => {
    const session: Pick<DeviceSession, 'requestCsr'> = {};
    const files = await station.certs.certificateFilesFor({
      claimId: 'H00000000A',
      policy: policy('ec-p256', 'host'),
      session,
    });
    expect(files.map((f) => [f.path, f.mode])).toEqual([
      ['certs/ioto.crt', 0o600],
      ['certs/ioto.key', 0o600],
    ]);
    const cert = new X509Certificate(files[0]!.content);
    expect(cert.checkPrivateKey(createPrivateKey(files[1]!.content))).toBe(true);
    expectKeyNowhereOnStation(files[1]!.content.toString('utf8'), 'H00000000A');

    // A device-key profile on a transport that cannot make CSRs: a clear message, nothing issued.
    await expect(
      station.certs.certificateFilesFor({ claimId: 'H00000000B', policy: policy('ec-p256'), session }),
    ).rejects.toMatchObject({ code: 'device-refused', message: /keySource to host/ });
    expect(station.certs.list('H00000000B', 10)).toEqual([]);
  });
});
