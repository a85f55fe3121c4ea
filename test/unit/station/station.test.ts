import { afterEach, describe, expect, it } from 'vitest';
import type { StationSlotReport, UnitSummary } from '../../../electron/shared/contract';
import { createJournal } from '../../../electron/core/station/journal';
import {
  createFakeDevice,
  deviceFile,
  deviceLog,
  renderTestFiles,
  setDeviceFaults,
  type FakeDeviceOptions,
} from '../../support/fakeDevice';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const ORDER = 'WO-1';
const IDS = ['A000000001', 'A000000002', 'A000000003', 'A000000004', 'A000000005', 'A000000006'];
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(
  options: Partial<FakeDeviceOptions> & { hooks?: ((u: UnitSummary) => void)[]; noDevice?: boolean } = {},
) {
  const devices = makeTempDir('lineside-fake-');
  const { openSession } = createFakeDevice({ dir: devices.dir, ...options });
  const station: TestStation = createTestStation({
    device: options.noDevice
      ? {}
      : { openSession, renderFiles: renderTestFiles, afterVerified: options.hooks ?? [] },
  });
  seedUnits(station, IDS, 'reserved', ORDER);
  seedUnits(station, ['B000000001'], 'reserved', 'WO-OTHER');
  const slotEvents: StationSlotReport[] = [];
  station.events.subscribe((event, payload) => {
    if (event === 'stationSlot') slotEvents.push(payload as StationSlotReport);
  });
  cleanups.push(() => {
    station.cleanup();
    devices.cleanup();
  });
  return { station, dir: devices.dir, slotEvents, svc: station.services };
}

const unit = (s: TestStation, id: string) => s.store.units.get(id)!;

/** Waits until the run itself has written the unit (its read-back stalled), and asserts it did. */
async function reachWritten(s: TestStation, id: string) {
  await expect.poll(() => unit(s, id).state, { timeout: 10_000 }).toBe('written');
}

