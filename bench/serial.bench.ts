/**
 * Serial line efficiency with the simulated unit pacing a real UART in both directions (8N1:
 * baud/10 bytes per second) and charging its own processing time (test/support/deviceSim):
 *
 *   line efficiency = unit payload bytes (the files' uncompressed bytes)
 *                     ÷ (line rate in bytes/s × time from the first byte sent to the verified answer)
 *
 * "Verified answer": writeFiles + verifyFiles returned, every file matched by the unit's read-back
 * digest. Compression counts for the protocol (fewer bytes on the wire), so the figure can exceed
 * the raw baseline. Payloads: a real unit's file set (bench/unitFileSet.ts) and 64 KiB of random
 * bytes (incompressible). Baseline in the same run: the same number of bytes pushed raw through the
 * same paced line and acknowledged with one byte. Median and spread of >= 5 runs.
 * Goals (issue 16): framed >= 95 % of line rate at 115200, >= 90 % at 921600; shell >= 60 % at 115200.
 * Each framed figure's note breaks the median run's time down: request bytes on the wire, the last
 * reply on the wire, and the rest (unit processing, pty and event-loop latency).
 */
import { randomBytes } from 'node:crypto';
import { createSerialLink } from '../electron/core/serial/link';
import { openFramedSession, type FramedSession } from '../electron/core/transport/framed';
import { openShellSession } from '../electron/core/transport/shell';
import type { DeviceFile, DeviceSession } from '../electron/core/transport/types';
import { startSimulator, type Simulator } from '../test/support/deviceSim';
import { startShellUnit } from '../test/support/shellUnit';
import { makeTempDir } from '../test/support/tempDir';
import { figure, runs, sample, section, timeAsync } from './harness';
import { realUnitFiles } from './unitFileSet';

const total = (files: readonly DeviceFile[]) => files.reduce((n, f) => n + f.content.length, 0);

/** Where one run's time went, in ms. */
interface Breakdown {
  totalMs: number;
  /** Real time the simulator process spent on its disk work (beyond the modelled unit time on a loaded machine). */
  simMs: number;
  requestWireMs: number;
  replyWireMs: number;
  restMs: number;
  bytesSent: number;
}

/** Samples of file bytes per second, written + verified through `session`, fresh files each run. */
async function sessionRates(
  session: DeviceSession,
  make: () => DeviceFile[],
  count: number,
  breakdowns?: Breakdown[],
  baud = 115200,
  sim?: Simulator,
): Promise<number[]> {
  const stats = (session as Partial<FramedSession>).stats;
  return sample(
    count,
    async (i) => {
      const files = make();
      const sentBefore = stats?.bytesSent ?? 0;
      const simBefore = sim?.stats.handleMs ?? 0;
      const { ms, value } = await timeAsync(async () => {
        await session.writeFiles(files);
        return session.verifyFiles(files);
      });
      if (!value.every((v) => v.ok)) throw new Error('bench transfer did not verify');
      if (stats && breakdowns && i >= 0) {
        const byteMs = 10_000 / baud;
        const bytesSent = stats.bytesSent - sentBefore;
        const requestWireMs = bytesSent * byteMs;
        const replyWireMs = stats.lastReplyBytes * byteMs;
        breakdowns.push({
          totalMs: ms,
          simMs: (sim?.stats.handleMs ?? 0) - simBefore,
          requestWireMs,
          replyWireMs,
          restMs: ms - requestWireMs - replyWireMs,
          bytesSent,
        });
      }
      return total(files) / (ms / 1000);
    },
    1,
  );
}

/** The median run's breakdown, as a note beside the figure. */
function breakdownNote(b: Breakdown[], fileBytes: number): string {
  const m = [...b].sort((x, y) => x.totalMs - y.totalMs)[Math.floor(b.length / 2)]!;
  const f = (v: number) => v.toFixed(1);
  return `median run ${f(m.totalMs)} ms = ${m.bytesSent} request bytes on the wire for ${fileBytes} file bytes ${f(m.requestWireMs)} ms + last reply ${f(m.replyWireMs)} ms + unit processing and latency ${f(m.restMs)} ms (of which the simulator's real disk work on this machine ${f(m.simMs)} ms)`;
}

