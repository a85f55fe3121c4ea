/**
 * The line on one real PostgreSQL server: 8 simulated stations x 4 slots against one line database,
 * and 1 station x 4 slots as the baseline in the same run. Each slot takes its next claim ID through
 * the station's seam (`assignNext`, from the leased block), spends a fixed simulated unit time, then
 * marks the unit provisioned; each station's background loop refills its lease and pushes its outbox.
 * Every station is its own process, as on a real line. Reports, as the median and spread of 5 runs: claim IDs taken per second, outbox lag p95 (a unit's
 * provisioned event from the station's commit to the line's), duplicates (must be zero), and the
 * ratio of 8 stations' throughput to one station's. Also the line's reservation rate against the
 * same reservation in a station's own SQLite.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { systemClock } from '../electron/core/clock';
import { createServices, type ServicesHandle } from '../electron/core/services';
import { startPostgres, type PgServer } from '../test/support/postgres';
import { factoryProfilesDir } from '../test/support/station';
import { makeTempDir } from '../test/support/tempDir';
import { figure, percentile, runs, scale, section, timeAsync } from './harness';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lineStation.ts');
const SLOTS = 4;
const UNIT_MS = 100;

interface Sim {
  handle: ServicesHandle;
  cleanup: () => Promise<void>;
}

function simStation(name: string, url: string): Sim {
  const data = makeTempDir('lineside-line-bench-');
  const handle = createServices({
    dataDir: data.dir,
    clock: systemClock,
    factoryProfilesDir,
    portPollMs: 0,
    runtime: { transport: 'cli', appVersion: 'bench', electronVersion: null, chromeVersion: null },
    line: { envUrl: url, autoStart: true, tickMs: 200, maxBackoffMs: 2000 },
  });
  handle.store.settings.set('station', { stationName: name, operator: 'bench' });
  handle.line.setSettings({ blockSize: 100, lowWater: 40 });
  return {
    handle,
    cleanup: async () => {
      await handle.line.close();
      handle.close();
      data.cleanup();
    },
  };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

interface ChildResult {
  taken: string[];
  ms: number;
  pending: number;
}

/** Starts one station process; resolves when it has leased and is ready for "go". */
function startChild(plan: object): Promise<{ go: () => void; done: Promise<ChildResult> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(plan)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffer = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  let onDone: (r: ChildResult) => void = () => undefined;
  const done = new Promise<ChildResult>((r) => (onDone = r));
  child.stdout.on('data', (c: Buffer) => {
    buffer += c.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (line === 'ready') onReady();
      else if (line.startsWith('{')) onDone(JSON.parse(line) as ChildResult);
    }
  });
  child.once('exit', (code) => {
    if (code !== 0) throw new Error(`bench station exited with ${code}: ${lines.join(' | ')}`);
  });
  return ready.then(() => ({ go: () => child.stdin.write('go\n'), done }));
}

/** One shift: `stations` station processes x 4 slots, `perStation` units each. */
async function shift(server: PgServer, db: string, stations: number, perStation: number) {
  server.createDatabase(db);
  const url = server.url(db);
  const creator = simStation('bench-planner', url);
  await creator.handle.line.cycle();
  const started = await creator.handle.services.createOrder({
    profile: 'ioto-demo',
    quantity: stations * perStation + 1000,
    orderId: 'WO-BENCH',
  });
  const job = await creator.handle.jobs.wait(started.job.jobId);
  if (job.state !== 'done') throw new Error(job.error?.message ?? 'reservation failed');
  await creator.cleanup();
  const dirs = Array.from({ length: stations }, () => makeTempDir('lineside-line-bench-'));
  const children = await Promise.all(
    dirs.map((d, i) =>
      startChild({
        dataDir: d.dir,
        url,
        name: `bench-${i + 1}`,
        orderId: 'WO-BENCH',
        units: perStation,
        slots: SLOTS,
        unitMs: UNIT_MS,
      }),
    ),
  );
  children.forEach((c) => c.go());
  const results = await Promise.all(children.map((c) => c.done));
  const wallMs = Math.max(...results.map((r) => r.ms));
  dirs.forEach((d) => d.cleanup());
  const taken = results.flatMap((r) => r.taken);
  const lags = await query<{ ms: string }>(
    url,
    `SELECT extract(epoch FROM received_at - at) * 1000 AS ms FROM lineside.events WHERE kind = 'unit.provisioned'`,
  );
  const dup = await query<{ n: string }>(
    url,
    'SELECT count(*) - count(DISTINCT claim_id) AS n FROM lineside.units',
  );
  const onLine = await query<{ n: string }>(
    url,
    "SELECT count(*) AS n FROM lineside.units WHERE state = 'provisioned'",
  );
  return {
    idsPerSecond: taken.length / (wallMs / 1000),
    lagP95: percentile(
      lags.map((l) => Number(l.ms)),
      95,
    ),
    duplicates: taken.length - new Set(taken).size + Number(dup[0]!.n),
    missing: taken.length - Number(onLine[0]!.n),
  };
}

