/**
 * "Read identity from the unit": the identity files (and on a shell the unit's clock) read over a
 * real /bin/sh on a pty and over the framed simulator, into the same checks and comparison as a
 * copied folder.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import type { OperationName, RequestOf, ResponseOf, Result } from '../../../electron/shared/contract';
import { startSimulator } from '../../support/deviceSim';
import { createShellPty } from '../../support/ptyPair';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeCa, makeCert } from '../../support/testCerts';
import { makeTempDir } from '../../support/tempDir';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
let certs: { dir: string; unit: { crt: string; key: string } };
beforeAll(() => {
  const temp = makeTempDir();
  const ca = makeCa(temp.dir, 'line-ca');
  certs = { dir: temp.dir, unit: makeCert(temp.dir, ca, 'unit', { cn: 'M72DANY8BZ', days: 10 }) };
  return () => temp.cleanup();
});

function station(): TestStation {
  const s = createTestStation({ clock: systemClock });
  cleanups.push(() => s.cleanup());
  seedUnits(s, ['M72DANY8BZ']);
  s.store.db.prepare('UPDATE units SET profile_hash = ? WHERE claim_id = ?').run('abc123', 'M72DANY8BZ');
  return s;
}

async function call<K extends OperationName>(
  s: TestStation,
  op: K,
  req: RequestOf<K>,
): Promise<ResponseOf<K>> {
  const r = (await s.dispatch(op, req)) as Result<ResponseOf<K>>;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** A unit's state directory: config/device.json5, config/provision.json5, certs/ioto.crt + key. */
function unitState(root: string, keyMode: number): string {
  const state = path.join(root, 'state');
  fs.mkdirSync(path.join(state, 'config'), { recursive: true });
  fs.mkdirSync(path.join(state, 'certs'), { recursive: true });
  fs.writeFileSync(
    path.join(state, 'config', 'device.json5'),
    "{ product: '01H4R15D3478JD26YDYK408XE6', id: 'M72DANY8BZ', profileHash: 'abc123' }\n",
  );
  fs.writeFileSync(
    path.join(state, 'config', 'provision.json5'),
    "{ id: 'M72DANY8BZ', api: 'https://x', token: 't' }\n",
  );
  fs.copyFileSync(certs.unit.crt, path.join(state, 'certs', 'ioto.crt'));
  fs.copyFileSync(certs.unit.key, path.join(state, 'certs', 'ioto.key'));
  fs.chmodSync(path.join(state, 'certs', 'ioto.key'), keyMode);
  return state;
}

describe('identity read from the unit', () => {
  it('over a shell: files, key mode and the clock (two hours ahead) into the checks', async () => {
    const temp = makeTempDir('lineside-unit-');
    cleanups.push(temp.cleanup);
    const state = unitState(temp.dir, 0o644);
    // The unit's clock runs two hours ahead: a `date` that says so.
    const bin = path.join(temp.dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'date'), `#!/bin/sh\necho $(( $(/bin/date -u +%s) + 7200 ))\n`, {
      mode: 0o755,
    });
    const shell = await createShellPty({
      cwd: temp.dir,
      env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    cleanups.push(() => shell.stop());
    const s = station();
    const fingerprint = new crypto.X509Certificate(fs.readFileSync(certs.unit.crt)).fingerprint256;
    s.store.events.append({
      kind: 'certificate.issued',
      claimId: 'M72DANY8BZ',
      data: { fingerprint256: fingerprint },
    });

    const report = await call(s, 'readUnitIdentity', { path: shell.a, transport: 'shell', deviceDir: state });
    expect(report.device).toMatchObject({ id: 'M72DANY8BZ' });
    expect(report.provision).toMatchObject({ id: 'M72DANY8BZ' });
    expect(report.certificate).toMatchObject({
      subject: 'CN=M72DANY8BZ, O=Lineside Test',
      issuer: 'CN=line-ca',
    });
    expect(report.clockSkewMs).toBeGreaterThan(7_100_000);
    expect(report.clockSkewMs).toBeLessThan(7_300_000);
    const messages = report.warnings.map((w) => w.message);
    expect(messages).toContainEqual(expect.stringMatching(/^The unit's clock is \d+ s ahead of the station/));
    expect(messages).toContainEqual(
      expect.stringMatching(/^certs\/ioto\.key is readable by others \(mode 644\)/),
    );
    expect(report.comparison).toEqual([
      { field: 'claim ID', station: 'M72DANY8BZ', device: 'M72DANY8BZ', match: true },
      { field: 'profile hash', station: 'abc123', device: 'abc123', match: true },
      { field: 'certificate fingerprint', station: fingerprint, device: fingerprint, match: true },
    ]);
  });

  it('over the framed protocol: the files from the simulated unit', async () => {
    const temp = makeTempDir('lineside-sim-');
    cleanups.push(temp.cleanup);
    const state = unitState(temp.dir, 0o600);
    const sim = await startSimulator({ dir: state, baud: 921600 });
    cleanups.push(() => sim.stop());
    const s = station();
    const report = await call(s, 'readUnitIdentity', { path: sim.path, transport: 'framed' });
    expect(report.device).toMatchObject({ id: 'M72DANY8BZ', profileHash: 'abc123' });
    expect(report.certificate).toMatchObject({ subject: 'CN=M72DANY8BZ, O=Lineside Test' });
    expect(report.clockSkewMs).toBeNull();
    expect(report.comparison?.[0]).toEqual({
      field: 'claim ID',
      station: 'M72DANY8BZ',
      device: 'M72DANY8BZ',
      match: true,
    });
  });

  it('says so when the device directory holds no identity files', async () => {
    const temp = makeTempDir('lineside-unit-');
    cleanups.push(temp.cleanup);
    const shell = await createShellPty({ cwd: temp.dir });
    cleanups.push(() => shell.stop());
    const r = await station().dispatch('readUnitIdentity', {
      path: shell.a,
      transport: 'shell',
      deviceDir: temp.dir,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
    if (!r.ok) expect(r.error.message).toMatch(/no identity files under/);
  });
});
