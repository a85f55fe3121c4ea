/**
 * The station run.
 *
 * - Slots: units per hour with 1 slot and with 4 slots against fake devices that take a fixed
 *   simulated wire time per step (goal: 4 slots >= 3.8x one).
 * - Overhead per unit with the real line's work: device.json5 rendered from the profile, a
 *   host-key certificate signed by the factory CA (EC P-256; and RSA-2048 from the key pool), the
 *   cloud outbox entry and a label (saved as a PNG file), on a work order of 1,000,000 units.
 *   Overhead = time per unit through the station minus the same device work done directly (the
 *   same fake device, the same wire time, a real unit's file set), measured in the same run.
 *   Goal (issue 16): <= 100 ms per unit, independent of order size (a 1,000-unit order beside it).
 *
 * Every figure is the median of >= 5 runs of a few units each.
 */
import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../electron/core/clock';
import { createServices, type ServicesHandle } from '../electron/core/services';
import { createFakeDevice } from '../test/support/fakeDevice';
import { factoryProfilesDir } from '../test/support/station';
import { makeTempDir } from '../test/support/tempDir';
import { figure, runs, sample, scale, section, timeAsync } from './harness';
import { realUnitFiles } from './unitFileSet';

const STEP_MS = 100; // connect, write, verify, commit: 400 ms of wire per unit
const PASS = 'bench passphrase';

function profileText(keyType: 'ec-p256' | 'rsa2048'): string {
  return fs
    .readFileSync(path.join(factoryProfilesDir, 'thermostat-pro.json5'), 'utf8')
    .replace('label: {', "label: {\n    template: 'claim-url-60x40',")
    .replace(
      /certificate: \{[^}]*\}/,
      `certificate: { validityDays: 3650, keyType: '${keyType}', keySource: 'host' }`,
    );
}

async function station(stepMs: number) {
  const data = makeTempDir('lineside-bench-');
  const devices = makeTempDir('lineside-bench-dev-');
  const labels = makeTempDir('lineside-bench-labels-');
  const { openSession } = createFakeDevice({ dir: devices.dir, stepMs, serialFor: () => undefined });
  fs.mkdirSync(path.join(data.dir, 'profiles'), { recursive: true });
  for (const k of ['ec-p256', 'rsa2048'] as const)
    fs.writeFileSync(path.join(data.dir, 'profiles', `bench-${k}.json5`), profileText(k));
  const handle = createServices({
    dataDir: data.dir,
    resourcesDir: path.resolve('resources'),
    clock: systemClock,
    factoryProfilesDir,
    runtime: { transport: 'cli', appVersion: 'bench', electronVersion: null, chromeVersion: null },
    openSession,
    portPresent: () => true,
  });
  await handle.certs.ca.create({
    commonName: 'Bench CA',
    keyType: 'ec-p256',
    validityDays: 365,
    passphrase: PASS,
  });
  await handle.services.updateLabelSettings({ printer: { kind: 'file', dir: labels.dir, format: 'png' } });
  return {
    handle,
    async order(orderId: string, keyType: 'ec-p256' | 'rsa2048', quantity: number) {
      handle.orders.createOrder({
        profile: `bench-${keyType}`,
        quantity,
        orderId,
        serials: { kind: 'range', prefix: 'SN', start: 1, width: 8 },
      });
      await handle.orders.reserveRemaining(orderId);
    },
    cleanup() {
      handle.close();
      data.cleanup();
      devices.cleanup();
      labels.cleanup();
    },
  };
}

/** Runs `units` units spread over `slots` slots, each slot one unit after another. */
async function runUnits(handle: ServicesHandle, orderId: string, slots: number, units: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: slots }, async (_, s) => {
      while (next < units) {
        const n = ++next;
        // A fresh unit each time: the station reads what a unit holds, and a written one is not rewritten.
        const r = await handle.services.startUnit({
          slot: s + 1,
          orderId,
          port: `bench-${s + 1}-${orderId}-${n}-${Math.random().toString(36).slice(2, 8)}`,
          wait: true,
        });
        if (r.status !== 'pass') throw new Error(`bench unit failed: ${r.failure?.message ?? r.status}`);
      }
    }),
  );
}

