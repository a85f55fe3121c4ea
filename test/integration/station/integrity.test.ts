/**
 * One claim ID, one physical unit (issue 11), on real parts: simulated framed units on socat ptys,
 * a real /bin/sh over a pty, real SQLite files, the real `lineside` bin in child processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEntry } from '../../../electron/shared/contract';
import { runCli } from '../../support/cli';
import { createShellPty } from '../../support/ptyPair';
import { SIM_DEFAULT_SERIAL, createSimOrder, startSimUnit, type SimUnit } from '../../support/simLine';
import { createTestStation, factoryProfilesDir, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const ORDER = 'WO-INT';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function station(options: { quantity?: number; placeholders?: boolean } = {}) {
  const s: TestStation = createTestStation({ transport: 'cli' });
  cleanups.push(() => s.cleanup());
  await createSimOrder(s, {
    orderId: ORDER,
    quantity: options.quantity ?? 6,
    placeholders: options.placeholders ?? true,
  });
  s.orders.setActiveOrder(ORDER);
  s.store.settings.set('station', { stationName: 'bench-7', operator: 'dana' });
  return s;
}

async function unit(serial?: string): Promise<SimUnit> {
  const u = await startSimUnit(serial ? { serial } : {});
  cleanups.push(() => u.stop());
  return u;
}

const heldId = (u: SimUnit) => {
  const text = u.deviceJson();
  return text ? (JSON5.parse(text) as { id: string }).id : null;
};

function events(s: TestStation, kind: string): EventEntry[] {
  return s.store.events
    .recent(500)
    .filter((e) => e.kind === kind)
    .sort((a, b) => a.id - b.id);
}

const assignedCount = (s: TestStation) =>
  s.store.db.prepare("SELECT count(*) FROM units WHERE state <> 'reserved'").pluck().get() as number;

describe('read before write', () => {
  it("a scan of a passed unit's serial does not write it again: PASS says already provisioned", async () => {
    const s = await station();
    const u = await unit('SN-1001');
    await s.services.configureStation({ ports: { '1': u.sim.path } });
    const first = await s.services.startUnit({ slot: 1, orderId: ORDER, serial: 'SN-1001', wait: true });
    expect(first, JSON.stringify(first.failure)).toMatchObject({ status: 'pass', identity: null });
    const before = u.deviceJson();
    const framesBefore = u.sim.stats.framesReceived;

    const again = await s.services.startUnit({ slot: 1, orderId: ORDER, serial: 'SN-1001', wait: true });
    expect(again).toMatchObject({
      status: 'pass',
      identity: 'already-provisioned',
      claimId: first.claimId,
      heldClaimId: first.claimId,
    });
    expect(again.nextAction).toBe(
      `Already provisioned as ${first.claimId}: nothing was written. Unplug it; reprint its label only if it is damaged.`,
    );
    expect(again.steps.find((x) => x.step === 'write')?.status).toBe('skipped');
    expect(u.deviceJson()).toBe(before);
    // HELLO and the GET of device.json5 only: no PUT reached the unit.
    expect(u.sim.stats.framesReceived - framesBefore).toBeLessThanOrEqual(3);
    expect(assignedCount(s)).toBe(1);
    expect(events(s, 'station.already-provisioned')).toHaveLength(1);
  }, 60_000);

  it('two units reporting the same serial: the second is stopped with the conflict message and gets no ID', async () => {
    const s = await station();
    const a = await unit('SN-DUP-1');
    const b = await unit('SN-DUP-1');
    await s.services.configureStation({ ports: { '1': a.sim.path, '2': b.sim.path } });
    const first = await s.services.startUnit({ slot: 1, orderId: ORDER, wait: true });
    expect(first, JSON.stringify(first.failure)).toMatchObject({ status: 'pass', serial: 'SN-DUP-1' });
    const second = await s.services.startUnit({ slot: 2, orderId: ORDER, wait: true });
    expect(second).toMatchObject({ status: 'fail', identity: 'conflict', claimId: null });
    expect(second.failure?.message).toBe(
      `Slot 2: Serial SN-DUP-1 already belongs to verified unit ${first.claimId}, but this unit holds no identity (a second unit with the same serial, or a wiped unit).`,
    );
    expect(second.nextAction).toBe('Set this unit aside and call the engineer.');
    expect(b.deviceJson()).toBeNull();
    expect(assignedCount(s)).toBe(1);
    // Retry can never turn it into a rework.
    await expect(s.services.retryUnit({ slot: 2, wait: true })).rejects.toMatchObject({ code: 'conflict' });

    const refusals = events(s, 'station.refused');
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    for (const e of refusals) expect(e).toMatchObject({ station: 'bench-7', operator: 'dana' });
    expect(refusals[0]!.data).toMatchObject({ slot: 2, reason: 'duplicate-serial', serial: 'SN-DUP-1' });
  }, 60_000);

  it("units reporting the profile's placeholder serial count as having no serial: each gets its own ID", async () => {
    const s = await station();
    const a = await unit(SIM_DEFAULT_SERIAL);
    const b = await unit(SIM_DEFAULT_SERIAL);
    await s.services.configureStation({ ports: { '1': a.sim.path, '2': b.sim.path } });
    const [ra, rb] = await Promise.all([
      s.services.startUnit({ slot: 1, orderId: ORDER, wait: true }),
      s.services.startUnit({ slot: 2, orderId: ORDER, wait: true }),
    ]);
    expect(ra!.status).toBe('pass');
    expect(rb!.status).toBe('pass');
    expect(ra!.claimId).not.toBe(rb!.claimId);
    expect(heldId(a)).toBe(ra!.claimId);
    expect(heldId(b)).toBe(rb!.claimId);
    expect(s.store.units.get(ra!.claimId!)?.serial).toBeNull();
  }, 60_000);

  it('a unit holding an ID this station never issued, or another serial’s ID, is stopped and not written', async () => {
    const s = await station();
    const stranger = await unit('SN-2001');
    fs.mkdirSync(path.join(stranger.dir, 'state', 'config'), { recursive: true });
    fs.writeFileSync(
      path.join(stranger.dir, 'state', 'config', 'device.json5'),
      "{ product: '01H4R15D3478JD26YDYK408XE6', id: 'ZZZZZZZZZZ' }\n",
    );
    await s.services.configureStation({ ports: { '1': stranger.sim.path } });
    const r = await s.services.startUnit({ slot: 1, orderId: ORDER, wait: true });
    expect(r).toMatchObject({ status: 'fail', identity: 'conflict', heldClaimId: 'ZZZZZZZZZZ' });
    expect(r.failure?.message).toMatch(/already holds claim ID ZZZZZZZZZZ, which this station never issued/);
    expect(heldId(stranger)).toBe('ZZZZZZZZZZ');
    expect(assignedCount(s)).toBe(0);

    // A provisioned unit scanned with another unit's label serial.
    const good = await unit(SIM_DEFAULT_SERIAL);
    await s.services.configureStation({ ports: { '2': good.sim.path } });
    const done = await s.services.startUnit({ slot: 2, orderId: ORDER, serial: 'SN-3001', wait: true });
    expect(done.status).toBe('pass');
    await s.services.clearSlot({ slot: 2 });
    const wrong = await s.services.startUnit({ slot: 2, orderId: ORDER, serial: 'SN-3002', wait: true });
    expect(wrong.failure?.message).toMatch(
      new RegExp(`holds claim ID ${done.claimId}, which belongs to serial SN-3001, not SN-3002`),
    );
    expect(assignedCount(s)).toBe(1);
  }, 60_000);

  it('an engineer\'s "Rework unit X" is the only way a verified unit is written again, and it keeps X', async () => {
    const s = await station();
    const u = await unit('SN-4001');
    await s.services.configureStation({ ports: { '1': u.sim.path } });
    const first = await s.services.startUnit({ slot: 1, orderId: ORDER, wait: true });
    fs.rmSync(path.join(u.dir, 'state', 'config', 'device.json5')); // a wiped unit
    const scan = await s.services.startUnit({ slot: 1, orderId: ORDER, wait: true });
    expect(scan).toMatchObject({ status: 'fail', identity: 'conflict' });
    expect(u.deviceJson()).toBeNull();

    const out = await runCli([
      'provision',
      '--order',
      ORDER,
      '--port',
      u.sim.path,
      '--rework',
      first.claimId!,
      '--data-dir',
      s.dataDir,
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ outcome: 'pass', claimId: first.claimId, rework: true });
    expect(heldId(u)).toBe(first.claimId);
    expect(assignedCount(s)).toBe(1);
  }, 90_000);

  it('reads what a real shell unit holds: its verified ID means already provisioned, no write', async () => {
    const s: TestStation = createTestStation({ transport: 'cli' });
    cleanups.push(() => s.cleanup());
    const root = makeTempDir('lineside-shell-unit-');
    cleanups.push(root.cleanup);
    const text = fs
      .readFileSync(path.join(factoryProfilesDir, 'ioto-demo.json5'), 'utf8')
      .replace("deviceDir: '/opt/ioto/state'", `deviceDir: '${root.dir}/state'`)
      .replace('timeoutMs: 10000', 'timeoutMs: 8000');
    fs.mkdirSync(path.join(s.dataDir, 'profiles'), { recursive: true });
    fs.writeFileSync(path.join(s.dataDir, 'profiles', 'shell-line.json5'), text);
    s.orders.createOrder({ profile: 'shell-line', quantity: 2, orderId: 'WO-SH' });
    await s.orders.reserveRemaining('WO-SH');
    const pty = await createShellPty({ cwd: root.dir });
    cleanups.push(() => pty.stop());
    await s.services.configureStation({ ports: { '1': pty.a } });
    const first = await s.services.startUnit({ slot: 1, orderId: 'WO-SH', serial: 'SH-1', wait: true });
    expect(first, JSON.stringify(first.failure)).toMatchObject({ status: 'pass' });
    const file = path.join(root.dir, 'state', 'config', 'device.json5');
    const mtime = fs.statSync(file).mtimeMs;
    const again = await s.services.startUnit({ slot: 1, orderId: 'WO-SH', serial: 'SH-1', wait: true });
    expect(again).toMatchObject({ status: 'pass', identity: 'already-provisioned', claimId: first.claimId });
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    // Another serial on the same (provisioned) unit: a conflict, nothing written.
    const other = await s.services.startUnit({ slot: 1, orderId: 'WO-SH', serial: 'SH-2', wait: true });
    expect(other).toMatchObject({ status: 'fail', identity: 'conflict' });
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
  }, 90_000);
});

describe('one slot model', () => {
  it('slots bound only in Settings provision a unit; a scan goes to a free slot and says which to unplug', async () => {
    const s = await station();
    const a = await unit('SN-5001');
    const b = await unit('SN-5002');
    await s.services.setSlots({
      slots: [
        { slot: 1, match: { kind: 'path', path: a.sim.path } },
        { slot: 2, match: { kind: 'path', path: b.sim.path } },
        { slot: 3, match: { kind: 'path', path: '/dev/ttyLINESIDE-NOT-HERE' } },
      ],
    });
    let state = await s.services.getStationState();
    expect(state.slots.map((x) => x.portState)).toEqual(['ok', 'ok', 'missing']);
    expect(state.slots[2]!.nextAction).toBe(
      "Slot 3: nothing is at /dev/ttyLINESIDE-NOT-HERE. Check the fixture's USB cable.",
    );
    const r1 = await s.services.startUnit({ orderId: ORDER, serial: 'SN-5001', wait: true });
    expect(r1, JSON.stringify(r1.failure)).toMatchObject({ slot: 1, status: 'pass', port: a.sim.path });
    const r2 = await s.services.startUnit({ orderId: ORDER, serial: 'SN-5002', wait: true });
    expect(r2).toMatchObject({ slot: 2, status: 'pass' });
    expect(heldId(a)).toBe(r1.claimId);
    expect(heldId(b)).toBe(r2.claimId);
    await expect(s.services.startUnit({ orderId: ORDER, serial: 'SN-5003' })).rejects.toMatchObject({
      code: 'busy',
      message: 'Every slot has a unit: unplug slot 1 (it passed) and scan again.',
    });
    expect(events(s, 'station.refused').at(-1)).toMatchObject({ station: 'bench-7', operator: 'dana' });

    // Unplugging slot 1's unit frees it; the passed slot 2 stays occupied.
    await a.stop();
    await s.station.refresh();
    state = await s.services.getStationState();
    expect(state.slots[0]).toMatchObject({ status: 'idle', portState: 'missing' });
    expect(state.slots[1]).toMatchObject({ status: 'pass', claimId: r2.claimId });
    expect(events(s, 'station.unit-left')).toHaveLength(1);
    // Clear frees slot 2 by hand.
    await s.services.clearSlot({ slot: 2 });
    const r3 = await s.services.startUnit({ orderId: ORDER, serial: 'SN-5002', wait: true });
    expect(r3).toMatchObject({ slot: 2, identity: 'already-provisioned', claimId: r2.claimId });
  }, 60_000);

  it('cards say "no port bound" and "no work order" instead of READY', async () => {
    const s: TestStation = createTestStation({ transport: 'cli' });
    cleanups.push(() => s.cleanup());
    const state = await s.services.getStationState();
    expect(state.slots[0]).toMatchObject({
      status: 'idle',
      portState: 'unbound',
      nextAction: 'Slot 1 has no port bound: bind it in Settings → Fixture slots.',
    });
    const pty = makeTempDir('lineside-port-');
    cleanups.push(pty.cleanup);
    const port = path.join(pty.dir, 'tty');
    fs.writeFileSync(port, '');
    await s.services.configureStation({ ports: { '1': port } });
    const bound = await s.services.getStationState();
    expect(bound.slots[0]!.nextAction).toBe('No work order is set: the engineer sets one before the shift.');
  });
});

describe('serials are validated', () => {
  it('refuses control characters, an overlong serial and one outside the order, each as an event', async () => {
    const s: TestStation = createTestStation({ transport: 'cli' });
    cleanups.push(() => s.cleanup());
    await createSimOrder(s, {
      orderId: 'WO-SER',
      quantity: 500,
      serials: { kind: 'range', prefix: 'SN-', start: 2001, width: 4 },
    });
    const u = await unit(SIM_DEFAULT_SERIAL);
    await s.services.configureStation({ ports: { '1': u.sim.path } });
    const bad = await s.dispatch('startUnit', { slot: 1, orderId: 'WO-SER', serial: 'SN-20\r01' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    const long = await s.dispatch('startUnit', { slot: 1, orderId: 'WO-SER', serial: 'X'.repeat(65) });
    expect(long).toMatchObject({ ok: false, error: { code: 'validation' } });
    await expect(
      s.services.startUnit({ slot: 1, orderId: 'WO-SER', serial: 'SN-0099' }),
    ).rejects.toMatchObject({
      code: 'validation',
      message:
        "Serial SN-0099 is not one of work order WO-SER's serials (SN-2001 … SN-2500): scan the unit's label serial.",
    });
    expect(events(s, 'station.refused').length).toBeGreaterThanOrEqual(1);
    // SN-2001 with width 4 is the order's first serial, and provisions.
    const ok = await s.services.startUnit({ slot: 1, orderId: 'WO-SER', serial: 'SN-2001', wait: true });
    expect(ok, JSON.stringify(ok.failure)).toMatchObject({ status: 'pass', serial: 'SN-2001' });
  }, 60_000);
});