export async function run(): Promise<void> {
  const server = await startPostgres();
  try {
    const perStation = Math.max(SLOTS * 5, Math.round((160 * scale()) / SLOTS) * SLOTS);
    const one: Awaited<ReturnType<typeof shift>>[] = [];
    const eight: Awaited<ReturnType<typeof shift>>[] = [];
    for (let r = 0; r < runs(); r++) {
      one.push(await shift(server, `bench_one_${r}`, 1, perStation));
      eight.push(await shift(server, `bench_eight_${r}`, 8, perStation));
    }
    const ratios = eight.map((e, i) => e.idsPerSecond / one[i]!.idsPerSecond);
    const duplicates = [...one, ...eight].reduce((n, s) => n + s.duplicates, 0);
    const missing = [...one, ...eight].reduce((n, s) => n + s.missing, 0);

    // Reserving an order's IDs: in the line's claim-ID space vs in a station's own SQLite.
    const quantity = Math.max(2000, Math.round(50_000 * scale()));
    const lineRates: number[] = [];
    const localRates: number[] = [];
    for (let r = 0; r < runs(); r++) {
      const db = `bench_reserve_${r}`;
      server.createDatabase(db);
      const sim = simStation('reserver', server.url(db));
      await sim.handle.line.cycle();
      const started = await timeAsync(async () => {
        const s = await sim.handle.services.createOrder({
          profile: 'ioto-demo',
          quantity,
          orderId: 'WO-RES',
        });
        return sim.handle.jobs.wait(s.job.jobId);
      });
      lineRates.push(quantity / (started.ms / 1000));
      await sim.cleanup();
      const localDir = makeTempDir('lineside-line-bench-local-');
      const local = createServices({
        dataDir: localDir.dir,
        clock: systemClock,
        factoryProfilesDir,
        portPollMs: 0,
        runtime: { transport: 'cli', appVersion: 'bench', electronVersion: null, chromeVersion: null },
        line: { envUrl: '' },
      });
      const t = await timeAsync(async () => {
        local.orders.createOrder({ profile: 'ioto-demo', quantity, orderId: 'WO-RES' });
        await local.orders.reserveRemaining('WO-RES');
      });
      localRates.push(quantity / (t.ms / 1000));
      await local.line.close();
      local.close();
      localDir.cleanup();
    }

    section(
      `line: 8 station processes x ${SLOTS} slots vs 1 station, one PostgreSQL, ${perStation} units per station, ${UNIT_MS} ms per unit`,
    );
    figure({
      name: 'line.ids-per-second',
      title: 'claim IDs taken per second by 8 stations',
      samples: eight.map((e) => e.idsPerSecond),
      unit: 'IDs/s',
      baseline: { samples: one.map((e) => e.idsPerSecond), what: '1 station' },
      higherIsBetter: true,
      note: `ratio per run ${ratios.map((r) => r.toFixed(2)).join(', ')}; 8.0 = linear`,
    });
    figure({
      name: 'line.outbox-lag-p95',
      title: 'outbox lag p95 with 8 stations (provisioned on the station -> on the line)',
      samples: eight.map((e) => e.lagP95),
      unit: 'ms',
      baseline: { samples: one.map((e) => e.lagP95), what: '1 station' },
      higherIsBetter: false,
    });
    figure({
      name: 'line.duplicates',
      title: 'claim IDs held twice, over all runs',
      samples: [duplicates],
      unit: 'IDs',
      higherIsBetter: false,
      goal: [{ on: 'value', op: '<=', target: 0 }],
    });
    figure({
      name: 'line.missing',
      title: 'units missing on the line after the drain, over all runs',
      samples: [missing],
      unit: 'units',
      higherIsBetter: false,
      goal: [{ on: 'value', op: '<=', target: 0 }],
    });
    figure({
      name: 'line.reserve',
      title: `reserving ${quantity.toLocaleString('en')} IDs in the line's claim-ID space`,
      samples: lineRates,
      unit: 'IDs/s',
      baseline: { samples: localRates, what: "the same in the station's own SQLite" },
      higherIsBetter: true,
    });
  } finally {
    await server.destroy();
  }
}
