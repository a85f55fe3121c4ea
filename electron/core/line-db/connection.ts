/**
 * The line database connection: a small `pg` pool per station with a statement timeout, TLS from
 * the URL (`?sslmode=require`, or `verify-full` with `sslrootcert=`), and every driver error turned
 * into one sentence a technician can act on. Nothing here knows the line's tables.
 */
import type pg from 'pg';
import { lazyRequire } from '../lazyModule';
import { Failure } from '../failure';

/** pg is loaded when the station first joins a line (it is slow to load). */
const pgModule = lazyRequire<typeof pg>('pg');

export interface LinePoolOptions {
  url: string;
  /** Longest a statement may run on the line before it is cancelled (ms). */
  statementTimeoutMs?: number;
  /** Longest to wait for a connection (ms). */
  connectTimeoutMs?: number;
  max?: number;
}

export interface ParsedLineUrl {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** The URL with its password replaced, for screens, logs and status. */
export function maskLineUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

export function parseLineUrl(url: string): ParsedLineUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Failure(
      'validation',
      'That is not a PostgreSQL URL: write it as postgres://user:password@host:5432/database.',
      { field: 'url' },
    );
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new Failure(
      'validation',
      `A line URL starts with postgres://, not ${u.protocol}//: write it as postgres://user:password@host:5432/database.`,
      { field: 'url' },
    );
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname || !database)
    throw new Failure(
      'validation',
      'The line URL needs a host and a database name: postgres://user:password@host:5432/database.',
      { field: 'url' },
    );
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    database,
    user: decodeURIComponent(u.username) || 'postgres',
  };
}

export function createLinePool(options: LinePoolOptions): pg.Pool {
  parseLineUrl(options.url);
  const pool = new pgModule.Pool({
    connectionString: options.url,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 10_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    application_name: 'lineside',
  });
  // An idle connection cut by a server restart must not crash the station: the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'EAI_AGAIN',
]);

/** Any error from the line database as a Failure with one sentence (and the driver's text as detail). */
export function lineFailure(error: unknown, url: string): Failure {
  if (error instanceof Failure) return error;
  const e = error as { code?: string; message?: string };
  const code = e?.code ?? '';
  const message = e?.message ?? String(error);
  const detail = `${code ? code + ': ' : ''}${message} (${maskLineUrl(url)})`;
  let where = 'the line database';
  let user = "the URL's user";
  let database = 'the database';
  try {
    const p = parseLineUrl(url);
    where = `the line database at ${p.host}:${p.port}`;
    user = `user ${p.user}`;
    database = `database ${p.database}`;
  } catch {
    // keep the generic words
  }
  if (code === '28P01' || code === '28000')
    return new Failure(
      'line-refused',
      `${cap(where)} refused the password for ${user}: check the user and password in the line URL.`,
      { detail },
    );
  if (code === '3D000')
    return new Failure(
      'line-refused',
      `${cap(where)} has no ${database}: check the database name in the line URL.`,
      { detail },
    );
  if (code === '57014')
    return new Failure(
      'line-unavailable',
      `${cap(where)} did not answer in time: check the network; this station keeps working on its leased claim IDs.`,
      { detail },
    );
  if (/SSL|TLS|certificate/i.test(message) && !UNREACHABLE.has(code))
    return new Failure(
      'line-refused',
      `The TLS connection to ${where} failed: check sslmode and the server's certificate in the line URL.`,
      { detail },
    );
  return new Failure(
    'line-unavailable',
    `${cap(where)} is not reachable: check the network and that PostgreSQL is running; this station keeps working on its leased claim IDs.`,
    { detail },
  );
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Runs `fn` in one transaction on one pooled connection. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    // A connection that could not even roll back is thrown away, not handed to the next caller.
    client.release(broken);
  }
}
