// Child process for the line-mode kill -9 test: a station on the line that provisions units from its
// lease, pushing its outbox only for the first `pushed` units, printing each unit, then waiting to
// be killed with SIGKILL (no clean shutdown, nothing flushed on the way out).
import { createLineStation } from '../lineStation';

const plan = JSON.parse(process.argv[2]!) as {
  dataDir: string;
  name: string;
  url: string;
  orderId: string;
  units: number;
  pushed: number;
};
const station = createLineStation(plan.name, { dataDir: plan.dataDir });
const connected = await station.services.connectLine({ url: plan.url });
if (connected.state !== 'connected') throw new Error(`not connected: ${connected.message}`);
await station.line.cycle();
station.orders.setActiveOrder(plan.orderId);
await station.line.cycle();
process.stdout.write(`leased ${station.line.status().activeOrder?.leased ?? 0}\n`);
for (let i = 0; i < plan.units; i++) {
  const r = await station.provision(1, `SN-${plan.name}-${i}`, plan.orderId);
  if (i < plan.pushed) await station.line.cycle();
  process.stdout.write(`unit ${r.status} ${r.claimId}\n`);
}
process.stdout.write('idle\n');
setInterval(() => undefined, 60_000);
