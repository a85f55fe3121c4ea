// Child process for the reservation crash test: creates a large work order and reserves its IDs in
// batches, printing each committed batch, until the parent kills it with SIGKILL.
import { createServices } from '../../../electron/core/services';
import { factoryProfilesDir } from '../station';

const [dataDir, quantity] = [process.argv[2]!, Number(process.argv[3])];
const handle = createServices({
  dataDir,
  factoryProfilesDir,
  runtime: { transport: 'cli', appVersion: 'crash-test', electronVersion: null, chromeVersion: null },
});
const order = handle.orders.createOrder({ profile: 'ioto-demo', quantity, orderId: 'WO-CRASH' });
process.stdout.write(`created ${order.orderId}\n`);
await handle.orders.reserveRemaining(order.orderId, {
  batchSize: 5000,
  onProgress: (reserved) => process.stdout.write(`reserved ${reserved}\n`),
});
process.stdout.write('finished\n');
