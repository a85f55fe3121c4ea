/**
 * The whole line on real parts: a work order made from a profile, four simulated framed units on
 * four socat pty pairs (the real framed transport, paced like a UART), a factory CA issuing each
 * unit's certificate, and the outbox registering every verified unit with the stand-in cloud over
 * real HTTP. What a process engineer would check afterwards is what this test checks.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../support/deviceSim';
import { runCli } from '../../support/cli';
import { createPtyPair, createShellPty } from '../../support/ptyPair';
import {
  startStandinCloud,
  STANDIN_ACCOUNT,
  STANDIN_CLOUD,
  STANDIN_PRODUCT,
  type StandinCloud,
} from '../../support/standinCloud';
import { createTestStation, factoryProfilesDir, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const PASS = 'line-test-passphrase';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The shipped Thermostat Pro profile, pointed at the stand-in cloud with its product and account. */
function writeProfile(dataDir: string, cloud: StandinCloud): void {
  const text = fs
    .readFileSync(path.join(factoryProfilesDir, 'thermostat-pro.json5'), 'utf8')
    .replace(/product: '[0-9A-Z]{26}'/, `product: '${STANDIN_PRODUCT}'`)
    .replace(/builder: '[^']*'/, `builder: '${cloud.url}'`)
    .replace(/account: '[^']*'/, `account: '${STANDIN_ACCOUNT}'`)
    .replace(/cloud: 'acme-eu-1'/, `cloud: '${STANDIN_CLOUD}'`);
  fs.mkdirSync(path.join(dataDir, 'profiles'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'profiles', 'line-test.json5'), text);
}

/** How the station keeps the product token in stored text: a reference to its sealed copy. */
function sealedRef(station: TestStation): string {
  const ref = station.store.db
    .prepare("SELECT ref FROM secrets WHERE label LIKE 'product:%' AND fingerprint = ?")
    .pluck()
    .get(crypto.createHash('sha256').update(STANDIN_PRODUCT).digest('hex')) as string;
  return `{{secret:${ref}}}`;
}

async function setup(units: number) {
  const cloud = await startStandinCloud();
  cleanups.push(() => cloud.stop());
  const station: TestStation = createTestStation({ cloud: { autoStart: true, pollMs: 50 } });
  cleanups.push(() => station.cleanup());
  writeProfile(station.dataDir, cloud);
  await station.certs.ca.create({
    commonName: 'Line test CA',
    keyType: 'ec-p256',
    validityDays: 3650,
    passphrase: PASS,
  });
  station.certs.ca.unlock(PASS);
  const order = station.orders.createOrder({
    profile: 'line-test',
    quantity: units,
    orderId: 'WO-LINE',
    serials: { kind: 'range', prefix: 'TP', start: 1, width: 5 },
  });
  await station.orders.reserveRemaining(order.orderId);
  station.orders.setActiveOrder(order.orderId);
  const sims: Simulator[] = [];
  const dirs: string[] = [];
  for (let i = 0; i < units; i++) {
    const dir = makeTempDir('lineside-unit-');
    cleanups.push(dir.cleanup);
    // The unit reports its serial over HELLO: one of the order's range, as the factory flashed it.
    const sim = await startSimulator({
      dir: dir.dir,
      baud: 921600,
      serial: `TP${String(i + 1).padStart(5, '0')}`,
    });
    dirs.push(dir.dir);
    cleanups.push(() => sim.stop());
    sims.push(sim);
  }
  await station.services.configureStation({
    slotCount: units,
    ports: Object.fromEntries(sims.map((s, i) => [String(i + 1), s.path])),
  });
  return { cloud, station, dirs };
}

