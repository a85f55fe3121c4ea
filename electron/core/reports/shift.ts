import type {
  FailureReasonReport,
  ReworkReport,
  ShiftReport,
  ShiftReportRequest,
  SlotThroughputReport,
} from '../../shared/contract';
import type { Clock } from '../clock';
import { Failure } from '../failure';
import type { Store } from '../store';

/**
 * The shift report from the event log (unit.verified / unit.failed / unit.reopened, each stamped
 * with station, operator and time) and the print audit (reprints with their reasons). A unit's
 * slot is the one its run journal (unit_runs) last recorded.
 */
export const DEFAULT_SHIFT_HOURS = 8;
const BUCKET_CHOICES = [5, 10, 15, 30, 60, 120, 240];

interface OutcomeRow {
  id: number;
  at: string;
  kind: string;
  claim_id: string;
  order_id: string | null;
  station: string;
  operator: string;
  data: string;
  slot: number | null;
}

function window(req: ShiftReportRequest, clock: Clock): { from: Date; to: Date } {
  const to = req.to ? new Date(req.to) : clock.now();
  const from = req.from
    ? new Date(req.from)
    : new Date(to.getTime() - (req.hours ?? DEFAULT_SHIFT_HOURS) * 3_600_000);
  if (Number.isNaN(to.getTime()) || Number.isNaN(from.getTime()))
    throw new Failure('validation', 'The report window needs valid start and end times.', { field: 'from' });
  if (from >= to)
    throw new Failure('validation', 'The report starts after it ends: pick an earlier start.', {
      field: 'from',
    });
  return { from, to };
}

function bucketMinutes(req: ShiftReportRequest, spanMs: number): number {
  if (req.bucketMinutes) return req.bucketMinutes;
  const minutes = spanMs / 60_000;
  return BUCKET_CHOICES.find((b) => minutes / b <= 16) ?? 24 * 60;
}

export function createShiftReports(deps: { store: Store; clock: Clock }) {
  const db = deps.store.db;

  function filters(req: ShiftReportRequest, alias: string) {
    const where: string[] = [];
    const args: string[] = [];
    if (req.station) {
      where.push(`${alias}.station = ?`);
      args.push(req.station);
    }
    if (req.orderId) {
      where.push(`${alias}.order_id = ?`);
      args.push(req.orderId);
    }
    return { sql: where.map((w) => ` AND ${w}`).join(''), args };
  }

  function shiftReport(req: ShiftReportRequest): ShiftReport {
    const { from, to } = window(req, deps.clock);
    const span = to.getTime() - from.getTime();
    const minutes = bucketMinutes(req, span);
    const bucketMs = minutes * 60_000;
    const count = Math.max(1, Math.ceil(span / bucketMs));
    const range = [from.toISOString(), to.toISOString()];
    const f = filters(req, 'e');
    const rows = db
      .prepare(
        `SELECT e.id, e.at, e.kind, e.claim_id, e.order_id, e.station, e.operator, e.data, r.slot
         FROM events e LEFT JOIN unit_runs r ON r.claim_id = e.claim_id
         WHERE e.at >= ? AND e.at < ?
           AND (e.kind IN ('unit.verified', 'unit.failed', 'unit.reopened') AND e.claim_id IS NOT NULL
                OR e.kind = 'station.unit-failed' AND e.claim_id IS NULL)${f.sql}
         ORDER BY e.at, e.id`,
      )
      .all(...range, ...f.args) as OutcomeRow[];

    const byUnit = new Map<string, OutcomeRow[]>();
    const reworks: ReworkReport[] = [];
    let failedBeforeClaim = 0;
    for (const row of rows) {
      if (row.kind === 'station.unit-failed') {
        failedBeforeClaim++;
        continue;
      }
      if (row.kind === 'unit.reopened') {
        const data = JSON.parse(row.data) as { from?: string };
        reworks.push({ claimId: row.claim_id, at: row.at, operator: row.operator, from: data.from ?? '' });
        continue;
      }
      const list = byUnit.get(row.claim_id) ?? [];
      list.push(row);
      byUnit.set(row.claim_id, list);
    }
    let passed = 0;
    let failed = 0;
    let firstPass = 0;
    let attempts = 0;
    for (const outcomes of byUnit.values()) {
      attempts += outcomes.length;
      if (outcomes.at(-1)!.kind === 'unit.verified') passed++;
      else failed++;
      if (outcomes[0]!.kind === 'unit.verified') firstPass++;
    }

    const slots = new Map<number | null, SlotThroughputReport>();
    const reasons = new Map<string, Omit<FailureReasonReport, 'cumulative'>>();
    for (const row of rows) {
      if (row.kind === 'unit.verified') {
        const slot = slots.get(row.slot) ?? {
          slot: row.slot,
          passed: 0,
          unitsPerHour: Array<number>(count).fill(0),
        };
        const i = Math.min(count - 1, Math.floor((new Date(row.at).getTime() - from.getTime()) / bucketMs));
        slot.passed++;
        slot.unitsPerHour[i]! += 60 / minutes;
        slots.set(row.slot, slot);
      } else if (row.kind === 'unit.failed' || row.kind === 'station.unit-failed') {
        const data = JSON.parse(row.data) as { code?: string; step?: string; message?: string };
        const key = `${data.code ?? 'unknown'}|${data.step ?? ''}`;
        const reason = reasons.get(key) ?? {
          code: data.code ?? 'unknown',
          step: data.step ?? '',
          message: '',
          count: 0,
        };
        reason.count++;
        reason.message = data.message ?? reason.message;
        reasons.set(key, reason);
      }
    }
    const failures = [...reasons.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    const totalFailures = failures.reduce((n, r) => n + r.count, 0);
    let running = 0;
    const failureReasons = failures.map((r) => {
      running += r.count;
      return { ...r, cumulative: running / totalFailures };
    });

    const p = filters(req, 'e');
    const reprints = (
      db
        .prepare(
          `SELECT p.claim_id, e.at, e.operator, p.reason, p.template
           FROM label_prints p JOIN events e ON e.id = p.event_id
           WHERE p.kind = 'reprint' AND e.at >= ? AND e.at < ?${p.sql}
           ORDER BY e.at, p.id`,
        )
        .all(...range, ...p.args) as {
        claim_id: string;
        at: string;
        operator: string;
        reason: string;
        template: string;
      }[]
    ).map((r) => ({
      claimId: r.claim_id,
      at: r.at,
      operator: r.operator,
      reason: r.reason,
      template: r.template,
    }));

    const seen = (column: 'station' | 'order_id') =>
      db
        .prepare(
          `SELECT DISTINCT ${column} FROM events WHERE at >= ? AND at < ? AND ${column} IS NOT NULL
           AND kind IN ('unit.verified', 'unit.failed', 'station.unit-failed') ORDER BY 1`,
        )
        .pluck()
        .all(...range) as string[];

    return {
      from: from.toISOString(),
      to: to.toISOString(),
      station: req.station ?? null,
      orderId: req.orderId ?? null,
      bucketMinutes: minutes,
      buckets: Array.from({ length: count }, (_, i) => new Date(from.getTime() + i * bucketMs).toISOString()),
      stations: seen('station'),
      orders: seen('order_id'),
      units: byUnit.size,
      passed,
      failed,
      attempts,
      failedBeforeClaim,
      firstPassYield: byUnit.size ? firstPass / byUnit.size : null,
      slots: [...slots.values()].sort((a, b) => (a.slot ?? Infinity) - (b.slot ?? Infinity)),
      failureReasons,
      reworks,
      reprints,
    };
  }

  return { shiftReport };
}
