// Child process for the outbox crash test: opens the station at argv[2] and drains its outbox with
// the real sender, printing "answered N" as rows are answered; exits 0 once nothing is left, unless
// the parent kills it first (SIGKILL).
import { systemClock } from '../../../electron/core/clock';
import { outboxCounts } from '../../../electron/core/cloud/outbox';
import { createServices } from '../../../electron/core/services';

const dataDir = process.argv[2]!;
const handle = createServices({
  dataDir,
  clock: systemClock,
  runtime: { transport: 'cli', appVersion: 'test', electronVersion: null, chromeVersion: null },
  cloud: {
    autoStart: true,
    concurrency: 8,
    timeoutMs: 2000,
    backoff: { baseMs: 20, maxMs: 200 },
    pollMs: 50,
  },
});
const tick = setInterval(() => {
  const c = outboxCounts(handle.store);
  process.stdout.write(`answered ${c.registered + c.claimed + c.rejected}\n`);
}, 20);
await handle.cloud.sender.drained();
clearInterval(tick);
await handle.cloud.close();
handle.close();
process.stdout.write('drained\n');
