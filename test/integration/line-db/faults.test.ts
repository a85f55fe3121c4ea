/**
 * Line mode under faults, on a real PostgreSQL server (one per file): the line going down mid-shift,
 * stations racing for an order's last IDs, a station killed with leased IDs, a station with a wrong
 * clock, a line database restored from an older backup. Each time: nothing lost, nothing duplicated.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../electron/core/clock';
import { isFailure } from '../../../electron/core/failure';
import { createLineStation, type LineStation } from '../../support/lineStation';
import { startPostgres, type PgServer } from '../../support/postgres';
import { makeTempDir } from '../../support/tempDir';

let server: PgServer;
let n = 0;
const stations: LineStation[] = [];
const runner = path.resolve(__dirname, '../../support/children/lineStationRunner.ts');

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

function freshLine(): { url: string; db: string } {
  if (server.pid() === null) throw new Error('an earlier test left PostgreSQL stopped');
  const db = `faults_${++n}`;
  server.createDatabase(db);
  return { url: server.url(db), db };
}

function station(name: string, options: Parameters<typeof createLineStation>[1] = {}): LineStation {
  const s = createLineStation(name, options);
  stations.push(s);
  return s;
}

async function q<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function count(url: string, sql: string, params: unknown[] = []): Promise<number> {
  return Number((await q<{ n: string }>(url, sql, params))[0]!.n);
}

async function onLine(s: LineStation, url: string, blockSize = 10, lowWater = 3) {
  const r = await s.services.connectLine({ url });
  expect(r.state, r.message ?? '').toBe('connected');
  s.services.setLineSettings({ blockSize, lowWater });
}

async function lineOrder(s: LineStation, orderId: string, quantity: number) {
  const r = await s.services.createOrder({ profile: 'ioto-demo', quantity, orderId });
  const job = await s.jobs.wait(r.job.jobId);
  expect(job.state, job.error?.message).toBe('done');
}

async function activate(s: LineStation, orderId: string) {
  await s.line.cycle();
  s.orders.setActiveOrder(orderId);
  await s.line.cycle();
}

/** The station's events since it joined, compared with the line's copy: same, once each, in order. */
async function expectEventsOnLineOnce(s: LineStation, url: string) {
  const line = await q<{ event_id: string }>(
    url,
    'SELECT event_id FROM lineside.events WHERE station_id = $1 ORDER BY seq',
    [s.line.stationId],
  );
  const first = Number(line[0]!.event_id);
  const local = s.store.db
    .prepare('SELECT id FROM events WHERE id >= ? ORDER BY id')
    .pluck()
    .all(first) as number[];
  expect(line.map((e) => Number(e.event_id))).toEqual(local);
}