describe('the production line, end to end', () => {
  it('provisions four units in parallel: distinct IDs, files intact on each unit, certificates, registered once', async () => {
    const { cloud, station, dirs } = await setup(4);
    const reports = await Promise.all(
      [1, 2, 3, 4].map((slot) => station.services.startUnit({ slot, orderId: 'WO-LINE', wait: true })),
    );
    for (const r of reports)
      expect(r, JSON.stringify(r.failure)).toMatchObject({ status: 'pass', unitState: 'verified' });

    const ids = reports.map((r) => r.claimId!);
    expect(new Set(ids).size).toBe(4);
    const reserved = station.store.db
      .prepare("SELECT claim_id FROM units WHERE order_id = 'WO-LINE'")
      .pluck()
      .all() as string[];
    for (const id of ids) expect(reserved).toContain(id);

    for (const [i, r] of reports.entries()) {
      const unitDir = path.join(dirs[i]!, 'state');
      // device.json5 on the unit is byte-identical to what the station recorded writing.
      const onDevice = fs.readFileSync(path.join(unitDir, 'config', 'device.json5'));
      const written = station.store.db
        .prepare("SELECT content, sha256 FROM unit_files WHERE claim_id = ? AND path = 'config/device.json5'")
        .get(r.claimId) as { content: Buffer; sha256: string };
      expect(crypto.createHash('sha256').update(onDevice).digest('hex')).toBe(written.sha256);
      // Kept with the product token replaced by a reference to its sealed copy.
      expect(written.content.toString('utf8')).toBe(
        onDevice.toString('utf8').split(STANDIN_PRODUCT).join(sealedRef(station)),
      );
      const device = JSON5.parse(onDevice.toString('utf8')) as Record<string, unknown>;
      expect(device).toMatchObject({
        id: r.claimId,
        product: STANDIN_PRODUCT,
        model: 'TP-200',
        batch: 'WO-LINE',
      });
      expect(device.serial).toBe(r.serial);

      // The certificate on the unit is for this claim ID, issued by the factory CA, matching its key.
      const cert = new crypto.X509Certificate(fs.readFileSync(path.join(unitDir, 'certs', 'ioto.crt')));
      expect(cert.subject).toContain(`CN=${r.claimId}`);
      const key = crypto.createPrivateKey(fs.readFileSync(path.join(unitDir, 'certs', 'ioto.key')));
      expect(cert.checkPrivateKey(key)).toBe(true);
      // Only the fingerprint stays at the station: the device key is never kept.
      const keyPem = fs.readFileSync(path.join(unitDir, 'certs', 'ioto.key'), 'utf8');
      const keptKey = station.store.db
        .prepare(
          "SELECT count(*) FROM unit_files WHERE claim_id = ? AND path = 'certs/ioto.key' AND content IS NOT NULL",
        )
        .pluck()
        .get(r.claimId);
      expect(keptKey).toBe(0);
      expect(fs.readFileSync(station.store.file).includes(Buffer.from(keyPem.split('\n')[1]!))).toBe(false);
    }

    // The outbox registers every verified unit with the cloud exactly once, pre-claimed.
    await expect
      .poll(() => ids.every((id) => cloud.registrations.get(id) === 1), { timeout: 20_000 })
      .toBe(true);
    // The product token is a secret: nothing the renderer can ask for carries it in full.
    const seen: unknown[] = [];
    for (const id of ids) {
      seen.push(await station.dispatch('getUnit', { claimId: id }));
      seen.push(await station.dispatch('getUnitRun', { claimId: id }));
    }
    for (const op of [
      'listUnits',
      'getStationState',
      'getCloudStatus',
      'listOrders',
      'listProfiles',
    ] as const)
      seen.push(await station.dispatch(op, op === 'listUnits' ? {} : undefined));
    seen.push(await station.dispatch('getOrder', { orderId: 'WO-LINE' }));
    for (const r of seen) expect(r).toMatchObject({ ok: true });
    expect(JSON.stringify(seen)).not.toContain(STANDIN_PRODUCT);
    // Nor is it anywhere in the station's database files (profile versions, written files, journal),
    // which only the station's user may read.
    for (const f of [station.store.file, `${station.store.file}-wal`])
      if (fs.existsSync(f)) {
        expect(fs.readFileSync(f).includes(Buffer.from(STANDIN_PRODUCT)), f).toBe(false);
        expect((fs.statSync(f).mode & 0o777).toString(8), f).toBe('600');
      }
    expect((fs.statSync(station.dataDir).mode & 0o777).toString(8)).toBe('700');

    for (const id of ids) {
      expect(cloud.devices.get(id)?.body).toMatchObject({
        id,
        product: STANDIN_PRODUCT,
        account: STANDIN_ACCOUNT,
        cloud: STANDIN_CLOUD,
      });
    }
  }, 120_000);
});

