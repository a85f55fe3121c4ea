// Child process for the station crash and multi-process tests: opens the station on a data
// directory with the fake device, starts units in the given slots, and reports on stdout
// ("step <slot> <step> <claimId> <unitState>" at each step, "done <json>" at the end). The parent
// may kill it with SIGKILL at any point.
import { systemClock } from '../../../electron/core/clock';
import { createServices } from '../../../electron/core/services';
import type { StationSlotReport } from '../../../electron/shared/contract';
import { createFakeDevice, renderTestFiles } from '../fakeDevice';

interface Plan {
  dataDir: string;
  devicesDir: string;
  orderId: string;
  slots: { slot: number; port: string; serial?: string }[];
  bytesPerSecond?: number;
}

const plan = JSON.parse(process.argv[2]!) as Plan;
const { openSession } = createFakeDevice({
  dir: plan.devicesDir,
  ...(plan.bytesPerSecond ? { bytesPerSecond: plan.bytesPerSecond } : {}),
});
const handle = createServices({
  dataDir: plan.dataDir,
  clock: systemClock,
  runtime: { transport: 'cli', appVersion: 'test', electronVersion: null, chromeVersion: null },
  openSession,
  renderFiles: renderTestFiles,
  portPresent: () => true,
});
const seen = new Set<string>();
handle.events.subscribe((event, payload) => {
  if (event !== 'stationSlot') return;
  const report = payload as StationSlotReport;
  const running = report.steps.find((s) => s.status === 'running');
  if (!running) return;
  const line = `step ${report.slot} ${running.step} ${report.claimId ?? '-'} ${report.unitState ?? '-'}`;
  if (seen.has(line)) return;
  seen.add(line);
  process.stdout.write(line + '\n');
});
const results = await Promise.all(
  plan.slots.map((s) =>
    handle.services.startUnit({
      slot: s.slot,
      orderId: plan.orderId,
      port: s.port,
      ...(s.serial ? { serial: s.serial } : {}),
      wait: true,
    }),
  ),
);
process.stdout.write(
  `done ${JSON.stringify(results.map((r) => ({ slot: r.slot, status: r.status, claimId: r.claimId })))}\n`,
);
handle.close();
