import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import type { OperationName, RequestOf, ResponseOf, Result } from '../../../electron/shared/contract';
import { freePort, startMosquitto, type Broker } from '../../support/mosquitto';
import { makeCa, makeCert } from '../../support/testCerts';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';
import { startSimulatedDevice } from '../../support/iotoDevice';

let temp: { dir: string; cleanup: () => void };
let broker: Broker;
let station: TestStation;
let unit: { crt: string; key: string };
let stranger: { crt: string; key: string };
let ca: { crt: string; key: string };

async function call<K extends OperationName>(op: K, req: RequestOf<K>): Promise<ResponseOf<K>> {
  const r = (await station.dispatch(op, req)) as Result<ResponseOf<K>>;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  temp = makeTempDir();
  ca = makeCa(temp.dir, 'line-ca');
  const server = makeCert(temp.dir, ca, 'broker', { cn: '127.0.0.1', san: 'IP:127.0.0.1' });
  unit = makeCert(temp.dir, ca, 'unit', { cn: 'M72DANY8BZ', days: 10 });
  const otherCa = makeCa(temp.dir, 'other-ca');
  stranger = makeCert(temp.dir, otherCa, 'stranger', { cn: 'STRANGER00' });
  broker = await startMosquitto({ tls: { cafile: ca.crt, certfile: server.crt, keyfile: server.key } });
  station = createTestStation({ clock: systemClock });
});
afterAll(async () => {
  station.cleanup();
  await broker.stop();
  temp.cleanup();
});

describe('connectivity from the station', () => {
  it('passes every step with the unit certificate over TLS', async () => {
    const report = await call('checkConnectivity', {
      url: broker.tlsUrl!,
      certPath: unit.crt,
      keyPath: unit.key,
      caPath: ca.crt,
    });
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['broker reachable', true],
      ['TLS handshake with the unit certificate', true],
      ['MQTT session accepted', true],
    ]);
    expect(report.ok).toBe(true);
  });

  it('names the TLS step when the broker refuses a certificate from another CA', async () => {
    const report = await call('checkConnectivity', {
      url: broker.tlsUrl!,
      certPath: stranger.crt,
      keyPath: stranger.key,
      caPath: ca.crt,
    });
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['broker reachable', true],
      ['TLS handshake with the unit certificate', false],
    ]);
    expect(report.checks[1]!.message).toMatch(/^The broker refused the unit's certificate/);
  });

  it('a page that goes away mid-check ends it at once: cancelled, its socket closed, no later step run', async () => {
    // A "broker" that accepts TCP and never speaks TLS: the handshake step would wait 20 s.
    const net = await import('node:net');
    const seen: Array<{ closed: boolean }> = [];
    const server = net.createServer((socket) => {
      const entry = { closed: false };
      seen.push(entry);
      socket.on('close', () => (entry.closed = true));
      socket.on('error', () => undefined);
      socket.resume(); // reads (and ignores) the ClientHello, so the client's close is seen
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const controller = new AbortController();
      const started = Date.now();
      const pending = station.dispatch(
        'checkConnectivity',
        { url: `mqtts://127.0.0.1:${port}`, certPath: unit.crt, keyPath: unit.key, timeoutMs: 20_000 },
        { signal: controller.signal },
      );
      // The reachability check's connection, then the handshake's.
      for (let i = 0; i < 200 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
      expect(seen).toHaveLength(2);
      controller.abort();
      const result = await pending;
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(5000);
      for (let i = 0; i < 100 && !seen[1]!.closed; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen[1]!.closed).toBe(true);
      expect(seen).toHaveLength(2);
    } finally {
      server.close();
    }
  });

  it('says nothing answers when the port is closed', async () => {
    const report = await call('checkConnectivity', {
      url: `mqtts://127.0.0.1:${await freePort()}`,
      timeoutMs: 2000,
    });
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]!.message).toMatch(/^Nothing answers at 127\.0\.0\.1:\d+/);
  });
});