describe('a pre-claimed unit (the profile names account and cloud)', () => {
  it('gets device.json5, its certificate and provision.json5 in one pass; without the builder it passes, is reported, and a rework adds it', async () => {
    const { cloud, station, dirs } = await setup(2);
    const unitDir = path.join(dirs[0]!, 'state');
    const first = await station.services.startUnit({ slot: 1, orderId: 'WO-LINE', wait: true });
    expect(first, JSON.stringify(first.failure)).toMatchObject({ status: 'pass', warnings: [] });
    const id = first.claimId!;
    // Registered before its files were rendered: one pass, one registration, all three files.
    expect(cloud.registrations.get(id)).toBe(1);
    expect(fs.existsSync(path.join(unitDir, 'config', 'device.json5'))).toBe(true);
    expect(fs.existsSync(path.join(unitDir, 'certs', 'ioto.crt'))).toBe(true);
    const provision = JSON5.parse(
      fs.readFileSync(path.join(unitDir, 'config', 'provision.json5'), 'utf8'),
    ) as Record<string, unknown>;
    // Exactly what the builder answered (a real builder's claimed answer has no endpoint, port,
    // certificate or key: the device fetches those from {api}/tok/device/provision).
    const answer = cloud.devices.get(id)!.answer;
    expect(provision).toEqual({ ...answer, id });
    for (const key of ['endpoint', 'port', 'certificate', 'key']) expect(provision).not.toHaveProperty(key);
    expect(provision).toMatchObject({
      id,
      accountId: STANDIN_ACCOUNT,
      cloud: STANDIN_CLOUD,
      registered: true,
    });
    // The afterVerified registration was the same row: not sent again.
    expect(cloud.registrations.get(id)).toBe(1);

    // The builder is down: the next unit passes without provision.json5, and says so.
    await cloud.stop();
    const second = await station.services.startUnit({ slot: 2, orderId: 'WO-LINE', wait: true });
    expect(second.status, JSON.stringify(second.failure)).toBe('pass');
    const id2 = second.claimId!;
    expect(second.warnings.join('\n')).toContain(
      `Unit ${id2} passed without provision.json5: the cloud builder could not be reached. When it answers, rework it (Rework unit, or lineside provision --order WO-LINE --port P --rework ${id2}) to add it.`,
    );
    const unit2 = path.join(dirs[1]!, 'state');
    expect(fs.existsSync(path.join(unit2, 'config', 'device.json5'))).toBe(true);
    expect(fs.existsSync(path.join(unit2, 'config', 'provision.json5'))).toBe(false);
    const report = await station.dispatch('getCloudReport', { orderId: 'WO-LINE' });
    expect(report).toMatchObject({ ok: true, value: { needsProvisionFile: [id2] } });

    // The builder is back: the engineer's rework registers it and writes provision.json5.
    await cloud.start();
    const resumed = await station.services.startUnit({
      slot: 2,
      orderId: 'WO-LINE',
      rework: id2,
      wait: true,
    });
    expect(resumed, JSON.stringify(resumed.failure)).toMatchObject({ status: 'pass', warnings: [] });
    const provision2 = JSON5.parse(fs.readFileSync(path.join(unit2, 'config', 'provision.json5'), 'utf8'));
    expect(provision2).toMatchObject({
      id: id2,
      accountId: STANDIN_ACCOUNT,
      token: cloud.devices.get(id2)!.answer.token,
    });
    const after = await station.dispatch('getCloudReport', { orderId: 'WO-LINE' });
    expect(after).toMatchObject({ ok: true, value: { needsProvisionFile: [] } });
    expect(cloud.registrations.get(id2)).toBe(1);
  }, 120_000);
});

