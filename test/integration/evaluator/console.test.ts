/**
 * The evaluator on a real Linux-style console: a socat pty whose far end is a cooked tty running
 * `sh -i`, with a stand-in agent started from it in the foreground. The tty's line discipline turns
 * 0x03 into SIGINT for that program (ioto-contracts.md §9), and the stand-in dies on SIGINT as the
 * agent does. A quiet console must get a bare Enter, never a binary probe, and the agent must live.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimIdReport, JobReport } from '../../../electron/shared/contract';
import { createShellPty, type PtyPair } from '../../support/ptyPair';
import { createTestStation, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

let pty: PtyPair | null = null;
let station: TestStation | null = null;
let temp: { dir: string; cleanup: () => void } | null = null;
afterEach(async () => {
  station?.cleanup();
  station = null;
  await pty?.stop();
  pty = null;
  temp?.cleanup();
  temp = null;
});

async function until(test: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`${what} not met in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts `script` in the foreground of the console's shell (as a technician would type it) and
 * returns its PID once it runs. The script has no SIGINT trap: Ctrl-C kills it.
 */
async function startOnConsole(console: string, dir: string, script: string): Promise<number> {
  fs.writeFileSync(path.join(dir, 'agent.sh'), script);
  const fd = fs.openSync(console, 'r+');
  try {
    fs.writeSync(fd, 'sh agent.sh\n');
    await until(() => fs.existsSync(path.join(dir, 'agent.pid')), 10_000, 'agent started');
  } finally {
    fs.closeSync(fd);
  }
  return Number(fs.readFileSync(path.join(dir, 'agent.pid'), 'utf8').trim());
}

/** Quiet after boot (its claim ID line scrolled by long ago); reprints its banner on Enter, like a getty. */
const BANNER_ON_ENTER = `echo $$ > agent.pid
echo "ioto: Info: Starting Ioto 3.0.2"
while IFS= read -r line; do
  printf '[%s]\\n' "$line" >> typed.log
  echo "ioto: Info: Device Claim ID: M72DANY8BZ"
done
`;

describe('evaluator on a Linux console (cooked tty, agent in the foreground)', () => {
  it('presses Enter on a quiet console, reads the banner, and the agent survives; 0x03 would have killed it', async () => {
    temp = makeTempDir('lineside-console-');
    pty = await createShellPty({ cwd: temp.dir });
    const pid = await startOnConsole(pty.a, temp.dir, BANNER_ON_ENTER);
    station = createTestStation();
    const started = await station.dispatch('watchClaimId', {
      path: pty.a,
      timeoutMs: 15_000,
      askAfterMs: 500,
    });
    if (!started.ok) throw new Error(started.error.message);
    const job = (await station.jobs.wait((started.value as { jobId: string }).jobId)) as JobReport;
    expect(job.error).toBeNull();
    expect((job.result as ClaimIdReport).claimId).toBe('M72DANY8BZ');
    expect((job.result as ClaimIdReport).line).toBe('ioto: Info: Device Claim ID: M72DANY8BZ');
    // All the console ever got from Lineside is one empty line: no control byte, no frame.
    expect(fs.readFileSync(path.join(temp.dir, 'typed.log'), 'utf8')).toBe('[]\n');
    expect(alive(pid)).toBe(true);

    // The fixture bites: a 0x03 on this console is SIGINT for the agent, which dies of it.
    const fd = fs.openSync(pty.a, 'r+');
    try {
      fs.writeSync(fd, Buffer.from([0x03]));
      await until(() => !alive(pid), 10_000, 'agent killed by Ctrl-C');
    } finally {
      fs.closeSync(fd);
    }
  });

  it('a console that stays quiet after Enter ends in a clear timeout, with the agent still running', async () => {
    temp = makeTempDir('lineside-console-');
    pty = await createShellPty({ cwd: temp.dir });
    const pid = await startOnConsole(
      pty.a,
      temp.dir,
      `echo $$ > agent.pid\nwhile IFS= read -r line; do printf '[%s]\\n' "$line" >> typed.log; done\n`,
    );
    station = createTestStation();
    const started = await station.dispatch('watchClaimId', {
      path: pty.a,
      timeoutMs: 2_000,
      askAfterMs: 300,
    });
    if (!started.ok) throw new Error(started.error.message);
    const job = await station.jobs.wait((started.value as { jobId: string }).jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('device-timeout');
    expect(job.error?.message).toMatch(
      /^No "Device Claim ID" line on .* within 2 s \(Enter was pressed once\): check the baud rate/,
    );
    await until(() => fs.existsSync(path.join(temp!.dir, 'typed.log')), 5_000, 'Enter read');
    expect(fs.readFileSync(path.join(temp.dir, 'typed.log'), 'utf8')).toBe('[]\n');
    expect(alive(pid)).toBe(true);
  });
});
