/**
 * The line's picture of one work order, read from the line database: per station and per slot the
 * units passed and failed and the first-pass yield, units passed per hour (each station's times
 * corrected by its measured clock skew, so a station with a wrong clock lands in the right hour),
 * the failure reasons as a Pareto, and the IDs leased, used and left.
 */
import type pg from 'pg';
import type { LineParetoRow, LineReport, LineStationReport, LineYield } from '../../shared/contract';
import { Failure } from '../failure';

interface Outcome {
  station_id: string;
  slot: number | null;
  claim_id: string;
  kind: string;
  t: Date;
  code: string | null;
  message: string | null;
}

interface Tally {
  units: Map<string, { first: string; last: string }>;
}

function tally(): Tally {
  return { units: new Map() };
}

function add(t: Tally, o: Outcome): void {
  const u = t.units.get(o.claim_id);
  if (u) u.last = o.kind;
  else t.units.set(o.claim_id, { first: o.kind, last: o.kind });
}

function yieldOf(t: Tally): LineYield {
  let passed = 0;
  let failed = 0;
  let firstPass = 0;
  for (const u of t.units.values()) {
    if (u.last === 'unit.verified') passed++;
    else failed++;
    if (u.first === 'unit.verified') firstPass++;
  }
  const n = t.units.size;
  return { passed, failed, firstPassYield: n === 0 ? null : Math.round((firstPass / n) * 1000) / 10 };
}