describe('certificates on rework', () => {
  it('keeps one valid certificate per unit: reused while the unit holds its key, superseded and revoked when the key changed', async () => {
    const { station, dirs } = await setup(1);
    const certs = path.join(dirs[0]!, 'state', 'certs');
    const first = await station.services.startUnit({ slot: 1, orderId: 'WO-LINE', wait: true });
    expect(first, JSON.stringify(first.failure)).toMatchObject({ status: 'pass' });
    const id = first.claimId!;
    // certs/ioto.crt is written 0600, like the key (§1).
    expect(fs.statSync(path.join(certs, 'ioto.crt')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(certs, 'ioto.key')).mode & 0o777).toBe(0o600);
    const crt1 = fs.readFileSync(path.join(certs, 'ioto.crt'), 'utf8');
    const key1 = fs.readFileSync(path.join(certs, 'ioto.key'), 'utf8');
    const rows = () =>
      station.store.db
        .prepare(
          'SELECT serial, revoked_at, revocation_reason FROM device_certificates WHERE claim_id = ? ORDER BY rowid',
        )
        .all(id) as { serial: string; revoked_at: string | null; revocation_reason: string | null }[];
    expect(rows()).toHaveLength(1);
    const s1 = rows()[0]!.serial;

    // Rework with the key unchanged on the unit: the same certificate, no second one issued.
    const again = await station.services.startUnit({ slot: 1, orderId: 'WO-LINE', rework: id, wait: true });
    expect(again, JSON.stringify(again.failure)).toMatchObject({ status: 'pass', claimId: id });
    expect(rows()).toEqual([{ serial: s1, revoked_at: null, revocation_reason: null }]);
    expect(fs.readFileSync(path.join(certs, 'ioto.crt'), 'utf8')).toBe(crt1);
    expect(fs.readFileSync(path.join(certs, 'ioto.key'), 'utf8')).toBe(key1);
    expect(station.store.events.recent(50).some((e) => e.kind === 'cert.reused' && e.claimId === id)).toBe(
      true,
    );

    // The unit's key was replaced (a field repair, a wiped partition): a new certificate, and the old
    // one revoked as superseded in the same step.
    fs.writeFileSync(path.join(certs, 'ioto.key'), 'not the key the station wrote\n');
    const third = await station.services.startUnit({ slot: 1, orderId: 'WO-LINE', rework: id, wait: true });
    expect(third, JSON.stringify(third.failure)).toMatchObject({ status: 'pass', claimId: id });
    const after = rows();
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({ serial: s1, revocation_reason: 'superseded' });
    expect(after[0]!.revoked_at).not.toBeNull();
    expect(after[1]).toMatchObject({ revoked_at: null });
    expect(after.filter((r) => r.revoked_at === null)).toHaveLength(1);
    const cert = new crypto.X509Certificate(fs.readFileSync(path.join(certs, 'ioto.crt')));
    expect(cert.serialNumber.toUpperCase()).toBe(after[1]!.serial);
    expect(cert.checkPrivateKey(crypto.createPrivateKey(fs.readFileSync(path.join(certs, 'ioto.key'))))).toBe(
      true,
    );
    // The CRL now lists the superseded one.
    expect(station.certs.exportCrl(7).revokedCount).toBe(1);
  }, 120_000);
});

