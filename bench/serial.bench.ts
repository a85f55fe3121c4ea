/**
 * Serial throughput with the simulated unit pacing a real UART (8N1: baud/10 bytes per second):
 * payload bytes written and verified (framed PUT + HASH read-back) per second, as a fraction of the
 * line rate. Baseline in the same run: the same bytes pushed raw through the same paced line.
 * Goals: 90 % of the line rate at 115200, 85 % at 921600.
 */
import { randomBytes } from 'node:crypto';
import { createSerialLink } from '../electron/core/serial/link';
import { openFramedSession } from '../electron/core/transport/framed';
import { startSimulator } from '../test/support/deviceSim';
import { makeTempDir } from '../test/support/tempDir';
import { report, scale, timeAsync, type BenchLine } from './harness';

async function framedRate(baud: number, size: number, rounds: number): Promise<number> {
  const temp = makeTempDir('lineside-bench-');
  const sim = await startSimulator({ dir: temp.dir, baud });
  const session = await openFramedSession({
    path: sim.path,
    settings: { kind: 'framed', baudRate: baud, deviceDir: '' },
  });
  try {
    let best = 0;
    for (let i = 0; i < rounds; i++) {
      const file = { path: 'config/payload.bin', content: randomBytes(size), mode: 0o600 };
      const { ms, value } = await timeAsync(async () => {
        await session.writeFiles([file]);
        return session.verifyFiles([file]);
      });
      if (!value[0]!.ok) throw new Error('bench transfer did not verify');
      best = Math.max(best, size / (ms / 1000));
    }
    return best;
  } finally {
    await session.close();
    await sim.stop();
    temp.cleanup();
  }
}

async function rawRate(baud: number, size: number, rounds: number): Promise<number> {
  const temp = makeTempDir('lineside-bench-');
  const sim = await startSimulator({ dir: temp.dir, baud, rawAckEvery: size });
  const link = await createSerialLink({ path: sim.path, baudRate: baud });
  try {
    let best = 0;
    for (let i = 0; i < rounds; i++) {
      const acked = new Promise<void>((resolve) => {
        const off = link.onData((c) => {
          if (c.includes(0x06)) {
            off();
            resolve();
          }
        });
      });
      const { ms } = await timeAsync(async () => {
        await link.write(randomBytes(size));
        await acked;
      });
      best = Math.max(best, size / (ms / 1000));
    }
    return best;
  } finally {
    await link.close();
    await sim.stop();
    temp.cleanup();
  }
}

export async function run(): Promise<void> {
  const rounds = Math.max(1, Math.round(3 * scale()));
  const lines: BenchLine[] = [];
  for (const baud of [115200, 921600]) {
    const lineRate = baud / 10;
    const goal = baud === 115200 ? 0.9 : 0.85;
    for (const size of [4096, 65536]) {
      const raw = await rawRate(baud, size, rounds);
      const framed = await framedRate(baud, size, rounds);
      const ofLine = framed / lineRate;
      lines.push({
        name: `${baud} baud, ${size / 1024} KiB written + verified`,
        value: `${(framed / 1024).toFixed(1)} KiB/s = ${(ofLine * 100).toFixed(1)} % of line rate (${(lineRate / 1024).toFixed(1)} KiB/s)`,
        baseline: `raw paced ${(raw / 1024).toFixed(1)} KiB/s = ${((raw / lineRate) * 100).toFixed(1)} %`,
        ratio: framed / raw,
        goal: `≥ ${goal * 100} % of line rate`,
        met: ofLine >= goal,
      });
    }
  }
  report(`serial: framed transport vs the line rate (${rounds} round(s), best of)`, lines);
}
