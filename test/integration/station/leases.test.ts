/**
 * Holds live in the database (issue 11, point 4): child processes that are killed or frozen
 * mid-unit, two `lineside provision` processes racing for one serial, and four concurrent
 * `orders create` without an order ID. Real SQLite files, real child processes, real ptys.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeaseReport } from '../../../electron/shared/contract';
import { runCli } from '../../support/cli';
import { createFakeDevice, deviceLog, renderTestFiles, setDeviceFaults } from '../../support/fakeDevice';
import { createSimOrder, startSimUnit, type SimUnit } from '../../support/simLine';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const ORDER = 'WO-LEASE';
const IDS = Array.from({ length: 4 }, (_, i) => `L00000000${i}`);
const runner = path.join(__dirname, '../../support/children/stationRunner.ts');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dirs(leaseMs?: number) {
  const data = makeTempDir();
  const devices = makeTempDir('lineside-fake-');
  cleanups.push(data.cleanup, devices.cleanup);
  const seeding = createTestStation({ dataDir: data.dir });
  seedUnits(seeding, IDS, 'reserved', ORDER);
  if (leaseMs) seeding.store.settings.set('station.leaseMs', leaseMs);
  seeding.close();
  return { dataDir: data.dir, devicesDir: devices.dir };
}

/** Starts the station runner child; resolves once a line matches (the child keeps running). */
function startChild(plan: object, until: (line: string) => boolean) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', runner, JSON.stringify(plan)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let buffer = '';
  const reached = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) if (until(line)) resolve(line);
    });
    child.on('exit', (code, signal) => reject(new Error(`child ended (${code ?? signal}) before the step`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, reached, exited };
}

async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function reopen(dataDir: string, devicesDir: string): TestStation {
  const { openSession } = createFakeDevice({ dir: devicesDir });
  const station = createTestStation({ dataDir, device: { openSession, renderFiles: renderTestFiles } });
  cleanups.push(() => station.close());
  return station;
}

describe('unit leases in the database', () => {
  it('kill -9 during a claim: the lease stays visible, its holder is gone, and the unit resumes with its ID', async () => {
    const { dataDir, devicesDir } = dirs();
    setDeviceFaults(devicesDir, 'slot1', { write: 'stall' });
    const run = startChild(
      { dataDir, devicesDir, orderId: ORDER, slots: [{ slot: 1, port: 'slot1', serial: 'SN-KILL' }] },
      (line) => line.startsWith('step 1 write '),
    );
    const line = await run.reached;
    const claimId = line.split(' ')[3]!;
    run.child.kill('SIGKILL');
    await run.exited;

    const station = reopen(dataDir, devicesDir);
    const leases = (await station.services.getStationState()).leases;
    expect(leases).toEqual([
      expect.objectContaining<Partial<LeaseReport>>({
        claimId,
        pid: run.child.pid!,
        slot: 1,
        port: 'slot1',
        holderGone: true,
      }),
    ]);
    setDeviceFaults(devicesDir, 'slot1', {});
    const resumed = await station.services.resumeUnit({ claimId, wait: true });
    expect(resumed, JSON.stringify(resumed.failure)).toMatchObject({ status: 'pass', claimId, rework: true });
    expect((await station.services.getStationState()).leases).toEqual([]);
    expect(station.store.events.forUnit(claimId).map((e) => e.kind)).toContain('unit.lease-reclaimed');
  }, 60_000);

  it('a frozen holder keeps the unit until its lease expires; then the unit is resumable', async () => {
    const { dataDir, devicesDir } = dirs(1500);
    setDeviceFaults(devicesDir, 'slot1', { write: 'stall' });
    const run = startChild(
      { dataDir, devicesDir, orderId: ORDER, slots: [{ slot: 1, port: 'slot1', serial: 'SN-FREEZE' }] },
      (line) => line.startsWith('step 1 write '),
    );
    const claimId = (await run.reached).split(' ')[3]!;
    run.child.kill('SIGSTOP'); // alive, but no longer renewing its lease
    setDeviceFaults(devicesDir, 'slot1', {});

    const station = reopen(dataDir, devicesDir);
    const refused = await station.services.resumeUnit({ claimId, wait: true });
    expect(refused).toMatchObject({ status: 'fail', failure: { code: 'busy' } });
    expect(refused.failure?.message).toMatch(
      new RegExp(
        `Unit ${claimId} is already being worked on by slot 1 of station .+ \\(process ${run.child.pid}\\)`,
      ),
    );
    // The same serial scanned on another slot is refused too: one unit, one slot.
    const scanned = await station.services.startUnit({
      slot: 2,
      orderId: ORDER,
      port: 'slot2',
      serial: 'SN-FREEZE',
      wait: true,
    });
    expect(scanned).toMatchObject({ status: 'fail', failure: { code: 'busy' } });
    expect(deviceLog(devicesDir, 'slot2').filter((e) => e.op === 'write')).toHaveLength(0);

    const expired = await waitUntil('the lease to expire', async () =>
      (await station.services.getStationState()).leases.find((l) => l.claimId === claimId && l.expired),
    );
    expect(expired).toMatchObject({ pid: run.child.pid, holderGone: false });
    const resumed = await station.services.resumeUnit({ claimId, slot: 1, port: 'slot1', wait: true });
    expect(resumed, JSON.stringify(resumed.failure)).toMatchObject({ status: 'pass', claimId });
    expect(station.store.units.get(IDS[1]!)?.state).toBe('reserved');
    run.child.kill('SIGKILL');
  }, 60_000);
});

describe('across processes', () => {
  it('two `lineside provision` processes on one serial at once: exactly one proceeds', async () => {
    const data = makeTempDir('lineside-race-');
    cleanups.push(data.cleanup);
    const seeding = createTestStation({ dataDir: data.dir });
    await createSimOrder(seeding, { orderId: 'WO-RACE', quantity: 4 });
    seeding.close();
    const units: SimUnit[] = [];
    for (let i = 0; i < 2; i++) {
      const u = await startSimUnit({ serial: `BOARD-${i}` });
      cleanups.push(() => u.stop());
      units.push(u);
    }
    const runs = await Promise.all(
      units.map((u, i) =>
        runCli([
          'provision',
          '--order',
          'WO-RACE',
          '--port',
          u.sim.path,
          '--slot',
          String(i + 1),
          '--serial',
          'SAME-1',
          '--data-dir',
          data.dir,
        ]),
      ),
    );
    const passed = runs.filter((r) => r.code === 0);
    const stopped = runs.filter((r) => r.code !== 0);
    expect(passed, runs.map((r) => r.stderr).join('\n')).toHaveLength(1);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.stderr).toMatch(/already being worked on|already belongs to verified unit/);
    const holders = units.map((u) => u.deviceJson()).filter(Boolean);
    expect(holders).toHaveLength(1);

    const check = createTestStation({ dataDir: data.dir });
    cleanups.push(() => check.close());
    const used = check.store.db
      .prepare("SELECT claim_id, serial, state FROM units WHERE state <> 'reserved'")
      .all();
    expect(used).toEqual([expect.objectContaining({ serial: 'SAME-1', state: 'verified' })]);
    expect(check.store.events.recent(200).some((e) => e.kind === 'station.refused')).toBe(true);
  }, 120_000);

  it('four concurrent `orders create` without --order all succeed with four order IDs', async () => {
    const data = makeTempDir('lineside-orders-race-');
    cleanups.push(data.cleanup);
    createTestStation({ dataDir: data.dir }).close();
    const runs = await Promise.all(
      [1, 2, 3, 4].map(() =>
        runCli(['orders', 'create', '--profile', 'ioto-demo', '--quantity', '3', '--data-dir', data.dir]),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const check = createTestStation({ dataDir: data.dir });
    cleanups.push(() => check.close());
    const ids = check.orders.listOrders().map((o) => o.orderId);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^WO-\d{8}-00[1-4]$/);
  }, 120_000);
});