async function expectNoIdTwice(url: string) {
  expect(
    await count(
      url,
      'SELECT count(*) AS n FROM (SELECT claim_id FROM lineside.units GROUP BY claim_id HAVING count(*) > 1) d',
    ),
  ).toBe(0);
  expect(await count(url, 'SELECT count(*) AS n FROM lineside.conflicts')).toBe(0);
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('line faults', () => {
  it('PostgreSQL stopped mid-shift: stations provision from their leases, say so when the block runs out, catch up after', async () => {
    const { url } = freshLine();
    const a = station('down-a');
    const b = station('down-b');
    for (const s of [a, b]) await onLine(s, url, 5, 1);
    await lineOrder(a, 'WO-DOWN', 40);
    for (const s of [a, b]) await activate(s, 'WO-DOWN');

    await server.stop();
    const passed: string[] = [];
    for (const [s, tag] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      for (let i = 0; i < 5; i++) {
        const r = await s.provision(1 + (i % 2), `SN-DOWN-${tag}-${i}`, 'WO-DOWN');
        expect(r.status).toBe('pass');
        passed.push(r.claimId!);
      }
      await s.line.cycle().catch(() => undefined);
      const status = s.line.status();
      expect(status.state).toBe('offline');
      expect(status.message).toMatch(/not reachable.*keeps working on its leased claim IDs/);
      expect(status.pending).toBeGreaterThan(0);
      // The block is used up: one sentence, and no unit gets an identity.
      const empty = await s.services.startUnit({
        slot: 3,
        orderId: 'WO-DOWN',
        serial: `SN-DOWN-${tag}-X`,
        port: 'x',
        wait: true,
      });
      expect(empty.status).toBe('fail');
      expect(empty.failure?.message).toMatch(
        /used every claim ID it leased for order WO-DOWN and the line database is unreachable/,
      );
      expect(empty.claimId).toBeNull();
    }
    expect(new Set(passed).size).toBe(10);

    await server.start();
    for (const s of [a, b]) {
      // The first pass after an outage may still meet a pooled connection the restart cut.
      await s.line.cycle().catch(() => undefined);
      await s.line.cycle();
      await s.line.cycle();
      expect(s.line.status()).toMatchObject({ state: 'connected', pending: 0 });
      await expectEventsOnLineOnce(s, url);
    }
    await expectNoIdTwice(url);
    expect(
      await count(
        url,
        "SELECT count(*) AS n FROM lineside.units WHERE order_id = 'WO-DOWN' AND state = 'verified'",
      ),
    ).toBe(10);
    // Both leased again once the line was back: the shift goes on.
    expect((await a.provision(1, 'SN-DOWN-A-after', 'WO-DOWN')).status).toBe('pass');
  });

  it('stations racing for the last IDs of an order each get distinct ones, then a clear "none left"', async () => {
    const { url } = freshLine();
    const racers = Array.from({ length: 6 }, (_, i) => station(`race-${i}`));
    for (const s of racers) await onLine(s, url, 10, 10 - 1);
    await lineOrder(racers[0]!, 'WO-RACE', 37);
    for (const s of racers) {
      await s.line.cycle();
      s.orders.setActiveOrder('WO-RACE');
    }
    await Promise.all(racers.map((s) => s.line.cycle()));
    await Promise.all(racers.map((s) => s.line.cycle()));
    const held = racers.flatMap(
      (s) =>
        s.store.db
          .prepare("SELECT claim_id FROM units WHERE order_id = 'WO-RACE' AND state = 'reserved'")
          .pluck()
          .all() as string[],
    );
    expect(held.length).toBe(37);
    expect(new Set(held).size).toBe(37);
    expect(
      await count(
        url,
        "SELECT count(*) AS n FROM lineside.claim_ids WHERE order_id = 'WO-RACE' AND state = 'reserved'",
      ),
    ).toBe(0);
    const empty = racers.find((s) => s.line.local.left('WO-RACE') === 0);
    if (!empty) throw new Error('no station ran out of claim IDs: the race did not happen');
    try {
      empty.line.assignNext('WO-RACE', null);
      expect.unreachable();
    } catch (error) {
      expect(isFailure(error) && error.code).toBe('order-exhausted');
      expect((error as Error).message).toMatch(
        /Every claim ID of work order WO-RACE is leased to the line's stations or used/,
      );
    }
  });

  it('a station killed with leased IDs: the lease shows station and time; void keeps them unused, its units still arrive', async () => {
    const { url } = freshLine();
    const engineer = station('engineer');
    await onLine(engineer, url);
    await lineOrder(engineer, 'WO-KILL', 50);
    const data = makeTempDir('lineside-killed-');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        runner,
        JSON.stringify({ dataDir: data.dir, name: 'doomed', url, orderId: 'WO-KILL', units: 5, pushed: 3 }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines: string[] = [];
    child.stdout.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
    const exited = new Promise((r) => child.once('close', r));
    await until('the doomed station to provision 5 units', () => lines.includes('idle'), 60_000);
    child.kill('SIGKILL');
    await exited;
    const made = lines.filter((l) => l.startsWith('unit pass ')).map((l) => l.split(' ')[2]!);
    expect(made).toHaveLength(5);

    const [lease] = await engineer.services.listLineLeases({ orderId: 'WO-KILL' });
    expect(lease).toMatchObject({ stationName: 'doomed', state: 'active', count: 50, used: 3, left: 47 });
    expect(Date.parse(lease!.leasedAt)).toBeGreaterThan(Date.now() - 120_000);
    // Returning is refused while the station was just seen: it might still be using the block.
    await expect(engineer.services.returnLineLease({ leaseId: lease!.leaseId })).rejects.toThrow(
      /was on the line 0 min ago/,
    );
    const voided = await engineer.services.voidLineLease({ leaseId: lease!.leaseId });
    // The two units made after the last push are not on the line yet: voiding cannot know them.
    expect(voided).toMatchObject({ state: 'voided', used: 3, left: 0, voided: 47 });

    // The station comes back (same data directory): its unpushed units arrive, the rest stay void.
    const back = station('doomed', { dataDir: data.dir });
    await back.line.cycle();
    await back.line.cycle();
    expect(back.line.status()).toMatchObject({ state: 'connected', pending: 0 });
    await expectEventsOnLineOnce(back, url);
    const units = await q<{ claim_id: string }>(
      url,
      "SELECT claim_id FROM lineside.units WHERE order_id = 'WO-KILL' AND state = 'verified'",
    );
    expect(units.map((u) => u.claim_id).sort()).toEqual([...made].sort());
    expect(
      await count(
        url,
        "SELECT count(*) AS n FROM lineside.claim_ids WHERE order_id = 'WO-KILL' AND state = 'used'",
      ),
    ).toBe(5);
    expect(
      await count(
        url,
        "SELECT count(*) AS n FROM lineside.claim_ids WHERE order_id = 'WO-KILL' AND state = 'voided'",
      ),
    ).toBe(45);
    expect(
      back.store.db
        .prepare("SELECT count(*) FROM units WHERE order_id = 'WO-KILL' AND state = 'reserved'")
        .pluck()
        .get(),
    ).toBe(0);
    await expectNoIdTwice(url);
  });

  it('a station whose clock is three hours behind: events keep their order, the report puts its units in the right hour', async () => {
    const { url } = freshLine();
    const offset = -3 * 3_600_000;
    const skewed: Clock = { now: () => new Date(Date.now() + offset) };
    const late = station('late', { clock: skewed });
    const right = station('right');
    for (const s of [late, right]) await onLine(s, url);
    await lineOrder(right, 'WO-CLOCK', 20);
    for (const s of [late, right]) await activate(s, 'WO-CLOCK');
    expect(late.line.status().clockWarning).toMatch(/clock is 3 h 0 min behind the line database's/);
    expect(right.line.status().clockWarning).toBeNull();
    for (const s of [late, right]) {
      for (let i = 0; i < 2; i++)
        expect((await s.provision(1, `SN-${s.line.stationId}-${i}`, 'WO-CLOCK')).status).toBe('pass');
      await s.line.cycle();
    }
    await expectEventsOnLineOnce(late, url);
    const report = await right.services.getLineReport({ orderId: 'WO-CLOCK' });
    const hour = new Date();
    hour.setUTCMinutes(0, 0, 0);
    // Corrected by the measured skew, the late station's units land within the line's current hour
    // (or the one before, when the hour has just turned), not three hours back.
    const lateRow = report.perHour.find((p) => p.stationName === 'late')!;
    expect(lateRow.counts.reduce((x, y) => x + y, 0)).toBe(2);
    report.hours.forEach((h, i) => {
      if (lateRow.counts[i]! > 0)
        expect(Math.abs(Date.parse(h) - hour.getTime())).toBeLessThanOrEqual(3_600_000);
    });
    // The station's own times are kept as it wrote them (three hours behind).
    const raw = await q<{ at: Date }>(
      url,
      "SELECT at FROM lineside.events WHERE station_name = 'late' AND kind = 'unit.verified'",
    );
    expect(raw).toHaveLength(2);
    for (const r of raw) expect(Date.now() - r.at.getTime()).toBeGreaterThan(2.5 * 3_600_000);
  });

  it('the line database restored from an older backup is refused clearly; the station keeps working alone', async () => {
    const { url, db } = freshLine();
    const s = station('restored');
    await onLine(s, url);
    await lineOrder(s, 'WO-OLD', 30);
    await activate(s, 'WO-OLD');
    const backup = path.join(makeTempDir('lineside-pgdump-').dir, 'line.sql');
    server.dump(db, backup);
    for (let i = 0; i < 3; i++) expect((await s.provision(1, `SN-OLD-${i}`, 'WO-OLD')).status).toBe('pass');
    await s.line.cycle();
    expect(s.line.status().pending).toBe(0);

    server.dropDatabase(db);
    server.createDatabase(db);
    server.restore(db, backup);
    // DROP ... WITH (FORCE) cut the pooled connections: the first pass may only meet that.
    await s.line.cycle().catch(() => undefined);
    await expect(s.line.cycle()).rejects.toThrow(
      /older than what this station already wrote to it \(restored from an older backup\?\)/,
    );
    const status = s.line.status();
    expect(status.state).toBe('refused');
    expect(status.message).toMatch(/stop the line and call the engineer/);
    // Nothing was written to the restored line, and the station still provisions from its lease.
    expect(await count(url, "SELECT count(*) AS n FROM lineside.units WHERE order_id = 'WO-OLD'")).toBe(0);
    const eventsBefore = await count(url, 'SELECT count(*) AS n FROM lineside.events');
    expect((await s.provision(1, 'SN-OLD-after', 'WO-OLD')).status).toBe('pass');
    await expect(s.line.cycle()).rejects.toThrow(/restored from an older backup/);
    expect(await count(url, 'SELECT count(*) AS n FROM lineside.events')).toBe(eventsBefore);
    expect(s.line.status().pending).toBeGreaterThan(0);
  });
});
