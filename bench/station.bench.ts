/**
 * The station run: units per hour with 1 slot and with 4 slots against fake devices that take a
 * fixed simulated wire time per step (goal: 4 slots >= 3.8 x one), and the station's own overhead
 * per unit excluding wire time: a unit through the station against an instant device, minus the
 * same device work done directly (the baseline, measured in the same run). Goal: under 100 ms.
 */
import { systemClock } from '../electron/core/clock';
import { createServices, type ServicesHandle } from '../electron/core/services';
import { createFakeDevice, renderTestFiles } from '../test/support/fakeDevice';
import { ensureOrder } from '../test/support/station';
import { makeTempDir } from '../test/support/tempDir';
import { report, scale, timeAsync } from './harness';

const ORDER = 'WO-BENCH';
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const STEP_MS = 100; // connect, write, verify, commit: 400 ms of wire per unit

function ids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    let id = '';
    for (let k = i, j = 0; j < 9; j++, k = Math.floor(k / 32)) id = ALPHABET[k % 32]! + id;
    return `B${id}`;
  });
}

function station(
  options: { stepMs?: number },
  units: number,
): { handle: ServicesHandle; cleanup: () => void } {
  const data = makeTempDir('lineside-bench-');
  const devices = makeTempDir('lineside-bench-dev-');
  const { openSession } = createFakeDevice({ dir: devices.dir, ...options });
  const handle = createServices({
    dataDir: data.dir,
    clock: systemClock,
    runtime: { transport: 'cli', appVersion: 'bench', electronVersion: null, chromeVersion: null },
    openSession,
    renderFiles: renderTestFiles,
    portPresent: () => true,
  });
  const at = new Date().toISOString();
  ensureOrder(handle, ORDER, units, at);
  handle.store.units.insertMany(
    ids(units).map((claimId) => ({ claimId, state: 'reserved' as const, orderId: ORDER, at })),
  );
  return {
    handle,
    cleanup: () => {
      handle.close();
      data.cleanup();
      devices.cleanup();
    },
  };
}

/** Runs `units` units spread over `slots` slots, each slot one unit after another. */
async function runUnits(handle: ServicesHandle, slots: number, units: number): Promise<number> {
  let next = 0;
  let passed = 0;
  await Promise.all(
    Array.from({ length: slots }, async (_, s) => {
      while (next < units) {
        const n = ++next;
        // A fresh unit each time: the station reads what a unit holds, and a written one is not rewritten.
        const r = await handle.services.startUnit({
          slot: s + 1,
          orderId: ORDER,
          port: `bench-${s + 1}-${n}`,
          wait: true,
        });
        if (r.status !== 'pass') throw new Error(`bench unit failed: ${r.failure?.message ?? r.status}`);
        passed++;
      }
    }),
  );
  return passed;
}

export async function run(): Promise<void> {
  const n = Math.max(4, Math.round((40 * scale()) / 4) * 4);

  const one = station({ stepMs: STEP_MS }, n);
  const t1 = await timeAsync(() => runUnits(one.handle, 1, n));
  one.cleanup();
  const four = station({ stepMs: STEP_MS }, n);
  const t4 = await timeAsync(() => runUnits(four.handle, 4, n));
  four.cleanup();
  const perHour = (ms: number) => (n / ms) * 3_600_000;

  // Overhead: the same units against an instant device, through the station and directly.
  const m = Math.max(10, Math.round(200 * scale()));
  const fast = station({}, m);
  await runUnits(fast.handle, 1, 2); // warm-up
  const through = await timeAsync(() => runUnits(fast.handle, 1, m - 2));
  fast.cleanup();
  const devices = makeTempDir('lineside-bench-dev-');
  const { openSession } = createFakeDevice({ dir: devices.dir });
  const direct = await timeAsync(async () => {
    for (const [i, claimId] of ids(m - 2).entries()) {
      const session = await openSession({
        path: `direct-${i % 4}`,
        settings: { kind: 'framed', baudRate: 115200, deviceDir: '/opt/ioto/state' },
      });
      const files = renderTestFiles({
        claimId,
        serial: null,
        orderId: ORDER,
        state: 'assigned',
        profileHash: null,
        createdAt: '',
        updatedAt: '',
      });
      await session.writeFiles(files);
      await session.verifyFiles(files);
      await session.commit();
      await session.close();
    }
  });
  devices.cleanup();
  const stationPerUnit = through.ms / (m - 2);
  const devicePerUnit = direct.ms / (m - 2);
  const overhead = stationPerUnit - devicePerUnit;

  const ratio = t1.ms / t4.ms;
  report(`station: ${n} units, fake devices with ${STEP_MS} ms wire per step (${4 * STEP_MS} ms per unit)`, [
    {
      name: 'units per hour, 4 slots',
      value: Math.round(perHour(t4.ms)).toLocaleString(),
      baseline: `1 slot ${Math.round(perHour(t1.ms)).toLocaleString()}`,
      ratio,
      goal: '>= 3.8',
      met: ratio >= 3.8,
    },
    {
      name: 'station overhead per unit (excluding wire time)',
      value: `${overhead.toFixed(1)} ms (${stationPerUnit.toFixed(1)} ms through the station)`,
      baseline: `the same device work directly ${devicePerUnit.toFixed(1)} ms`,
      ratio: stationPerUnit / devicePerUnit,
      goal: '< 100 ms',
      met: overhead < 100,
    },
    {
      name: '1 slot per unit minus wire time',
      value: `${(t1.ms / n - 4 * STEP_MS).toFixed(1)} ms`,
    },
  ]);
}
