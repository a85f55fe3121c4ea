/**
 * Joining a line, and every way it can be refused, on a real PostgreSQL server: one sentence each,
 * and the station stays usable alone. Also: a batch sent twice (the station died before it saw the
 * line's COMMIT) changes nothing, and a returned lease's IDs go to another station, never twice.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/mosquitto';
import { createLineStation, type LineStation } from '../../support/lineStation';
import { PG_PASSWORD, startPostgres, type PgServer } from '../../support/postgres';

let server: PgServer;
let n = 0;
const stations: LineStation[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  for (const s of stations.splice(0)) {
    await s.line.close();
    s.cleanup();
  }
  await server?.destroy();
});

function freshDb(): string {
  const db = `connect_${++n}`;
  server.createDatabase(db);
  return db;
}

function station(name: string): LineStation {
  const s = createLineStation(name);
  stations.push(s);
  return s;
}

async function q(url: string, sql: string): Promise<pg.QueryResultRow[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

/** The station still works alone: standalone, and a local order provisions a unit. */
async function expectUsableAlone(s: LineStation) {
  expect(s.line.status()).toMatchObject({ state: 'standalone', url: null });
  const orderId = `WO-ALONE-${++n}`;
  const r = await s.services.createOrder({ profile: 'ioto-demo', quantity: 3, orderId });
  expect((await s.jobs.wait(r.job.jobId)).state).toBe('done');
  expect((await s.provision(1, `SN-${orderId}`, orderId)).status).toBe('pass');
  expect(s.store.db.prepare('SELECT count(*) FROM line_outbox').pluck().get()).toBe(0);
}

