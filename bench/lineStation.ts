/**
 * One simulated station for bench/line.bench.ts, in its own process (as on the line, where every
 * station is its own computer: its SQLite commits and fsyncs never wait on another station's).
 * Joins the line, leases for the order, prints "ready", waits for "go" on stdin, runs its slots,
 * drains its outbox and prints one JSON line with the claim IDs it took.
 */
import readline from 'node:readline';
import { systemClock } from '../electron/core/clock';
import { createServices } from '../electron/core/services';
import { factoryProfilesDir } from '../test/support/station';

const plan = JSON.parse(process.argv[2]!) as {
  dataDir: string;
  url: string;
  name: string;
  orderId: string;
  units: number;
  slots: number;
  unitMs: number;
};
const handle = createServices({
  dataDir: plan.dataDir,
  clock: systemClock,
  factoryProfilesDir,
  portPollMs: 0,
  runtime: { transport: 'cli', appVersion: 'bench', electronVersion: null, chromeVersion: null },
  line: { envUrl: plan.url, autoStart: true, tickMs: 200, maxBackoffMs: 2000 },
});
handle.store.settings.set('station', { stationName: plan.name, operator: 'bench' });
handle.line.setSettings({ blockSize: 100, lowWater: 40 });
await handle.line.cycle();
handle.orders.setActiveOrder(plan.orderId);
await handle.line.cycle();
process.stdout.write('ready\n');
const rl = readline.createInterface({ input: process.stdin });
await new Promise<void>((resolve) => rl.once('line', () => resolve()));

const taken: string[] = [];
const started = Date.now();
await Promise.all(
  Array.from({ length: plan.slots }, async () => {
    for (let done = 0; done < plan.units / plan.slots;) {
      let unit;
      try {
        unit = handle.line.assignNext(plan.orderId, null);
      } catch {
        // The block ran dry before the background refill: wait a moment, as a technician would.
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      taken.push(unit.claimId);
      await new Promise((r) => setTimeout(r, plan.unitMs));
      handle.orders.markProvisioned(unit.claimId);
      done++;
    }
  }),
);
const ms = Date.now() - started;
const deadline = Date.now() + 60_000;
while (handle.line.status().pending > 0 && Date.now() < deadline)
  await handle.line.cycle().catch(() => undefined);
process.stdout.write(JSON.stringify({ taken, ms, pending: handle.line.status().pending }) + '\n');
await handle.line.close();
handle.close();
rl.close();
