/**
 * A real PostgreSQL server on loopback for one test file (or one bench): its own data directory,
 * port and socket folder, run as the `postgres` user (initdb and postgres refuse root), stopped by
 * PID. Host connections need the password (scram-sha-256), so a wrong password is a real refusal.
 * `stop()` keeps the data (a line database going down mid-shift); `start()` brings it back on the
 * same port; `destroy()` stops it and removes everything.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './mosquitto';

export const PG_USER = 'lineside';
export const PG_PASSWORD = 'line-test-pw';

export interface PgServer {
  port: number;
  dir: string;
  /** postgres://lineside:…@127.0.0.1:PORT/<database> */
  url(database?: string): string;
  pid(): number | null;
  /** Runs SQL through psql as the superuser (over the socket, no password). */
  psql(sql: string, database?: string): string;
  createDatabase(name: string): void;
  dropDatabase(name: string): void;
  /** pg_dump -Fc of one database into a file: a backup to restore later. */
  dump(database: string, file: string): void;
  restore(database: string, file: string): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** The folder of Debian's server binaries: pg_config --bindir, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string {
  const roots = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .filter((v) => fs.existsSync(path.join('/usr/lib/postgresql', v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (roots[0]) return path.join('/usr/lib/postgresql', roots[0], 'bin');
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  if (dir && fs.existsSync(path.join(dir, 'postgres'))) return dir;
  throw new Error('PostgreSQL server binaries not found: apt-get install postgresql');
}

function asPostgres(bin: string, args: string[], options: { input?: string } = {}): string {
  const isRoot = process.getuid?.() === 0;
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface PgTls {
  certFile: string;
  keyFile: string;
}

export async function startPostgres(options: { tls?: PgTls } = {}): Promise<PgServer> {
  const bin = postgresBinDir();
  // The postgres user must reach the folder: not under a root-only temp dir.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineside-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  fs.mkdirSync(sock);
  const pwfile = path.join(dir, 'pw');
  fs.writeFileSync(pwfile, PG_PASSWORD + '\n');
  let ssl = '';
  if (options.tls) {
    // The server reads its key as its own user, and refuses a key others can read.
    fs.copyFileSync(options.tls.certFile, path.join(dir, 'server.crt'));
    fs.copyFileSync(options.tls.keyFile, path.join(dir, 'server.key'));
    fs.chmodSync(path.join(dir, 'server.key'), 0o600);
    ssl = ` -c ssl=on -c ssl_cert_file=${path.join(dir, 'server.crt')} -c ssl_key_file=${path.join(dir, 'server.key')}`;
  }
  if (process.getuid?.() === 0) {
    execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  }
  asPostgres(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    PG_USER,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    `--pwfile=${pwfile}`,
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const port = await freePort();
  let pid: number | null = null;

  async function start(): Promise<void> {
    // Test servers need no durability across OS crashes: fsync off keeps each file's run short.
    const opts = `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200${ssl}`;
    asPostgres(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      opts,
      'start',
    ]);
    const pidFile = path.join(data, 'postmaster.pid');
    pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  }

  async function stop(): Promise<void> {
    if (pid === null) return;
    const p = pid;
    pid = null;
    if (!alive(p)) return;
    // SIGINT is PostgreSQL's "fast" shutdown: clients are cut off, the data is kept.
    process.kill(p, 'SIGINT');
    await until('postgres to stop', () => !alive(p), 30_000).catch(() => process.kill(p, 'SIGKILL'));
  }

  const psql = (sql: string, database = 'postgres') =>
    asPostgres(
      path.join(bin, 'psql'),
      ['-h', sock, '-p', String(port), '-U', PG_USER, '-d', database, '-v', 'ON_ERROR_STOP=1', '-tAq'],
      {
        input: sql,
      },
    );

  await start();
  return {
    port,
    dir,
    url: (database = 'postgres') =>
      `postgres://${PG_USER}:${encodeURIComponent(PG_PASSWORD)}@127.0.0.1:${port}/${database}`,
    pid: () => pid,
    psql,
    createDatabase: (name) => void psql(`CREATE DATABASE "${name}";`),
    dropDatabase: (name) => void psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE);`),
    dump(database, file) {
      const out = asPostgres(path.join(bin, 'pg_dump'), [
        '-h',
        sock,
        '-p',
        String(port),
        '-U',
        PG_USER,
        '-Fp',
        database,
      ]);
      fs.writeFileSync(file, out);
    },
    restore(database, file) {
      psql(fs.readFileSync(file, 'utf8'), database);
    },
    stop,
    start,
    async destroy() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
