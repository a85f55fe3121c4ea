import { describe, expect, it } from 'vitest';
import { lineFailure, maskLineUrl, parseLineUrl } from '../../../../electron/core/line-db/connection';
import { lineStatusText } from '../../../../electron/cli/commands/line';
import type { LineStatusReport } from '../../../../electron/shared/contract';

const URL = 'postgres://line:s3cret@db.factory:6543/line_7?sslmode=require';

describe('line database URL and errors', () => {
  it('masks the password everywhere it is shown', () => {
    expect(maskLineUrl(URL)).toBe('postgres://line:***@db.factory:6543/line_7?sslmode=require');
    expect(maskLineUrl('postgres://db/line')).toBe('postgres://db/line');
    expect(maskLineUrl('nonsense')).toBe('(not a URL)');
  });

  it('parses host, port, database and user; refuses what is not a PostgreSQL URL', () => {
    expect(parseLineUrl(URL)).toEqual({ host: 'db.factory', port: 6543, database: 'line_7', user: 'line' });
    expect(parseLineUrl('postgresql://db/x')).toMatchObject({ port: 5432, user: 'postgres' });
    expect(() => parseLineUrl('mysql://db/x')).toThrow(/starts with postgres:\/\/, not mysql:/);
    expect(() => parseLineUrl('postgres://db')).toThrow(/needs a host and a database name/);
  });

  it.each([
    [
      { code: '28P01', message: 'password authentication failed' },
      'line-refused',
      /refused the password for user line/,
    ],
    [
      { code: '3D000', message: 'database "line_7" does not exist' },
      'line-refused',
      /has no database line_7/,
    ],
    [
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
      'line-unavailable',
      /db.factory:6543 is not reachable/,
    ],
    [
      { code: '57014', message: 'canceling statement due to statement timeout' },
      'line-unavailable',
      /did not answer in time/,
    ],
    [{ message: 'The server does not support SSL connections' }, 'line-refused', /TLS connection .* failed/],
    [{ message: 'Connection terminated unexpectedly' }, 'line-unavailable', /not reachable/],
  ])('%o becomes %s with one sentence and no password', (error, code, message) => {
    const f = lineFailure(error, URL);
    expect(f.code).toBe(code);
    expect(f.message).toMatch(message);
    expect(f.message + (f.detail ?? '')).not.toContain('s3cret');
  });

  it('status text says connected, offline since, catching up, and the clock warning', () => {
    const base: LineStatusReport = {
      state: 'connected',
      url: 'postgres://line:***@db/line',
      source: 'setting',
      since: '2026-12-01T10:32:00.000Z',
      message: null,
      lineId: 'x',
      stationId: 'y',
      pending: 0,
      lastPushAt: null,
      clockSkewMs: 0,
      clockWarning: null,
      blockSize: 100,
      lowWater: 25,
      activeOrder: { orderId: 'WO-7', left: 12, leased: 100 },
      orders: ['WO-7'],
    };
    expect(lineStatusText(base)).toContain('Connected to postgres://line:***@db/line');
    expect(lineStatusText(base)).toContain('Order WO-7: 12 of 100 leased IDs left');
    expect(
      lineStatusText({
        ...base,
        state: 'offline',
        pending: 42,
        message: 'The line database is not reachable.',
      }),
    ).toMatch(
      /^Offline since 2026-12-01T10:32:00.000Z[\s\S]*Catching up: 42 events not on the line yet[\s\S]*not reachable/,
    );
    expect(lineStatusText({ ...base, state: 'standalone' })).toMatch(/^Standalone/);
  });
});