/** The device work alone: the same fake device and wire time, a real unit's file set. */
async function directPerUnit(stepMs: number, units: number): Promise<number> {
  const devices = makeTempDir('lineside-bench-dev-');
  const { openSession } = createFakeDevice({ dir: devices.dir, stepMs });
  const files = realUnitFiles();
  try {
    const { ms } = await timeAsync(async () => {
      for (let i = 0; i < units; i++) {
        const session = await openSession({
          path: 'direct-1',
          settings: { kind: 'framed', baudRate: 921600, deviceDir: '/state' },
        });
        await session.writeFiles(files);
        await session.verifyFiles(files);
        await session.commit();
        await session.close();
      }
    });
    return ms / units;
  } finally {
    devices.cleanup();
  }
}

export async function run(): Promise<void> {
  const count = runs();
  const big = Math.round(1_000_000 * scale());
  const perRun = 6;
  section(`station: ${count} runs per figure`);

  // Slots: 1 vs 4 against fake devices with wire time.
  {
    const n = 8;
    const s = await station(STEP_MS);
    await s.order('WO-SLOTS', 'ec-p256', (count + 1) * n * 2);
    await runUnits(s.handle, 'WO-SLOTS', 1, 1); // warm-up
    const one = await sample(
      count,
      async () => (await timeAsync(() => runUnits(s.handle, 'WO-SLOTS', 1, n))).ms,
    );
    const four = await sample(
      count,
      async () => (await timeAsync(() => runUnits(s.handle, 'WO-SLOTS', 4, n))).ms,
    );
    s.cleanup();
    const perHour = (ms: number) => (n / ms) * 3_600_000;
    figure({
      name: 'station.units-per-hour.4-slots',
      title: `units per hour with 4 slots, fake devices with ${STEP_MS} ms wire per step (${n} units a run)`,
      samples: four.map(perHour),
      unit: 'units/h',
      baseline: { samples: one.map(perHour), what: '1 slot' },
      higherIsBetter: true,
      goal: [{ on: 'ratio', op: '>=', target: 3.8 }],
    });
  }

  // Overhead with the real line's work, on a 1M-unit order and a 1k-unit order in the same store.
  const s = await station(STEP_MS);
  try {
    await s.order('WO-BIG', 'ec-p256', big);
    await s.order('WO-SMALL', 'ec-p256', 1000);
    await s.order('WO-RSA', 'rsa2048', 1000);
    const direct = await sample(count, () => directPerUnit(STEP_MS, perRun), 1);
    for (const [name, orderId, what] of [
      ['station.overhead.1m-order', 'WO-BIG', `EC P-256 host keys, a ${big.toLocaleString('en')}-unit order`],
      ['station.overhead.1k-order', 'WO-SMALL', 'EC P-256 host keys, a 1,000-unit order in the same store'],
      ['station.overhead.rsa2048', 'WO-RSA', 'RSA-2048 host keys from the pool, a 1,000-unit order'],
    ] as const) {
      await runUnits(s.handle, orderId, 1, 2); // warm-up (and the key pool's first fill)
      const through = await sample(
        count,
        async () => (await timeAsync(() => runUnits(s.handle, orderId, 1, perRun))).ms / perRun,
      );
      const directMedian = [...direct].sort((a, b) => a - b)[Math.floor(direct.length / 2)]!;
      figure({
        name,
        title: `station overhead per unit (device.json5 + certificate + outbox + PNG label + journal), ${what}, ms`,
        samples: through.map((t) => t - directMedian),
        unit: 'ms',
        higherIsBetter: false,
        goal: [{ on: 'value', op: '<=', target: 100 }],
        note: `through the station ${through.map((t) => t.toFixed(0)).join('/')} ms per unit, the device work directly ${direct.map((t) => t.toFixed(0)).join('/')} ms (${4 * STEP_MS} ms of wire); key pool ${JSON.stringify(s.handle.certs.keys.stats)}`,
      });
    }
  } finally {
    s.cleanup();
  }
}