export async function lineReport(pool: pg.Pool, orderId: string, now: Date): Promise<LineReport> {
  const o = await pool.query<{ quantity: number; reserved: number }>(
    'SELECT quantity, reserved FROM lineside.orders WHERE id = $1',
    [orderId],
  );
  if (!o.rows[0])
    throw new Failure('not-found', `There is no work order ${orderId} on the line.`, { field: 'orderId' });
  const stations = await pool.query<{ id: string; name: string; clock_skew_ms: string }>(
    'SELECT id, name, clock_skew_ms FROM lineside.stations ORDER BY name, id',
  );
  const outcomes = await pool.query<Outcome>(
    `SELECT e.station_id, e.slot, e.claim_id, e.kind, e.at + s.clock_skew_ms * interval '1 millisecond' AS t,
            e.data->>'code' AS code, e.data->>'message' AS message
     FROM lineside.events e JOIN lineside.stations s ON s.id = e.station_id
     WHERE e.order_id = $1 AND e.kind IN ('unit.verified', 'unit.failed') AND e.claim_id IS NOT NULL
     ORDER BY e.station_id, e.seq`,
    [orderId],
  );
  const ids = await pool.query<{ station_id: string | null; state: string; n: string }>(
    'SELECT station_id, state, count(*) AS n FROM lineside.claim_ids WHERE order_id = $1 GROUP BY station_id, state',
    [orderId],
  );
  const leased = await pool.query<{ station_id: string; n: string }>(
    'SELECT station_id, sum(count) AS n FROM lineside.leases WHERE order_id = $1 GROUP BY station_id',
    [orderId],
  );
  const conflicts = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM lineside.conflicts c JOIN lineside.claim_ids i ON i.claim_id = c.claim_id
     WHERE i.order_id = $1`,
    [orderId],
  );

  const all = tally();
  const byStation = new Map<string, { t: Tally; slots: Map<number | null, Tally> }>();
  const hourly = new Map<string, Map<string, number>>();
  const failures = new Map<string, { message: string; count: number }>();
  for (const out of outcomes.rows) {
    add(all, out);
    let s = byStation.get(out.station_id);
    if (!s) byStation.set(out.station_id, (s = { t: tally(), slots: new Map() }));
    add(s.t, out);
    let slot = s.slots.get(out.slot);
    if (!slot) s.slots.set(out.slot, (slot = tally()));
    add(slot, out);
    if (out.kind === 'unit.verified') {
      const hour = new Date(out.t);
      hour.setUTCMinutes(0, 0, 0);
      const key = hour.toISOString();
      const h = hourly.get(key) ?? new Map<string, number>();
      h.set(out.station_id, (h.get(out.station_id) ?? 0) + 1);
      hourly.set(key, h);
    } else {
      const code = out.code ?? 'unknown';
      const f = failures.get(code) ?? { message: out.message ?? '', count: 0 };
      f.count++;
      failures.set(code, f);
    }
  }

  const idCount = (station: string | null, state: string) =>
    ids.rows
      .filter((r) => (station === null || r.station_id === station) && r.state === state)
      .reduce((n, r) => n + Number(r.n), 0);
  const leasedBy = new Map(leased.rows.map((r) => [r.station_id, Number(r.n)]));
  const stationReports: LineStationReport[] = stations.rows
    .filter((s) => byStation.has(s.id) || leasedBy.has(s.id))
    .map((s) => {
      const t = byStation.get(s.id);
      return {
        stationId: s.id,
        stationName: s.name,
        clockSkewMs: Number(s.clock_skew_ms),
        ...yieldOf(t?.t ?? tally()),
        leased: leasedBy.get(s.id) ?? 0,
        used: idCount(s.id, 'used'),
        left: idCount(s.id, 'leased'),
        voided: idCount(s.id, 'voided'),
        slots: [...(t?.slots ?? new Map<number | null, Tally>()).entries()]
          .sort(([a], [b]) => (a ?? -1) - (b ?? -1))
          .map(([slot, st]) => ({ slot, ...yieldOf(st) })),
      };
    });

  // Every hour of the shift from the first unit to the last, empty hours included.
  const seen = [...hourly.keys()].sort();
  const hours: string[] = [];
  if (seen.length > 0)
    for (
      let t = Date.parse(seen[0]!);
      t <= Date.parse(seen.at(-1)!) && hours.length < 24 * 31;
      t += 3_600_000
    )
      hours.push(new Date(t).toISOString());
  const totalFailures = [...failures.values()].reduce((n, f) => n + f.count, 0);
  let running = 0;
  const pareto: LineParetoRow[] = [...failures.entries()]
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .map(([code, f]) => {
      running += f.count;
      return {
        code,
        message: f.message,
        count: f.count,
        cumulativePct: Math.round((running / totalFailures) * 1000) / 10,
      };
    });

  return {
    orderId,
    generatedAt: now.toISOString(),
    quantity: o.rows[0].quantity,
    reserved: o.rows[0].reserved,
    free: idCount(null, 'reserved'),
    totals: {
      ...yieldOf(all),
      leased: [...leasedBy.values()].reduce((a, b) => a + b, 0),
      used: idCount(null, 'used'),
      left: idCount(null, 'leased'),
      voided: idCount(null, 'voided'),
      conflicts: Number(conflicts.rows[0]?.n ?? 0),
    },
    stations: stationReports,
    hours,
    perHour: stationReports.map((s) => ({
      stationName: s.stationName,
      counts: hours.map((h) => hourly.get(h)?.get(s.stationId) ?? 0),
    })),
    pareto,
  };
}

const CSV_COLUMNS = [
  'station',
  'slot',
  'passed',
  'failed',
  'first_pass_yield',
  'leased',
  'used',
  'left',
  'voided',
];

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per station (slot empty) and per station slot, then the line's totals. */
export function lineReportCsv(r: LineReport): string {
  const rows: unknown[][] = [CSV_COLUMNS];
  for (const s of r.stations) {
    rows.push([s.stationName, '', s.passed, s.failed, s.firstPassYield, s.leased, s.used, s.left, s.voided]);
    for (const slot of s.slots)
      rows.push([
        s.stationName,
        slot.slot ?? '',
        slot.passed,
        slot.failed,
        slot.firstPassYield,
        '',
        '',
        '',
        '',
      ]);
  }
  const t = r.totals;
  rows.push(['(line)', '', t.passed, t.failed, t.firstPassYield, t.leased, t.used, t.left, t.voided]);
  return rows.map((row) => row.map(cell).join(',')).join('\n') + '\n';
}
