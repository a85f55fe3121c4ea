/**
 * A pty pair from socat: `a` is what Lineside opens as its serial port, `b` is the device side,
 * where a simulator or `/bin/sh` (via `withShell`) sits. Stopped by PID.
 * Note: ptys ignore baud rate; a simulator that wants real timing paces itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './tempDir';

export interface PtyPair {
  /** The station side: open this path with serialport. */
  a: string;
  /** The device side (absent when `withShell` put a shell there). */
  b: string | null;
  pid: number;
  stop(): Promise<void>;
}

async function waitFor(paths: string[], child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!paths.every((p) => fs.existsSync(p))) {
    if (child.exitCode !== null) throw new Error(`socat exited: ${stderr()}`);
    if (Date.now() > deadline) throw new Error(`socat did not create ${paths.join(', ')}: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stopper(child: ChildProcess, cleanup: () => void) {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    cleanup();
  };
}

/** Two linked ptys, raw, no echo: bytes written to one come out of the other. */
export async function createPtyPair(): Promise<PtyPair> {
  const temp = makeTempDir('lineside-pty-');
  const a = path.join(temp.dir, 'station');
  const b = path.join(temp.dir, 'device');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  await waitFor([a, b], child, () => err);
  return { a, b, pid: child.pid!, stop: stopper(child, temp.cleanup) };
}

/**
 * A pty whose far end runs a real shell (`/bin/sh -i` by default, or `command`), in `cwd`:
 * what a Linux unit's serial console looks like to the station.
 */
export async function createShellPty(options: {
  cwd: string;
  command?: string;
  env?: Record<string, string>;
}): Promise<PtyPair> {
  const temp = makeTempDir('lineside-pty-');
  const a = path.join(temp.dir, 'console');
  const command = options.command ?? '/bin/sh -i';
  const child = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `exec:${command},pty,stderr,setsid,sigint,sane,ctty`],
    {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: options.cwd,
        PS1: '# ',
        TERM: 'dumb',
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  await waitFor([a], child, () => err);
  return { a, b: null, pid: child.pid!, stop: stopper(child, temp.cleanup) };
}
