import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificatePolicy } from '../../../electron/shared/contract';
import { startMosquitto, type Broker } from '../../support/mosquitto';
import { makeLeaf, makeOpensslCa } from '../../support/openssl';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const PASS = 'line 3 passphrase';

/** Connects the way a unit does (client ID = claim ID) and says whether the broker let it in. */
function connects(broker: Broker, caPem: string, certPem: string, keyPem: string, clientId: string) {
  return new Promise<{ ok: boolean; reason: string }>((resolve) => {
    const client = mqtt.connect(broker.tlsUrl!, {
      ca: caPem,
      cert: certPem,
      key: keyPem,
      clientId,
      rejectUnauthorized: true,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    const done = (ok: boolean, reason: string) => {
      client.end(true);
      resolve({ ok, reason });
    };
    client.once('connect', () => {
      // A round trip proves the session is really up.
      client.subscribe(`ioto/device/${clientId}/#`, (error) =>
        done(!error, error ? String(error) : 'subscribed'),
      );
    });
    client.once('error', (error) => done(false, String(error)));
    client.once('close', () => done(false, 'closed'));
  });
}

describe('a real Mosquitto that trusts the factory CA', () => {
  let station: TestStation;
  let work: { dir: string; cleanup: () => void };
  let broker: Broker;
  let caPem: string;
  const policy: CertificatePolicy = {
    keyType: 'ec-p256',
    keySource: 'host',
    validityDays: 365,
    subject: { O: 'Acme' },
    escrow: false,
  };
  const issued: Record<string, { certificatePem: string; keyPem: string }> = {};
  let stranger: { cert: string; key: string };

  beforeAll(async () => {
    work = makeTempDir('lineside-mqtt-');
    station = createTestStation({ clock: { now: () => new Date() } });
    seedUnits(station, ['E000000001', 'E000000002', 'E000000003', 'E000000004']);
    await station.certs.ca.create({
      commonName: 'Acme Factory CA',
      keyType: 'ec-p256',
      validityDays: 365,
      passphrase: PASS,
    });
    caPem = station.certs.ca.status().ca!.certificatePem;
    const caFile = path.join(work.dir, 'ca.pem');
    fs.writeFileSync(caFile, caPem);

    issued.ec = await station.certs.issueWithHostKey('E000000001', policy);
    issued.rsa = await station.certs.issueWithHostKey('E000000002', { ...policy, keyType: 'rsa2048' });
    issued.revoked = await station.certs.issueWithHostKey('E000000003', policy);
    await station.dispatch('revokeCertificate', { claimId: 'E000000003', reason: 'keyCompromise' });
    const crl = await station.dispatch('exportCrl', {});
    if (!crl.ok) throw new Error(crl.error.message);
    const crlFile = path.join(work.dir, 'crl.pem');
    fs.writeFileSync(crlFile, (crl.value as { crlPem: string }).crlPem);

    // The broker's own certificate, signed by openssl with the factory CA key (its encrypted file).
    const server = makeLeaf(
      work.dir,
      'broker',
      { certFile: caFile, keyFile: path.join(station.dataDir, 'ca', 'ca.key'), password: PASS },
      { cn: '127.0.0.1', ext: ['subjectAltName=IP:127.0.0.1', 'extendedKeyUsage=serverAuth'] },
    );
    // A client certificate for a known claim ID, but from some other CA.
    const other = makeOpensslCa(work.dir, 'Other CA', 'ec-p256');
    const strangerFiles = makeLeaf(work.dir, 'stranger', other, {
      cn: 'E000000004',
      ext: ['extendedKeyUsage=clientAuth', 'keyUsage=critical,digitalSignature'],
    });
    stranger = {
      cert: fs.readFileSync(strangerFiles.certFile, 'utf8'),
      key: fs.readFileSync(strangerFiles.keyFile, 'utf8'),
    };

    broker = await startMosquitto({
      tls: {
        cafile: caFile,
        certfile: server.certFile,
        keyfile: server.keyFile,
        requireCertificate: true,
        crlfile: crlFile,
      },
    });
  });
  afterAll(async () => {
    await broker?.stop();
    station?.cleanup();
    work?.cleanup();
  });

  it('accepts units connecting with Lineside-issued EC and RSA certificates', async () => {
    expect(await connects(broker, caPem, issued.ec!.certificatePem, issued.ec!.keyPem, 'E000000001')).toEqual(
      {
        ok: true,
        reason: 'subscribed',
      },
    );
    expect(
      await connects(broker, caPem, issued.rsa!.certificatePem, issued.rsa!.keyPem, 'E000000002'),
    ).toEqual({
      ok: true,
      reason: 'subscribed',
    });
  });

  it('refuses a certificate signed by another CA', async () => {
    const result = await connects(broker, caPem, stranger.cert, stranger.key, 'E000000004');
    expect(result.ok).toBe(false);
  });

  it('refuses a revoked certificate once the broker has the CRL', async () => {
    const result = await connects(
      broker,
      caPem,
      issued.revoked!.certificatePem,
      issued.revoked!.keyPem,
      'E000000003',
    );
    expect(result.ok).toBe(false);
  });
});