describe('device identity', () => {
  it('reads the identity files, warns about expiry and clock skew, and compares with the station record', async () => {
    const state = path.join(temp.dir, 'state');
    fs.mkdirSync(path.join(state, 'config'), { recursive: true });
    fs.mkdirSync(path.join(state, 'certs'), { recursive: true });
    fs.writeFileSync(
      path.join(state, 'config', 'device.json5'),
      "{ product: '01H4R15D3478JD26YDYK408XE6', id: 'M72DANY8BZ', name: 'Pump', profileHash: 'abc123' }\n",
    );
    fs.writeFileSync(
      path.join(state, 'config', 'provision.json5'),
      "{ id: 'M72DANY8BZ', api: 'https://x', token: 't' }\n",
    );
    fs.copyFileSync(unit.crt, path.join(state, 'certs', 'ioto.crt'));
    fs.copyFileSync(unit.key, path.join(state, 'certs', 'ioto.key'));
    fs.chmodSync(path.join(state, 'certs', 'ioto.key'), 0o644);

    seedUnits(station, ['M72DANY8BZ']);
    station.store.db
      .prepare('UPDATE units SET profile_hash = ? WHERE claim_id = ?')
      .run('def456', 'M72DANY8BZ');
    const fingerprint = new crypto.X509Certificate(fs.readFileSync(unit.crt)).fingerprint256;
    station.store.events.append({
      kind: 'certificate.issued',
      claimId: 'M72DANY8BZ',
      data: { fingerprint256: fingerprint },
    });

    const report = await call('inspectIdentity', {
      dir: state,
      deviceTime: new Date(Date.now() + 2 * 3_600_000).toISOString(),
    });
    expect(report.device).toMatchObject({ id: 'M72DANY8BZ', name: 'Pump' });
    expect(report.provision).toMatchObject({ id: 'M72DANY8BZ' });
    expect(report.certificate).toMatchObject({
      subject: 'CN=M72DANY8BZ, O=Lineside Test',
      issuer: 'CN=line-ca',
    });
    expect(report.certificate!.daysLeft).toBeGreaterThanOrEqual(8);
    expect(report.certificate!.daysLeft).toBeLessThanOrEqual(10);
    expect(report.clockSkewMs).toBeGreaterThan(7_100_000);
    const messages = report.warnings.map((w) => w.message);
    expect(messages).toContainEqual(expect.stringMatching(/^The certificate expires in \d+ days/));
    expect(messages).toContainEqual(expect.stringMatching(/^The unit's clock is \d+ s ahead of the station/));
    expect(messages).toContainEqual(
      expect.stringMatching(/^certs\/ioto\.key is readable by others \(mode 644\)/),
    );
    expect(report.comparison).toEqual([
      { field: 'claim ID', station: 'M72DANY8BZ', device: 'M72DANY8BZ', match: true },
      { field: 'profile hash', station: 'def456', device: 'abc123', match: false },
      { field: 'certificate fingerprint', station: fingerprint, device: fingerprint, match: true },
    ]);
  });

  it('flags a provision file for another unit and a missing product', async () => {
    const report = await call('inspectIdentity', {
      deviceJson5: "{ id: 'AAAA000001' }",
      provisionJson5: "{ id: 'BBBB000002', api: 'x', token: 'y' }",
    });
    const messages = report.warnings.map((w) => w.message);
    expect(messages).toContain('device.json5 has no product token: the agent refuses to start.');
    expect(messages).toContainEqual(
      expect.stringMatching(/^provision\.json5 is for BBBB000002 but device\.json5 is AAAA000001/),
    );
    expect(report.comparison).toBeNull();
  });
});

describe('device store over MQTT with TLS client certificates', () => {
  it('mirrors a device that connects with its certificate, Lineside with its own', async () => {
    const station509 = makeCert(temp.dir, ca, 'station', { cn: 'lineside-station' });
    const read = (f: string) => fs.readFileSync(f, 'utf8');
    const opening = call('openDeviceMqtt', {
      url: broker.tlsUrl!,
      claimId: 'M72DANY8BZ',
      certPath: station509.crt,
      keyPath: station509.key,
      caPath: ca.crt,
      timeoutMs: 15_000,
    });
    // No pause for Lineside to subscribe first: the device resends its changes every 300 ms until
    // they are acknowledged, so whichever connects first, the mirror fills.
    const device = await startSimulatedDevice({
      url: broker.tlsUrl!,
      claimId: 'M72DANY8BZ',
      store: { mode: 'eco' },
      syncUp: true,
      resendMs: 300,
      tls: { cert: read(unit.crt), key: read(unit.key), ca: read(ca.crt) },
    });
    try {
      const opened = await opening;
      expect(opened).toMatchObject({ kind: 'mqtt', label: `M72DANY8BZ @ ${broker.tlsUrl}` });
      const rows = async () =>
        (await call('listDeviceItems', { sourceId: opened.sourceId, model: 'Store' })).items.map(
          (r) => `${r.key}=${r.value}`,
        );
      await expect.poll(rows, { timeout: 10_000 }).toEqual(['mode=eco']);
    } finally {
      await device.stop();
      await station.deviceStores.closeAll();
    }
  });

  it('says the broker refused when Lineside has no certificate', async () => {
    const r = (await station.dispatch('openDeviceMqtt', {
      url: broker.tlsUrl!,
      claimId: 'M72DANY8BZ',
      caPath: ca.crt,
      timeoutMs: 5000,
    })) as Result<unknown>;
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.message).toMatch(
        /^(The broker at mqtts:\/\/127\.0\.0\.1:\d+ refused the connection|Could not connect to the broker)/,
      );
  });
});
