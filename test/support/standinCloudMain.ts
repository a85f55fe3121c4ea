/**
 * `npm run cloud:standin [-- --port 8470 --latency 20 --failure-rate 0.1]`: the stand-in cloud for
 * demos. Point a profile's cloud builder at the URL it prints and use the product token it prints.
 */
import { parseArgs } from 'node:util';
import { STANDIN_ACCOUNT, STANDIN_CLOUD, startStandinCloud } from './standinCloud';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8470' },
    latency: { type: 'string', default: '0' },
    'failure-rate': { type: 'string', default: '0' },
    product: { type: 'string' },
  },
});
const cloud = await startStandinCloud({
  port: Number(values.port),
  latencyMs: Number(values.latency),
  failureRate: Number(values['failure-rate']),
  record: false,
  ...(values.product ? { products: [values.product] } : {}),
});
console.log(`Stand-in cloud (a test fixture, not the real builder) on ${cloud.url}`);
console.log(`  counts:        GET http://127.0.0.1:${cloud.port}/_standin/stats`);
console.log(`  builder URL:   ${cloud.url}`);
console.log(`  product token: ${cloud.product}`);
console.log(`  account/cloud for pre-claimed units: ${STANDIN_ACCOUNT} / ${STANDIN_CLOUD}`);
console.log('Press Ctrl+C to stop.');
const report = setInterval(() => {
  const calls = [...cloud.calls.values()].reduce((a, b) => a + b, 0);
  if (calls)
    console.log(
      `  ${cloud.devices.size} devices, ${calls} register calls, ${cloud.duplicates().length} repeated`,
    );
}, 5000);
await new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
clearInterval(report);
await cloud.stop();
