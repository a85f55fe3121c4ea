import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFakeDevice,
  deviceFile,
  deviceLog,
  renderTestFiles,
  setDeviceFaults,
} from '../../support/fakeDevice';
import { createTestStation, seedUnits } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const ORDER = 'WO-CRASH';
const IDS = Array.from({ length: 8 }, (_, i) => `C00000000${i}`);
const runner = path.join(__dirname, '../../support/children/stationRunner.ts');
const temps: (() => void)[] = [];
afterEach(() => temps.splice(0).forEach((c) => c()));

function dirs() {
  const data = makeTempDir();
  const devices = makeTempDir('lineside-fake-');
  temps.push(data.cleanup, devices.cleanup);
  const seeding = createTestStation({ dataDir: data.dir });
  seedUnits(seeding, IDS, 'reserved', ORDER);
  seeding.close();
  return { dataDir: data.dir, devicesDir: devices.dir };
}

function runChild(
  plan: object,
  killWhen?: (line: string) => boolean,
): Promise<{ lines: string[]; signal: NodeJS.Signals | null; code: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', runner, JSON.stringify(plan)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (killWhen?.(line) && !child.killed) child.kill('SIGKILL');
    }
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ lines, signal, code })));
}

describe('station run across processes', () => {
  it.each([
    ['verify', 'written', 'skipped'],
    ['commit', 'written', 'skipped'],
    ['write', 'assigned', 'done'],
  ] as const)(
    'killed with SIGKILL during %s: on restart the unit shows %s and resumes with the same claim ID',
    async (stallAt, expectedState, writeOnResume) => {
      const { dataDir, devicesDir } = dirs();
      setDeviceFaults(devicesDir, 'slot1', { [stallAt]: 'stall' });
      const child = await runChild(
        { dataDir, devicesDir, orderId: ORDER, slots: [{ slot: 1, port: 'slot1', serial: 'SN-CRASH' }] },
        (line) => line.startsWith(`step 1 ${stallAt} `),
      );
      expect(child.signal).toBe('SIGKILL');
      const claimId = child.lines.find((l) => l.startsWith(`step 1 ${stallAt}`))!.split(' ')[3]!;
      expect(claimId).toBe(IDS[0]);

      // The restarted station, same data directory, same device.
      const { openSession } = createFakeDevice({ dir: devicesDir });
      const station = createTestStation({ dataDir, device: { openSession, renderFiles: renderTestFiles } });
      temps.unshift(() => station.close());
      const state = await station.services.getStationState();
      expect(state.interrupted).toEqual([
        expect.objectContaining({
          claimId,
          state: expectedState,
          serial: 'SN-CRASH',
          slot: 1,
          port: 'slot1',
        }),
      ]);
      const writesBefore = deviceLog(devicesDir, 'slot1').filter((e) => e.op === 'write').length;

      setDeviceFaults(devicesDir, 'slot1', {});
      const resumed = await station.services.resumeUnit({ claimId, wait: true });
      expect(resumed).toMatchObject({ status: 'pass', claimId, rework: true });
      expect(resumed.steps.find((s) => s.step === 'write')?.status).toBe(writeOnResume);
      const writesAfter = deviceLog(devicesDir, 'slot1').filter((e) => e.op === 'write').length;
      expect(writesAfter - writesBefore).toBe(writeOnResume === 'skipped' ? 0 : 2);
      expect(station.store.units.get(claimId)).toMatchObject({ state: 'verified', serial: 'SN-CRASH' });
      expect(deviceFile(devicesDir, 'slot1', 'config/device.json5').toString()).toContain(`id: '${claimId}'`);
      // No new identity was issued: every other ID of the order is still reserved.
      for (const id of IDS.slice(1)) expect(station.store.units.get(id)?.state).toBe('reserved');
      expect((await station.services.getStationState()).interrupted).toEqual([]);
    },
  );

  it('a unit found written after a crash, whose files were lost, fails its read-back and is never verified', async () => {
    const { dataDir, devicesDir } = dirs();
    setDeviceFaults(devicesDir, 'slot1', { verify: 'stall' });
    const child = await runChild(
      { dataDir, devicesDir, orderId: ORDER, slots: [{ slot: 1, port: 'slot1', serial: 'SN-LOST' }] },
      (line) => line.startsWith('step 1 verify '),
    );
    expect(child.signal).toBe('SIGKILL');
    const { openSession } = createFakeDevice({ dir: devicesDir });
    const station = createTestStation({ dataDir, device: { openSession, renderFiles: renderTestFiles } });
    temps.unshift(() => station.close());
    expect(station.store.units.get(IDS[0]!)?.state).toBe('written');
    setDeviceFaults(devicesDir, 'slot1', {});
    fs.rmSync(path.join(devicesDir, 'slot1', 'fs', 'config', 'device.json5'));
    const r = await station.services.resumeUnit({ claimId: IDS[0]!, wait: true });
    expect(r.failure?.code).toBe('verify-mismatch');
    expect(r.failure?.detail).toMatch(
      /config\/device.json5: expected sha256 [0-9a-f]{64}, device has no file/,
    );
    expect(r.steps.find((s) => s.step === 'write')?.status).toBe('skipped');
    expect(station.store.units.get(IDS[0]!)?.state).toBe('failed');
  });

  it('two station processes with two slots each take distinct IDs from the same order', async () => {
    const { dataDir, devicesDir } = dirs();
    const plan = (a: number) => ({
      dataDir,
      devicesDir,
      orderId: ORDER,
      bytesPerSecond: 50_000,
      slots: [1, 2].map((slot) => ({ slot, port: `p${a}-${slot}`, serial: `SN-${a}-${slot}` })),
    });
    const [a, b] = await Promise.all([runChild(plan(1)), runChild(plan(2))]);
    const results = [a, b].flatMap(
      (r) =>
        JSON.parse(r.lines.find((l) => l.startsWith('done '))!.slice(5)) as {
          status: string;
          claimId: string;
        }[],
    );
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(new Set(results.map((r) => r.claimId)).size).toBe(4);
    const station = createTestStation({ dataDir });
    temps.unshift(() => station.close());
    for (const a of [1, 2])
      for (const slot of [1, 2]) {
        const text = deviceFile(devicesDir, `p${a}-${slot}`, 'config/device.json5').toString();
        const id = /id: '([0-9A-Z]+)'/.exec(text)![1]!;
        expect(station.store.units.get(id)).toMatchObject({ state: 'verified', serial: `SN-${a}-${slot}` });
      }
    expect(
      station.store.db.prepare("SELECT count(*) FROM units WHERE state = 'reserved'").pluck().get(),
    ).toBe(4);
  });
});