async function framedRates(
  baud: number,
  make: () => DeviceFile[],
  count: number,
  breakdowns?: Breakdown[],
  extra: { protocolVersion?: number; withoutDeflate?: boolean } = {},
): Promise<number[]> {
  const temp = makeTempDir('lineside-bench-');
  const sim = await startSimulator({ dir: temp.dir, baud, ...extra });
  const session = await openFramedSession({
    path: sim.path,
    settings: { kind: 'framed', baudRate: baud, deviceDir: '' },
  });
  try {
    return await sessionRates(session, make, count, breakdowns, baud, sim);
  } finally {
    await session.close();
    await sim.stop();
    temp.cleanup();
  }
}

async function shellRates(
  baud: number,
  make: () => DeviceFile[],
  count: number,
  breakdowns: Breakdown[],
): Promise<number[]> {
  let sent = 0;
  const unit = await startShellUnit({ baud, onStationBytes: (c) => (sent += c.length) });
  const session = await openShellSession({
    path: unit.path,
    settings: { kind: 'shell', baudRate: baud, deviceDir: unit.dir, timeoutMs: 20_000 },
  });
  try {
    return await sample(
      count,
      async (i) => {
        const files = make();
        sent = 0;
        const { ms, value } = await timeAsync(async () => {
          await session.writeFiles(files);
          return session.verifyFiles(files);
        });
        if (!value.every((v) => v.ok)) throw new Error('bench transfer did not verify');
        const requestWireMs = (sent * 10_000) / baud;
        if (i >= 0)
          breakdowns.push({
            totalMs: ms,
            simMs: 0,
            requestWireMs,
            replyWireMs: 0,
            restMs: ms - requestWireMs,
            bytesSent: sent,
          });
        return total(files) / (ms / 1000);
      },
      1,
    );
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
      const breakdowns: Breakdown[] = [];
      const framed = (await framedRates(baud, p.make, count, breakdowns)).map((r) => r / lineRate);
      figure({
        name: `serial.framed.${p.name}.${baud}`,
        title: `framed v3, ${p.what} written + verified at ${baud} baud, line efficiency (${(lineRate / 1024).toFixed(1)} KiB/s)`,
        samples: framed,
        unit: 'of-line-rate',
        baseline: { samples: raw, what: 'the same bytes raw through the paced line' },
        higherIsBetter: true,
        goal: [{ on: 'value', op: '>=', target: goal }],
        note: breakdownNote(breakdowns, size),
      });
      if (p.name === 'fileset') {
        // Beside it, same run: v3 to a unit without an inflater (what the single stream buys
        // without compression), and the previous revision (PUT per file + VERIFY).
        for (const [tag, what, extra] of [
          ['framed-stored', 'framed v3 without deflate (a unit with no inflater)', { withoutDeflate: true }],
          ['framed-v2', 'framed v2 (PUT per file + VERIFY)', { protocolVersion: 2 }],
        ] as const) {
          const b: Breakdown[] = [];
          const samples = (await framedRates(baud, p.make, count, b, extra)).map((r) => r / lineRate);
          figure({
            name: `serial.${tag}.${p.name}.${baud}`,
            title: `${what}, ${p.what} at ${baud} baud, line efficiency, for comparison`,
            samples,
            unit: 'of-line-rate',
            baseline: { samples: raw, what: 'the same bytes raw through the paced line' },
            higherIsBetter: true,
            note: breakdownNote(b, size),
          });
        }
      }
    }
  }
  const baud = 115200;
  const lineRate = baud / 10;
  const raw = (await rawRates(baud, setBytes, count)).map((r) => r / lineRate);
  const shellBreakdowns: Breakdown[] = [];
  const shell = (await shellRates(baud, () => fileSet, count, shellBreakdowns)).map((r) => r / lineRate);
  figure({
    name: `serial.shell.fileset.${baud}`,
    title: `shell, a real unit's file set (${setBytes} bytes) written + verified at ${baud} baud, line efficiency (plain base64's ceiling is 0.75; gzip when the unit has it)`,
    samples: shell,
    unit: 'of-line-rate',
    baseline: { samples: raw, what: 'the same bytes raw through the paced line' },
    higherIsBetter: true,
    goal: [{ on: 'value', op: '>=', target: 0.6 }],
    note: (() => {
      const m = [...shellBreakdowns].sort((x, y) => x.totalMs - y.totalMs)[
        Math.floor(shellBreakdowns.length / 2)
      ]!;
      return `median run ${m.totalMs.toFixed(1)} ms = ${m.bytesSent} characters typed for ${setBytes} file bytes ${m.requestWireMs.toFixed(1)} ms + the unit's shell (decode, cut, rename, sha256sum: about 20 processes) and the answer ${m.restMs.toFixed(1)} ms`;
    })(),
  });
}
