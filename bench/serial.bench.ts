/**
 * Serial throughput with the simulated unit pacing a real UART (8N1: baud/10 bytes per second):
 * file bytes written and verified per second (framed: PUT through the window + one VERIFY; shell:
 * one streamed pass + one read-back), as a fraction of the line rate. Payloads: a real unit's file
 * set (bench/unitFileSet.ts) and 64 KiB. Baseline in the same run: the same bytes pushed raw
 * through the same paced line and acknowledged with one byte. Median and spread of >= 5 runs.
 * Goals (issue 16): framed >= 95 % of line rate at 115200, >= 90 % at 921600; shell >= 60 % at 115200.
 */
import { randomBytes } from 'node:crypto';
import { createSerialLink } from '../electron/core/serial/link';
import { openFramedSession } from '../electron/core/transport/framed';
import { openShellSession } from '../electron/core/transport/shell';
import type { DeviceFile, DeviceSession } from '../electron/core/transport/types';
import { startSimulator } from '../test/support/deviceSim';
import { startShellUnit } from '../test/support/shellUnit';
import { makeTempDir } from '../test/support/tempDir';
import { figure, runs, sample, section, timeAsync } from './harness';
import { realUnitFiles } from './unitFileSet';

const total = (files: readonly DeviceFile[]) => files.reduce((n, f) => n + f.content.length, 0);

/** Samples of file bytes per second, written + verified through `session`, fresh files each run. */
async function sessionRates(
  session: DeviceSession,
  make: () => DeviceFile[],
  count: number,
): Promise<number[]> {
  return sample(
    count,
    async () => {
      const files = make();
      const { ms, value } = await timeAsync(async () => {
        await session.writeFiles(files);
        return session.verifyFiles(files);
      });
      if (!value.every((v) => v.ok)) throw new Error('bench transfer did not verify');
      return total(files) / (ms / 1000);
    },
    1,
  );
}

async function framedRates(baud: number, make: () => DeviceFile[], count: number): Promise<number[]> {
  const temp = makeTempDir('lineside-bench-');
  const sim = await startSimulator({ dir: temp.dir, baud });
  const session = await openFramedSession({
    path: sim.path,
    settings: { kind: 'framed', baudRate: baud, deviceDir: '' },
  });
  try {
    return await sessionRates(session, make, count);
  } finally {
    await session.close();
    await sim.stop();
    temp.cleanup();
  }
}

async function shellRates(baud: number, make: () => DeviceFile[], count: number): Promise<number[]> {
  const unit = await startShellUnit({ baud });
  const session = await openShellSession({
    path: unit.path,
    settings: { kind: 'shell', baudRate: baud, deviceDir: unit.dir, timeoutMs: 20_000 },
  });
  try {
    return await sessionRates(session, make, count);
  } finally {
    await session.close();
    await unit.stop();
  }
}

/** The same number of bytes pushed raw through the paced line, acknowledged with one byte. */
async function rawRates(baud: number, size: number, count: number): Promise<number[]> {
  const temp = makeTempDir('lineside-bench-');
  const sim = await startSimulator({ dir: temp.dir, baud, rawAckEvery: size });
  const link = await createSerialLink({ path: sim.path, baudRate: baud });
  try {
    return await sample(
      count,
      async () => {
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
        return size / (ms / 1000);
      },
      1,
    );
  } finally {
    await link.close();
    await sim.stop();
    temp.cleanup();
  }
}

export async function run(): Promise<void> {
  const count = runs();
  const fileSet = realUnitFiles();
  const setBytes = total(fileSet);
  const payloads: Array<{ name: string; what: string; make: () => DeviceFile[] }> = [
    {
      name: 'fileset',
      what: `a real unit's file set (${fileSet.map((f) => f.path.split('/').pop()).join(', ')}: ${setBytes} bytes)`,
      // Fresh bytes each run would change the digests only: the same set is what a line writes.
      make: () => fileSet,
    },
    {
      name: '64k',
      what: '64 KiB',
      make: () => [{ path: 'config/payload.bin', content: randomBytes(65536), mode: 0o600 }],
    },
  ];
  section(`serial: framed and shell transports vs the line rate (${count} runs per figure)`);
  for (const baud of [115200, 921600]) {
    const lineRate = baud / 10;
    const goal = baud === 115200 ? 0.95 : 0.9;
    for (const p of payloads) {
      const size = total(p.make());
      const raw = (await rawRates(baud, size, count)).map((r) => r / lineRate);
      const framed = (await framedRates(baud, p.make, count)).map((r) => r / lineRate);
      figure({
        name: `serial.framed.${p.name}.${baud}`,
        title: `framed, ${p.what} written + verified at ${baud} baud, fraction of the line rate (${(lineRate / 1024).toFixed(1)} KiB/s)`,
        samples: framed,
        unit: 'of-line-rate',
        baseline: { samples: raw, what: 'the same bytes raw through the paced line' },
        higherIsBetter: true,
        goal: [{ on: 'value', op: '>=', target: goal }],
      });
    }
  }
  const baud = 115200;
  const lineRate = baud / 10;
  const raw = (await rawRates(baud, setBytes, count)).map((r) => r / lineRate);
  const shell = (await shellRates(baud, () => fileSet, count)).map((r) => r / lineRate);
  figure({
    name: `serial.shell.fileset.${baud}`,
    title: `shell, a real unit's file set (${setBytes} bytes) written + verified at ${baud} baud, fraction of the line rate (base64's ceiling is 0.75)`,
    samples: shell,
    unit: 'of-line-rate',
    baseline: { samples: raw, what: 'the same bytes raw through the paced line' },
    higherIsBetter: true,
    goal: [{ on: 'value', op: '>=', target: 0.6 }],
  });
}
