/**
 * Start-up of the compiled CLI (bin/lineside.js running dist/cli): `lineside info` in a fresh
 * process (cold: a new Node process, the station database already made), and `lineside serve`
 * from spawn to its first answered API call (getAppInfo over HTTP with the run's token). Baseline
 * in the same run: `node -e 0`, a Node process that does nothing. Median and spread of >= 5 runs.
 * Goals (issue 16): info <= 0.3 s, serve's first answer <= 0.5 s.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../test/support/mosquitto';
import { makeTempDir } from '../test/support/tempDir';
import { figure, runs, sample, section } from './harness';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'bin', 'lineside.js');

function seconds(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr.toString()}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Spawn to the first answered API call, in seconds. */
async function serveFirstAnswer(dataDir: string): Promise<number> {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    const token = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /token=([A-Za-z0-9_-]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    for (;;) {
      const r = await fetch(`http://127.0.0.1:${port}/api/getAppInfo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: 'null',
      }).catch(() => null);
      if (r?.ok) {
        await r.arrayBuffer();
        return Number(process.hrtime.bigint() - start) / 1e9;
      }
      await new Promise((res) => setTimeout(res, 5));
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

export async function run(): Promise<void> {
  const count = runs();
  const temp = makeTempDir('lineside-bench-cli-');
  try {
    section(`cli: start-up of the compiled CLI (${count} runs)`);
    // Build if stale and make the station database once: "cold" is a new process, not a new station.
    seconds([bin, 'info', '--data-dir', temp.dir]);
    const nothing = await sample(count, () => seconds(['-e', '0']), 1);
    const info = await sample(count, () => seconds([bin, 'info', '--data-dir', temp.dir]), 1);
    figure({
      name: 'cli.info-cold',
      title: '`lineside info` in a new process, seconds',
      samples: info,
      unit: 's',
      baseline: { samples: nothing, what: '`node -e 0`' },
      higherIsBetter: false,
      goal: [{ on: 'value', op: '<=', target: 0.3 }],
    });
    const serve = await sample(count, () => serveFirstAnswer(temp.dir), 1);
    figure({
      name: 'cli.serve-first-answer',
      title: '`lineside serve`: spawn to the first answered API call, seconds',
      samples: serve,
      unit: 's',
      baseline: { samples: nothing, what: '`node -e 0`' },
      higherIsBetter: false,
      goal: [{ on: 'value', op: '<=', target: 0.5 }],
    });
  } finally {
    temp.cleanup();
  }
}