describe('station run', () => {
  it('takes the lowest reserved ID of the order, writes, reads back and marks the unit verified', async () => {
    const { station, dir, slotEvents, svc } = setup();
    const report = await svc.startUnit({
      slot: 1,
      orderId: ORDER,
      port: '/dev/ttyFAKE1',
      serial: 'SN-1',
      wait: true,
    });
    expect(report).toMatchObject({
      status: 'pass',
      claimId: 'A000000001',
      serial: 'SN-1',
      unitState: 'verified',
      rework: false,
    });
    expect(report.nextAction).toBe('Unplug and insert the next unit.');
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['connect', 'done'],
      ['claim', 'done'],
      ['write', 'done'],
      ['verify', 'done'],
      ['commit', 'done'],
      ['after', 'done'],
    ]);
    expect(unit(station, 'A000000001')).toMatchObject({ state: 'verified', serial: 'SN-1', orderId: ORDER });
    expect(unit(station, 'A000000002').state).toBe('reserved');
    const rendered = renderTestFiles(unit(station, 'A000000001'));
    expect(deviceFile(dir, '/dev/ttyFAKE1', 'config/device.json5').equals(rendered[0]!.content)).toBe(true);
    expect(deviceFile(dir, '/dev/ttyFAKE1', 'config/device.json5').toString()).toContain("id: 'A000000001'");
    expect(station.store.events.forUnit('A000000001').map((e) => e.kind)).toEqual([
      'unit.seeded',
      'unit.assigned',
      'unit.written',
      'unit.verified',
    ]);
    const run = await svc.getUnitRun({ claimId: 'A000000001' });
    expect(run.files.map((f) => [f.path, f.mode, f.size, f.content === null])).toEqual([
      ['certs/ioto.key', 0o600, rendered[1]!.content.length, true],
      ['config/device.json5', 0o644, rendered[0]!.content.length, false],
    ]);
    // The renderer-facing report masks the product token (a secret); everything else is as written.
    const token = /product: '([0-9A-Z]{26})'/.exec(rendered[0]!.content.toString())![1]!;
    expect(run.files[1]!.content).not.toContain(token);
    expect(run.files[1]!.content).toBe(
      rendered[0]!.content
        .toString()
        .replace(token, `${token.slice(0, 4)}${'•'.repeat(18)}${token.slice(-4)}`),
    );
    expect(run.files.every((f) => f.verifiedAt !== null)).toBe(true);
    // Progress arrived per slot with bytes for the write step.
    const write = slotEvents.flatMap((e) => e.steps.filter((s) => s.step === 'write' && s.status === 'done'));
    expect(write.at(-1)?.bytesDone).toBe(rendered.reduce((n, f) => n + f.content.length, 0));
    expect((await svc.getStationState()).order).toBeNull(); // no active order configured
  });

  it('counts good units against the active order', async () => {
    const { svc } = setup();
    svc.configureStation({
      activeOrderId: ORDER,
      slotCount: 4,
      ports: { '1': '/dev/ttyFAKE1', '2': '/dev/ttyFAKE2' },
    });
    await svc.startUnit({ slot: 1, orderId: ORDER, wait: true });
    await svc.startUnit({ slot: 2, orderId: ORDER, wait: true });
    const state = await svc.getStationState();
    expect(state.order).toEqual({ orderId: ORDER, good: 2, failed: 0, reserved: 4, total: 6 });
    expect(state.slots).toHaveLength(4);
    expect(state.slots[1]).toMatchObject({ port: '/dev/ttyFAKE2', claimId: 'A000000002' });
    expect(state.slots[2]).toMatchObject({ portState: 'unbound', status: 'idle' });
  });

  it("a passed unit's serial on an empty unit is a conflict; the passed unit itself is not written again", async () => {
    const { station, svc, dir } = setup();
    await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', serial: 'SN-7', wait: true });
    const other = await svc.startUnit({ slot: 2, orderId: ORDER, port: 'p2', serial: 'SN-7', wait: true });
    expect(other).toMatchObject({ status: 'fail', identity: 'conflict', claimId: null });
    expect(other.failure?.message).toMatch(/Serial SN-7 already belongs to verified unit A000000001/);
    expect(other.nextAction).toBe('Set this unit aside and call the engineer.');
    expect(deviceLog(dir, 'p2').filter((e) => e.op === 'write')).toHaveLength(0);
    const same = await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', serial: 'SN-7', wait: true });
    expect(same).toMatchObject({ status: 'pass', identity: 'already-provisioned', claimId: 'A000000001' });
    expect(same.nextAction).toMatch(/^Already provisioned as A000000001: nothing was written/);
    expect(deviceLog(dir, 'p1').filter((e) => e.op === 'write')).toHaveLength(2); // the first run's two files
    expect(unit(station, 'A000000002').state).toBe('reserved');
  });

  it('refuses a serial that belongs to another order', async () => {
    const { svc } = setup();
    await svc.startUnit({ slot: 1, orderId: 'WO-OTHER', port: 'p1', serial: 'SN-9', wait: true });
    const r = await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p2', serial: 'SN-9', wait: true });
    expect(r.status).toBe('fail');
    expect(r.failure?.message).toMatch(/Serial SN-9 already belongs to work order WO-OTHER/);
    // The unit that holds the other order's ID is stopped too.
    const held = await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', wait: true });
    expect(held.failure?.message).toMatch(/holds claim ID B000000001 of work order WO-OTHER, not WO-1/);
  });

  it('takes the serial the device reports when none was scanned', async () => {
    const { station, svc } = setup({ serialFor: (port) => `DEV-${port}` });
    await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', wait: true });
    expect(unit(station, 'A000000001').serial).toBe('DEV-p1');
  });

  it('a connect failure takes no claim ID', async () => {
    const { station, dir, svc } = setup();
    setDeviceFaults(dir, 'p1', { connect: 'timeout' });
    const r = await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', wait: true });
    expect(r).toMatchObject({ status: 'fail', claimId: null });
    expect(r.failure).toMatchObject({ code: 'device-timeout', message: 'Slot 1: no answer from the unit.' });
    expect(r.nextAction).toBe('Check the cable and press Retry.');
    const consoleReport = await svc.getSlotConsole({ slot: 1 });
    expect(consoleReport.text).toContain('fake-ioto login on p1');
    expect(consoleReport.text).not.toContain('ready');
    expect(IDS.every((id) => unit(station, id).state === 'reserved')).toBe(true);
    expect(station.store.events.recent(1)[0]).toMatchObject({
      kind: 'station.unit-failed',
      data: { slot: 1, step: 'connect' },
    });
  });

  it.each([
    ['write', 'disconnect', 'device-disconnected', 'Slot 1: the unit disconnected while writing its files.'],
    ['verify', 'mismatch', 'verify-mismatch', "Slot 1: the unit's files did not read back as written."],
    [
      'verify',
      'disconnect',
      'device-disconnected',
      'Slot 1: the unit disconnected while reading its files back.',
    ],
    ['commit', 'disconnect', 'device-disconnected', 'Slot 1: the unit disconnected while saving its files.'],
    ['write', 'refused', 'port-unavailable', 'Slot 1: Port p1 is busy: another program holds it.'],
  ] as const)(
    'a %s %s fails the unit, keeps its claim ID, and Retry reworks it',
    async (step, fault, code, message) => {
      const { station, dir, svc } = setup();
      setDeviceFaults(dir, 'p1', { [step]: fault });
      const r = await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', serial: 'SN-1', wait: true });
      expect(r).toMatchObject({ status: 'fail', claimId: 'A000000001', unitState: 'failed' });
      expect(r.failure).toMatchObject({ code, message });
      expect(r.steps.find((s) => s.step === step)?.status).toBe('failed');
      expect(unit(station, 'A000000001')).toMatchObject({ state: 'failed', serial: 'SN-1' });
      expect((await svc.getUnitRun({ claimId: 'A000000001' })).failure?.code).toBe(code);
      expect(station.store.events.forUnit('A000000001').map((e) => e.kind)).not.toContain('unit.verified');

      setDeviceFaults(dir, 'p1', {});
      const retry = await svc.retryUnit({ slot: 1, wait: true });
      expect(retry).toMatchObject({ status: 'pass', claimId: 'A000000001', rework: true });
      expect(unit(station, 'A000000001').state).toBe('verified');
      expect(unit(station, 'A000000002').state).toBe('reserved');
      expect((await svc.getUnitRun({ claimId: 'A000000001' })).attempts).toBe(2);
    },
  );

  it('one bad file among good ones fails the unit and names that file only', async () => {
    const { station, dir, svc } = setup();
    setDeviceFaults(dir, 'p1', { verify: 'mismatch' });
    const r = await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', wait: true });
    expect(r.failure?.code).toBe('verify-mismatch');
    expect(r.failure?.detail).toMatch(/certs\/ioto\.key: expected sha256 [0-9a-f]{64}/);
    expect(r.failure?.detail).not.toContain('config/device.json5');
    expect(unit(station, 'A000000001').state).toBe('failed');
  });

  it('cancel stops a running unit and never marks it verified', async () => {
    const { station, dir, svc } = setup();
    setDeviceFaults(dir, 'p1', { verify: 'stall' });
    await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1' });
    await reachWritten(station, 'A000000001');
    await expect(svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1' })).rejects.toMatchObject({
      code: 'busy',
    });
    const r = await svc.cancelUnit({ slot: 1, wait: true });
    expect(r).toMatchObject({ status: 'fail', claimId: 'A000000001' });
    expect(r.failure?.code).toBe('cancelled');
    expect(unit(station, 'A000000001').state).toBe('failed');
  });

  it('runs four slots in parallel with distinct IDs, each on its own device', async () => {
    const { station, dir, svc } = setup({ bytesPerSecond: 20_000 });
    const ports = ['p1', 'p2', 'p3', 'p4'];
    const results = await Promise.all(
      ports.map((port, i) =>
        svc.startUnit({ slot: i + 1, orderId: ORDER, port, serial: `SN-${i}`, wait: true }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    const ids = results.map((r) => r.claimId);
    expect(new Set(ids).size).toBe(4);
    for (const [i, port] of ports.entries()) {
      const u = unit(station, ids[i]!);
      expect(u).toMatchObject({ state: 'verified', serial: `SN-${i}` });
      expect(deviceFile(dir, port, 'config/device.json5').toString()).toContain(`id: '${u.claimId}'`);
    }
  });

  it('says the order has no reserved IDs left', async () => {
    const { station, svc } = setup();
    seedUnits(station, [], 'reserved', 'WO-EMPTY');
    const r = await svc.startUnit({ slot: 1, orderId: 'WO-EMPTY', port: 'p1', wait: true });
    expect(r.failure?.code).toBe('order-exhausted');
    expect(r.failure?.message).toMatch(/^Slot 1: Work order WO-EMPTY has no reserved claim IDs left/);
  });

  it('runs the after-PASS hooks only after a verified unit; a failing hook is a warning', async () => {
    const seen: string[] = [];
    const { dir, svc } = setup({
      hooks: [
        (u) => void seen.push(`${u.claimId}:${u.state}`),
        () => {
          throw new Error('Printer offline.');
        },
      ],
    });
    const ok = await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', wait: true });
    expect(ok).toMatchObject({ status: 'pass', warnings: ['Printer offline.'] });
    setDeviceFaults(dir, 'p1', { verify: 'mismatch' });
    await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', wait: true });
    expect(seen).toEqual(['A000000001:verified']);
  });

  it('with the real transports, a port that is not there fails at connect and takes no claim ID', async () => {
    const { station, svc } = setup({ noDevice: true });
    const r = await svc.startUnit({ slot: 1, orderId: ORDER, port: '/dev/ttyLINESIDE-NONE', wait: true });
    expect(r).toMatchObject({ status: 'fail', claimId: null, failure: { code: 'port-unavailable' } });
    expect(r.failure?.message).toBe(
      'Slot 1: Port /dev/ttyLINESIDE-NONE does not exist. Check the cable, or pick the port again.',
    );
    expect(unit(station, 'A000000001').state).toBe('reserved');
    expect((await svc.getStationState()).deviceTransport).toBe(true);
  });

  it('asks for a port when the slot has none, and refuses a slot the fixture does not have', async () => {
    const { station } = setup();
    expect(await station.dispatch('startUnit', { slot: 2, orderId: ORDER })).toMatchObject({
      ok: false,
      error: { code: 'validation', field: 'port' },
    });
    expect(await station.dispatch('startUnit', { slot: 6, orderId: ORDER, port: 'p' })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: 'This station has 4 slots; there is no slot 6.' },
    });
  });

  it('never records verified without a read-back that matched', async () => {
    const { station, dir, svc } = setup();
    const journal = createJournal(station.store);
    setDeviceFaults(dir, 'p1', { verify: 'stall' });
    await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1' });
    await reachWritten(station, 'A000000001');
    expect(() => journal.verified('A000000001', [], '2026-11-21T10:00:00.000Z')).toThrow(
      /matching read-back/,
    );
    expect(() =>
      journal.verified(
        'A000000001',
        [{ path: 'config/device.json5', algorithm: 'sha256', expected: 'a', actual: 'b', ok: false }],
        '2026-11-21T10:00:00.000Z',
      ),
    ).toThrow(/matching read-back/);
    expect(unit(station, 'A000000001').state).toBe('written');
    await svc.cancelUnit({ slot: 1, wait: true });
  });

  it('never works on one unit in two slots at once', async () => {
    const { station, dir, svc } = setup();
    await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', serial: 'SN-1', wait: true });
    setDeviceFaults(dir, 'p1', { verify: 'stall' });
    await svc.startUnit({ slot: 1, orderId: ORDER, port: 'p1', rework: 'A000000001' });
    await reachWritten(station, 'A000000001');
    const second = await svc.startUnit({ slot: 2, orderId: ORDER, port: 'p2', serial: 'SN-1', wait: true });
    expect(second).toMatchObject({ status: 'fail', failure: { code: 'busy' } });
    expect(second.failure?.message).toBe(
      'Slot 2: Unit A000000001 is already being worked on in slot 1: wait for it to finish.',
    );
    expect(await svc.resumeUnit({ claimId: 'A000000001', slot: 3, port: 'p3', wait: true })).toMatchObject({
      status: 'fail',
      failure: { code: 'busy' },
    });
    expect(unit(station, 'A000000001').state).toBe('written'); // the other slots left it alone
    await svc.cancelUnit({ slot: 1, wait: true });
  });

  it("lists the order's failed units for rework, and a scanned claim ID reworks its unit", async () => {
    const { station, dir, svc } = setup();
    svc.configureStation({ activeOrderId: ORDER, ports: { '1': 'p1', '2': 'p2' } });
    setDeviceFaults(dir, 'p1', { write: 'disconnect' });
    await svc.startUnit({ slot: 1, orderId: ORDER, wait: true });
    expect((await svc.getStationState()).failed).toEqual([]); // it is on slot 1's card
    svc.clearSlot({ slot: 1 });
    const state = await svc.getStationState();
    expect(state.failed).toMatchObject([
      {
        claimId: 'A000000001',
        serial: null,
        slot: 1,
        step: 'write',
        failure: { code: 'device-disconnected' },
      },
    ]);
    expect(state.order).toMatchObject({ good: 0, failed: 1 });

    // The technician types the claim ID shown on the FAIL card into the scanner, in another slot.
    const r = await svc.startUnit({ slot: 2, orderId: ORDER, serial: 'a000-000001', wait: true });
    expect(r).toMatchObject({ status: 'pass', claimId: 'A000000001', rework: true });
    expect(unit(station, 'A000000002').state).toBe('reserved');
    expect((await svc.getStationState()).failed).toEqual([]);
  });
});