describe('joining a line', () => {
  it.each([
    ['not a URL', () => 'line database please', 'validation', /not a PostgreSQL URL/],
    ['another scheme', () => 'http://127.0.0.1/line', 'validation', /starts with postgres:\/\/, not http:/],
    [
      'no database',
      () => `postgres://lineside@127.0.0.1:${server.port}`,
      'validation',
      /needs a host and a database name/,
    ],
    [
      'wrong password',
      () => server.url(freshDb()).replace(encodeURIComponent(PG_PASSWORD), 'wrong'),
      'line-refused',
      /refused the password for user lineside: check the user and password/,
    ],
    [
      'no such database',
      () => server.url('no_such_line'),
      'line-refused',
      /has no database no_such_line: check the database name/,
    ],
  ])('%s: one sentence, the station stays alone', async (_label, url, code, message) => {
    const s = station(`bad-${n}`);
    const r = await s.dispatch('connectLine', { url: url() });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.message).toMatch(message);
    expect(r.error.message.split(/[.:] [A-Z]/).length).toBeLessThanOrEqual(2);
    expect(r.error.message).not.toContain(PG_PASSWORD);
    await expectUsableAlone(s);
  });

  it('unreachable: nobody listens on the port', async () => {
    const s = station('unreachable');
    const port = await freePort();
    const r = await s.dispatch('connectLine', { url: `postgres://lineside:x@127.0.0.1:${port}/line` });
    expect(r.ok || r.error).toMatchObject({
      code: 'line-unavailable',
      message: `The line database at 127.0.0.1:${port} is not reachable: check the network and that PostgreSQL is running; this station keeps working on its leased claim IDs.`,
    });
    await expectUsableAlone(s);
  });

  it('a database that is not a Lineside line, and a line made by a newer Lineside, are refused', async () => {
    const other = freshDb();
    server.psql('CREATE TABLE invoices (id serial PRIMARY KEY, total numeric);', other);
    const s = station('wrong-db');
    const r = await s.dispatch('connectLine', { url: server.url(other) });
    expect(r.ok || r.error).toMatchObject({
      code: 'line-refused',
      message: `Database ${other} holds other tables and is not a Lineside line: point the line URL at an empty database or at an existing line.`,
    });
    // The other application's table is untouched and no Lineside schema was made.
    expect(server.psql("SELECT to_regclass('lineside.meta') IS NULL", other).trim()).toBe('t');

    const newer = freshDb();
    const first = station('first');
    await first.services.connectLine({ url: server.url(newer) });
    server.psql("INSERT INTO lineside.schema_migrations (id, name) VALUES (999, 'from the future');", newer);
    const late = station('late-joiner');
    const refused = await late.dispatch('connectLine', { url: server.url(newer) });
    expect(refused.ok || refused.error).toMatchObject({
      code: 'line-refused',
      message: expect.stringMatching(
        /made by a newer Lineside \(line schema 999; this station knows up to 1\): update Lineside/,
      ),
    });
    await expectUsableAlone(s);
    await expectUsableAlone(late);
  });

  it('LINESIDE_LINE_URL puts a station on the line without touching its settings', async () => {
    const url = server.url(freshDb());
    const s = createLineStation('from-env', { line: { envUrl: url } });
    stations.push(s);
    const status = await s.services.getLineStatus();
    expect(status).toMatchObject({ state: 'connected', source: 'environment' });
    expect(status.url).toContain('***');
    expect(status.url).not.toContain(PG_PASSWORD);
  });

  it('a batch sent twice changes nothing; a returned lease goes to another station, never to two', async () => {
    const url = server.url(freshDb());
    const a = station('twice-a');
    const b = station('twice-b');
    for (const s of [a, b]) {
      await s.services.connectLine({ url });
      s.services.setLineSettings({ blockSize: 5, lowWater: 1 });
    }
    const r = await a.services.createOrder({ profile: 'ioto-demo', quantity: 10, orderId: 'WO-TWICE' });
    expect((await a.jobs.wait(r.job.jobId)).state).toBe('done');
    await a.line.cycle();
    a.orders.setActiveOrder('WO-TWICE');
    await a.line.cycle();
    for (let i = 0; i < 2; i++) expect((await a.provision(1, `SN-TW-${i}`, 'WO-TWICE')).status).toBe('pass');
    await a.line.cycle();
    const before = await q(url, 'SELECT station_id, seq, kind FROM lineside.events ORDER BY station_id, seq');
    // As if A died after the line committed but before it recorded the acknowledgement.
    a.store.db.prepare("UPDATE line_state SET value = '0' WHERE key = 'acked-seq'").run();
    await expect(a.line.cycle()).resolves.toBeUndefined();
    expect(
      await q(url, 'SELECT station_id, seq, kind FROM lineside.events ORDER BY station_id, seq'),
    ).toEqual(before);
    expect(a.line.status().pending).toBe(0);

    // A goes away for good; the engineer returns its unused IDs (forced: it was seen just now).
    const [lease] = await b.services.listLineLeases({ orderId: 'WO-TWICE' });
    const returned = await b.services.returnLineLease({ leaseId: lease!.leaseId, force: true });
    expect(returned).toMatchObject({ state: 'returned', used: 2, left: 0 });
    await b.line.cycle();
    b.orders.setActiveOrder('WO-TWICE');
    await b.line.cycle();
    const bIds = b.store.db
      .prepare("SELECT claim_id FROM units WHERE order_id = 'WO-TWICE'")
      .pluck()
      .all() as string[];
    expect(bIds).toHaveLength(5);
    // A comes back: its unused IDs of the returned lease are voided here, never used.
    await a.line.cycle();
    const aReserved = a.store.db
      .prepare("SELECT claim_id FROM units WHERE order_id = 'WO-TWICE' AND state = 'reserved'")
      .pluck()
      .all() as string[];
    expect(aReserved.filter((id) => bIds.includes(id))).toEqual([]);
    const aUsed = a.store.db
      .prepare("SELECT claim_id FROM units WHERE order_id = 'WO-TWICE' AND state = 'verified'")
      .pluck()
      .all() as string[];
    expect(aUsed.filter((id) => bIds.includes(id))).toEqual([]);
    expect(await q(url, 'SELECT * FROM lineside.conflicts')).toEqual([]);
  });
});