describe('the production line over a Linux console', () => {
  it('writes a unit through a real shell, prints its label after PASS, and never a label after FAIL', async () => {
    const station = createTestStation();
    cleanups.push(() => station.cleanup());
    const unitRoot = makeTempDir('lineside-linux-unit-');
    cleanups.push(unitRoot.cleanup);
    const labelsOut = makeTempDir('lineside-labels-');
    cleanups.push(labelsOut.cleanup);
    // The shipped Ioto demo profile, with the agent's state directory inside the temp unit and a label.
    const text = fs
      .readFileSync(path.join(factoryProfilesDir, 'ioto-demo.json5'), 'utf8')
      .replace("deviceDir: '/opt/ioto/state'", `deviceDir: '${unitRoot.dir}/state'`)
      .replace('label: {', "label: {\n    template: 'claim-50x30',");
    fs.mkdirSync(path.join(station.dataDir, 'profiles'), { recursive: true });
    fs.writeFileSync(path.join(station.dataDir, 'profiles', 'linux-test.json5'), text);
    await station.services.updateLabelSettings({
      printer: { kind: 'file', dir: labelsOut.dir, format: 'zpl' },
    });
    const order = station.orders.createOrder({ profile: 'linux-test', quantity: 2, orderId: 'WO-LINUX' });
    await station.orders.reserveRemaining(order.orderId);

    const shell = await createShellPty({ cwd: unitRoot.dir });
    cleanups.push(() => shell.stop());
    const pass = await station.services.startUnit({
      slot: 1,
      orderId: 'WO-LINUX',
      port: shell.a,
      serial: 'LX-1',
      wait: true,
    });
    expect(pass, JSON.stringify(pass.failure)).toMatchObject({ status: 'pass', unitState: 'verified' });

    const file = path.join(unitRoot.dir, 'state', 'config', 'device.json5');
    const stored = station.store.db
      .prepare("SELECT content FROM unit_files WHERE claim_id = ? AND path = 'config/device.json5'")
      .pluck()
      .get(pass.claimId) as Buffer;
    expect(stored.includes(Buffer.from('01H4R15D3478JD26YDYK408XE6'))).toBe(false);
    const written = fs.readFileSync(file);
    expect(written.toString('utf8').split('01H4R15D3478JD26YDYK408XE6').length).toBe(2);
    expect(JSON5.parse(written.toString('utf8'))).toMatchObject({
      id: pass.claimId,
      product: '01H4R15D3478JD26YDYK408XE6',
    });
    const labels = fs.readdirSync(labelsOut.dir);
    expect(labels).toHaveLength(1);
    expect(fs.readFileSync(path.join(labelsOut.dir, labels[0]!), 'utf8')).toContain(pass.claimId!);

    // A unit that never answers: FAIL, its claim ID kept for rework, and no label.
    const silent = await createPtyPair();
    cleanups.push(() => silent.stop());
    const fail = await station.services.startUnit({
      slot: 2,
      orderId: 'WO-LINUX',
      port: silent.a,
      serial: 'LX-2',
      wait: true,
    });
    expect(fail.status).toBe('fail');
    expect(fail.failure?.message).toMatch(/^Slot 2: /);
    expect(fs.readdirSync(labelsOut.dir)).toHaveLength(1);
  }, 120_000);
});

describe("the agent's factory mode on the line", () => {
  it('serves the active order by default, checking the product of its profile', async () => {
    const station = createTestStation();
    cleanups.push(() => station.cleanup());
    station.orders.createOrder({ profile: 'ioto-demo', quantity: 2, orderId: 'WO-AGENT' });
    await station.orders.reserveRemaining('WO-AGENT');
    expect(await station.dispatch('startSerialize', { port: 0 })).toMatchObject({
      ok: false,
      error: { code: 'validation', field: 'orderId' },
    });
    station.orders.setActiveOrder('WO-AGENT');
    const labelsOut = makeTempDir('lineside-issued-labels-');
    cleanups.push(labelsOut.cleanup);
    await station.services.updateLabelSettings({
      printer: { kind: 'file', dir: labelsOut.dir, format: 'zpl' },
    });
    const started = await station.dispatch('startSerialize', {
      port: 0,
      path: '/serialize',
      printLabels: true,
    });
    expect(started).toMatchObject({ ok: true, value: { running: true, orderId: 'WO-AGENT' } });
    cleanups.push(() => station.serialize.stop());
    const url = (started as { value: { url: string } }).value.url;
    const ask = async (product: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ product, name: 'Ioto Demo', model: 'DEMO-1' }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    const ok = await ask('01H4R15D3478JD26YDYK408XE6');
    expect(ok.status).toBe(200);
    expect(station.store.units.get(ok.body.id!)).toMatchObject({ orderId: 'WO-AGENT', state: 'assigned' });
    // Its label is printed as the ID is handed out, once.
    await expect.poll(() => fs.readdirSync(labelsOut.dir).length).toBe(1);
    expect(fs.readFileSync(path.join(labelsOut.dir, fs.readdirSync(labelsOut.dir)[0]!), 'utf8')).toContain(
      ok.body.id!,
    );
    const wrong = await ask('01H4R15D3478JD26YDYK40WRNG');
    expect(wrong.status).toBe(403);
    expect(fs.readdirSync(labelsOut.dir)).toHaveLength(1);
    expect(JSON.stringify(started)).not.toContain('01H4R15D3478JD26YDYK408XE6');
  });
});

