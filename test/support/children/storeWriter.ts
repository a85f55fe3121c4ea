// Child process for the crash test: commits batches of units and reports each commit on stdout,
// until the parent kills it with SIGKILL.
import { systemClock } from '../../../electron/core/clock';
import { createStore } from '../../../electron/core/store';

const file = process.argv[2]!;
const store = createStore({
  file,
  clock: systemClock,
  actor: () => ({ station: 'crash-test', operator: 'child' }),
});
let batch = 0;
for (;;) {
  const units = Array.from({ length: 500 }, (_, i) => ({
    claimId: `B${String(batch).padStart(5, '0')}U${String(i).padStart(4, '0')}`,
    state: 'reserved' as const,
    at: new Date().toISOString(),
  }));
  store.transaction(() => {
    store.units.insertMany(units);
    store.events.append({ kind: 'batch.committed', data: { batch } });
  });
  batch++;
  process.stdout.write(`committed ${batch * 500}\n`);
}
