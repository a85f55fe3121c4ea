import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './rawPrinter';
import { makeTempDir } from './tempDir';

/**
 * A private CUPS scheduler on loopback: its own config, spool, state and log directories in a temp
 * dir, its own port, started and stopped by PID. Its one queue, `labels`, is a file-device queue:
 * a tiny backend writes each job's document into `outDir`, as a label printer would receive it.
 */
export interface PrivateCups {
  /** For `lp -h` / `lpstat -h`. */
  server: string;
  queue: string;
  outDir: string;
  pageLog: string;
  /** Resolves to the first job file that appears in outDir. */
  waitForJob(timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

const BACKEND = `#!/bin/sh
# CUPS backend: writes each job's document into the directory named by DEVICE_URI (tofile:/dir).
if [ $# -eq 0 ]; then echo 'direct tofile "Unknown" "Write jobs to a directory"'; exit 0; fi
dir="\${DEVICE_URI#tofile:}"
out="$dir/job-$1.out"
if [ -n "$6" ]; then cat "$6" > "$out.part"; else cat > "$out.part"; fi
mv "$out.part" "$out"
exit 0
`;

export async function startPrivateCups(): Promise<PrivateCups> {
  const temp = makeTempDir('lineside-cups-');
  const d = (name: string) => {
    const p = path.join(temp.dir, name);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  const conf = d('conf');
  const out = d('out');
  const bin = d('bin');
  const backendDir = d('bin/backend');
  fs.chmodSync(temp.dir, 0o755);
  fs.chmodSync(out, 0o777);
  fs.chmodSync(d('tmp'), 0o777);
  for (const sub of ['filter', 'daemon', 'cgi-bin', 'notifier', 'driver', 'monitor']) {
    const target = path.join('/usr/lib/cups', sub);
    if (fs.existsSync(target)) fs.symlinkSync(target, path.join(bin, sub));
  }
  fs.writeFileSync(path.join(backendDir, 'tofile'), BACKEND, { mode: 0o755 });
  const port = await freePort();
  fs.writeFileSync(
    path.join(conf, 'cupsd.conf'),
    [
      `Listen 127.0.0.1:${port}`,
      'LogLevel info',
      'WebInterface No',
      'Browsing No',
      'DefaultAuthType None',
      '<Location />',
      '  Order allow,deny',
      '  Allow all',
      '</Location>',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(conf, 'cups-files.conf'),
    [
      `ServerRoot ${conf}`,
      `ServerBin ${bin}`,
      `RequestRoot ${d('spool')}`,
      `TempDir ${path.join(temp.dir, 'tmp')}`,
      `CacheDir ${d('cache')}`,
      `StateDir ${d('state')}`,
      `AccessLog ${path.join(d('log'), 'access_log')}`,
      `ErrorLog ${path.join(temp.dir, 'log', 'error_log')}`,
      `PageLog ${path.join(temp.dir, 'log', 'page_log')}`,
      'FileDevice Yes',
      'Sandboxing Relaxed',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(conf, 'printers.conf'),
    [
      '<Printer labels>',
      'Info Lineside test queue',
      `DeviceURI tofile:${out}`,
      'State Idle',
      'Accepting Yes',
      'Shared No',
      '</Printer>',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    '/usr/sbin/cupsd',
    ['-f', '-c', path.join(conf, 'cupsd.conf'), '-s', path.join(conf, 'cups-files.conf')],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server = `127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    temp.cleanup();
  };
  // Ready when its port answers.
  const net = await import('node:net');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      const logFile = path.join(temp.dir, 'log', 'error_log');
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '(no log)';
      await stop();
      throw new Error(`cupsd did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    server,
    queue: 'labels',
    outDir: out,
    pageLog: path.join(temp.dir, 'log', 'page_log'),
    async waitForJob(timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const done = fs.readdirSync(out).filter((f) => f.endsWith('.out'));
        if (done.length) return path.join(out, done[0]!);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('The private CUPS queue received no job.');
    },
    stop,
  };
}
