import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { provisionCommand } from '../../../electron/cli/commands/provision';
import { createContext, type CommandContext } from '../../../electron/cli/context';
import { runCli } from '../../support/cli';
import { createFakeDevice, deviceFile, renderTestFiles, setDeviceFaults } from '../../support/fakeDevice';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const ORDER = 'WO-CLI';
const root = path.resolve(__dirname, '..', '..', '..');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** The provision command on a station whose slots reach the fake device (the bin has no transport yet). */
function withFakeDevice() {
  const devices = makeTempDir('lineside-fake-');
  const { openSession } = createFakeDevice({ dir: devices.dir, bytesPerSecond: 50_000 });
  const station: TestStation = createTestStation({ device: { openSession, renderFiles: renderTestFiles } });
  seedUnits(station, ['K000000001', 'K000000002'], 'reserved', ORDER);
  cleanups.push(() => {
    station.cleanup();
    devices.cleanup();
  });
  const out: string[] = [];
  const err: string[] = [];
  const base = createContext({
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    json: false,
    dataDir: station.dataDir,
    root,
  });
  const ctx: CommandContext = {
    ...base,
    services: () => station,
    call: async (op, req) => (await station.dispatch(op, req)) as never,
  };
  const run = async (argv: Record<string, string>) => {
    out.length = 0;
    err.length = 0;
    const code = await provisionCommand.run(ctx, { values: argv, positionals: [] });
    return { code, report: JSON.parse(out.join('\n')) as Record<string, unknown>, stderr: err.join('\n') };
  };
  return { run, devices: devices.dir, station };
}

describe('lineside provision', () => {
  it('PASS: JSON report on stdout, progress on stderr, exit 0', async () => {
    const { run, devices, station } = withFakeDevice();
    const { code, report, stderr } = await run({ order: ORDER, port: 'usb-1', slot: '2', serial: 'SN-CLI' });
    expect(code).toBe(0);
    expect(report).toMatchObject({
      outcome: 'pass',
      slot: 2,
      port: 'usb-1',
      claimId: 'K000000001',
      serial: 'SN-CLI',
      unitState: 'verified',
      nextAction: 'Unplug and insert the next unit.',
    });
    expect(report.files).toEqual([
      expect.objectContaining({ path: 'certs/ioto.key', verified: true }),
      expect.objectContaining({ path: 'config/device.json5', verified: true }),
    ]);
    expect(stderr).toMatch(/slot 2 K000000001 write \d+\/\d+ B/);
    expect(stderr).toMatch(/PASS K000000001/);
    expect(deviceFile(devices, 'usb-1', 'config/device.json5').toString()).toContain("id: 'K000000001'");
    expect(station.store.units.get('K000000001')?.state).toBe('verified');
  });

  it('FAIL: the reason in the report, exit code by outcome, and --resume reworks the same ID', async () => {
    const { run, devices } = withFakeDevice();
    setDeviceFaults(devices, 'usb-1', { verify: 'mismatch' });
    const bad = await run({ order: ORDER, port: 'usb-1' });
    expect(bad.code).toBe(1);
    expect(bad.report).toMatchObject({
      outcome: 'fail',
      claimId: 'K000000001',
      unitState: 'failed',
      failure: { code: 'verify-mismatch', message: "Slot 1: the unit's files did not read back as written." },
    });
    setDeviceFaults(devices, 'usb-1', { connect: 'timeout' });
    const timeout = await run({ resume: 'K000000001', port: 'usb-1' });
    expect(timeout.code).toBe(6);
    expect(timeout.report).toMatchObject({ outcome: 'fail', failure: { code: 'device-timeout' } });
    setDeviceFaults(devices, 'usb-1', {});
    const again = await run({ resume: 'K000000001' });
    expect(again.code).toBe(0);
    expect(again.report).toMatchObject({ outcome: 'pass', claimId: 'K000000001', rework: true });
  });

  it('the real bin with the real transports: a missing port fails clearly, and arguments are checked', async () => {
    const data = makeTempDir();
    cleanups.push(data.cleanup);
    const seeding = createTestStation({ dataDir: data.dir });
    seedUnits(seeding, ['K000000001'], 'reserved', ORDER);
    seeding.close();
    const out = await runCli([
      'provision',
      '--order',
      ORDER,
      '--port',
      '/dev/ttyUSB0',
      '--data-dir',
      data.dir,
    ]);
    // The real serial transports: a port that is not there fails at connect, and no ID is used.
    expect(out.code).toBe(6);
    expect(JSON.parse(out.stdout)).toMatchObject({
      outcome: 'fail',
      claimId: null,
      failure: { code: 'port-unavailable' },
    });
    expect(out.stderr).toContain('Port /dev/ttyUSB0 does not exist. Check the cable');
    const after = createTestStation({ dataDir: data.dir });
    expect(after.store.units.get('K000000001')?.state).toBe('reserved');
    after.close();
    const usage = await runCli(['provision', '--port', 'x', '--data-dir', data.dir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: lineside provision --order ORDER --port PATH');
  });
});
