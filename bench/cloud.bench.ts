/**
 * Cloud pre-registration: 10,000 units through the outbox against the stand-in cloud with 20 ms
 * added latency per call, versus strictly one call at a time (what the agent does), measured in the
 * same run against the same stand-in. Goal: at least 20x sequential, zero duplicate registrations.
 * The stand-in runs in its own process, as a real builder would: it must not share the sender's
 * CPU. The sequential baseline runs over a sample (1,000 units at full scale): one at a time, its
 * rate does not depend on how many units there are.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { systemClock } from '../electron/core/clock';
import { createCloudClient } from '../electron/core/cloud/client';
import { outboxCounts } from '../electron/core/cloud/outbox';
import { createServices } from '../electron/core/services';
import { deviceJson } from '../test/support/cloudStation';
import { freePort } from '../test/support/mosquitto';
import { STANDIN_PRODUCT, type StandinStats } from '../test/support/standinCloud';
import { makeTempDir } from '../test/support/tempDir';
import { figure, runs, scale, section, timeAsync } from './harness';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function startStandinProcess(latencyMs: number) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'test/support/standinCloudMain.ts'),
      '--port',
      String(port),
      '--latency',
      String(latencyMs),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => c.toString().includes('Press Ctrl+C') && resolve());
    child.once('exit', (code) => reject(new Error(`stand-in exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/api`,
    stats: async () =>
      (await (await fetch(`http://127.0.0.1:${port}/_standin/stats`)).json()) as StandinStats,
    stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}

export async function run(): Promise<void> {
  const n = Math.round(10_000 * scale());
  const sample = Math.max(50, Math.round(1_000 * scale()));
  const cloud = await startStandinProcess(20);
  const temp = makeTempDir('lineside-bench-');
  const handle = createServices({
    dataDir: temp.dir,
    clock: systemClock,
    runtime: { transport: 'cli', appVersion: 'bench', electronVersion: null, chromeVersion: null },
    ...(process.env.BENCH_CONCURRENCY
      ? { cloud: { concurrency: Number(process.env.BENCH_CONCURRENCY) } }
      : {}),
  });
  try {
    const count = runs();
    section(`cloud: pre-register ${n.toLocaleString()} units in ${count} runs, stand-in latency 20 ms`);
    const client = createCloudClient({ timeoutMs: 10_000 });
    const seqRates: number[] = [];
    const rates: number[] = [];
    const productRef = handle.secrets.put('product:bench', STANDIN_PRODUCT).ref;
    let k = 0;
    const per = Math.max(10, Math.round(n / count));
    const seqPer = Math.max(10, Math.round(sample / count));
    for (let r = 0; r < count; r++) {
      // Baseline: the agent's way, one register call after the other.
      const seq = await timeAsync(async () => {
        for (let i = 0; i < seqPer; i++) {
          const { product: _p, ...body } = deviceJson(`Q${String(k++).padStart(9, '0')}`);
          const outcome = await client.register({ builderUrl: cloud.url, product: STANDIN_PRODUCT, body });
          if (outcome.kind !== 'registered') throw new Error(`baseline: ${JSON.stringify(outcome)}`);
        }
      });
      seqRates.push(seqPer / (seq.ms / 1000));
      handle.store.transaction(() => {
        for (let i = 0; i < per; i++) {
          const claimId = `B${String(r * per + i).padStart(9, '0')}`;
          handle.cloud.enqueue({
            claimId,
            orderId: 'WO-BENCH',
            body: deviceJson(claimId),
            builderUrl: cloud.url,
            productRef,
          });
        }
      });
      const drain = await timeAsync(async () => {
        handle.cloud.sender.start();
        await handle.cloud.sender.drained();
      });
      rates.push(per / (drain.ms / 1000));
    }
    client.close();
    const counts = outboxCounts(handle.store);
    const stats = await cloud.stats();
    figure({
      name: 'cloud.outbox',
      title: `outbox registrations per second (concurrency ${handle.cloud.concurrency}), ${per} units a run`,
      samples: rates,
      unit: 'units/s',
      baseline: { samples: seqRates, what: `one call at a time (${seqPer} units a run)` },
      higherIsBetter: true,
      goal: [{ on: 'ratio', op: '>=', target: 20 }],
    });
    figure({
      name: 'cloud.duplicates',
      title: `units registered twice at the cloud (${counts.registered} registered, ${counts.pending + counts.sending} left)`,
      samples: [stats.duplicates.length],
      unit: 'units',
      higherIsBetter: false,
      goal: [{ on: 'value', op: '<=', target: 0 }],
    });
  } finally {
    await handle.cloud.close();
    handle.close();
    await cloud.stop();
    temp.cleanup();
  }
}
