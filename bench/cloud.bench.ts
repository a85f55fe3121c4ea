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
import { report, scale, timeAsync } from './harness';

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
    // Baseline: the agent's way, one register call after the other.
    const client = createCloudClient({ timeoutMs: 10_000 });
    const seq = await timeAsync(async () => {
      for (let i = 0; i < sample; i++) {
        const { product: _p, ...body } = deviceJson(`Q${String(i).padStart(9, '0')}`);
        const outcome = await client.register({ builderUrl: cloud.url, product: STANDIN_PRODUCT, body });
        if (outcome.kind !== 'registered') throw new Error(`baseline: ${JSON.stringify(outcome)}`);
      }
    });
    client.close();

    const productRef = handle.secrets.put('product:bench', STANDIN_PRODUCT).ref;
    handle.store.transaction(() => {
      for (let i = 0; i < n; i++) {
        const claimId = `B${String(i).padStart(9, '0')}`;
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
    const counts = outboxCounts(handle.store);
    const stats = await cloud.stats();

    const seqRate = sample / (seq.ms / 1000);
    const rate = n / (drain.ms / 1000);
    report(`cloud: pre-register ${n.toLocaleString()} units, stand-in latency 20 ms`, [
      {
        name: `outbox (concurrency ${handle.cloud.concurrency})`,
        value: `${rate.toFixed(0)} units/s (${(drain.ms / 1000).toFixed(1)} s)`,
        baseline: `one at a time ${seqRate.toFixed(1)} units/s (${sample} units)`,
        ratio: rate / seqRate,
        goal: '>= 20x sequential',
        met: rate / seqRate >= 20,
      },
      {
        name: 'registered at the cloud',
        value:
          `${(stats.devices - sample).toLocaleString()} outbox units, ${stats.duplicates.length} registered twice; ` +
          `store: ${counts.registered} registered, ${counts.pending + counts.sending} left`,
        goal: 'zero duplicates, none left',
        met: stats.duplicates.length === 0 && stats.devices - sample === n && counts.registered === n,
      },
    ]);
  } finally {
    await handle.cloud.close();
    handle.close();
    await cloud.stop();
    temp.cleanup();
  }
}