describe('a unit that makes its own key', () => {
  it('answers a CSR over the framed protocol; the station writes only the certificate', async () => {
    const cloud = await startStandinCloud();
    cleanups.push(() => cloud.stop());
    const station = createTestStation();
    cleanups.push(() => station.cleanup());
    writeProfile(station.dataDir, cloud);
    const file = path.join(station.dataDir, 'profiles', 'line-test.json5');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(
          'validityDays: 3650,',
          "validityDays: 3650,\n    keySource: 'device',\n    keyType: 'ec-p256',",
        ),
    );
    await station.certs.ca.create({
      commonName: 'Line test CA',
      keyType: 'ec-p256',
      validityDays: 3650,
      passphrase: PASS,
    });
    station.certs.ca.unlock(PASS);
    station.orders.createOrder({
      profile: 'line-test',
      quantity: 1,
      orderId: 'WO-KEY',
      serials: { kind: 'range', prefix: 'TP', start: 1, width: 5 },
    });
    await station.orders.reserveRemaining('WO-KEY');
    const dir = makeTempDir('lineside-key-unit-');
    cleanups.push(dir.cleanup);
    const sim = await startSimulator({ dir: dir.dir, baud: 921600, serial: 'TP00001' });
    cleanups.push(() => sim.stop());

    const r = await station.services.startUnit({ slot: 1, orderId: 'WO-KEY', port: sim.path, wait: true });
    expect(r, JSON.stringify(r.failure)).toMatchObject({ status: 'pass', unitState: 'verified' });
    const certs = path.join(dir.dir, 'state', 'certs');
    const cert = new crypto.X509Certificate(fs.readFileSync(path.join(certs, 'ioto.crt')));
    const key = crypto.createPrivateKey(fs.readFileSync(path.join(certs, 'ioto.key')));
    expect(cert.subject).toContain(`CN=${r.claimId}`);
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(fs.statSync(path.join(certs, 'ioto.key')).mode & 0o777).toBe(0o600);
    const paths = station.store.db
      .prepare('SELECT path FROM unit_files WHERE claim_id = ? ORDER BY path')
      .pluck()
      .all(r.claimId);
    // The profile is pre-claimed: provision.json5 came in the same pass.
    expect(paths).toEqual(['certs/ioto.crt', 'config/device.json5', 'config/provision.json5']);
  }, 120_000);
});

describe('a scripted station (lineside provision)', () => {
  it('provisions a certificate profile from the CLI, unlocking the CA with the passphrase from the environment', async () => {
    const data = makeTempDir('lineside-cli-line-');
    cleanups.push(data.cleanup);
    const seeding = createTestStation({ dataDir: data.dir });
    await seeding.certs.ca.create({
      commonName: 'CLI CA',
      keyType: 'ec-p256',
      validityDays: 3650,
      passphrase: PASS,
    });
    seeding.orders.createOrder({
      profile: 'thermostat-pro',
      quantity: 2,
      orderId: 'WO-CLI',
      serials: { kind: 'range', prefix: 'TP', start: 1, width: 5 },
    });
    await seeding.orders.reserveRemaining('WO-CLI');
    seeding.close();
    const dir = makeTempDir('lineside-cli-unit-');
    cleanups.push(dir.cleanup);
    const sim = await startSimulator({ dir: dir.dir, baud: 921600, serial: 'TP00001' });
    cleanups.push(() => sim.stop());

    const out = await runCli(['provision', '--order', 'WO-CLI', '--port', sim.path, '--data-dir', data.dir], {
      LINESIDE_CA_PASSPHRASE: PASS,
    });
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout) as { outcome: string; claimId: string };
    expect(report.outcome).toBe('pass');
    const cert = new crypto.X509Certificate(
      fs.readFileSync(path.join(dir.dir, 'state', 'certs', 'ioto.crt')),
    );
    expect(cert.subject).toContain(`CN=${report.claimId}`);
    expect(out.stdout + out.stderr).not.toContain(PASS);
  }, 120_000);
});
