import * as z from 'zod';
import { exportFormat, noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/**
 * Line mode: several stations on one PostgreSQL line database (docs/line.md). Without a line URL
 * the station works alone exactly as before. The URL's password never crosses this boundary: the
 * status carries the URL with the password masked.
 */
export type LineState = 'standalone' | 'connecting' | 'connected' | 'offline' | 'refused';

export interface LineActiveOrder {
  orderId: string;
  /** Claim IDs leased to this station and not yet used. */
  left: number;
  leased: number;
}

export interface LineStatusReport {
  state: LineState;
  /** The line URL with its password masked; null when standalone. */
  url: string | null;
  /** Where the URL comes from: LINESIDE_LINE_URL wins over the station's setting. */
  source: 'setting' | 'environment' | null;
  /** When the current state began ("offline since ..."). */
  since: string | null;
  /** One sentence when offline or refused: what happened and what to do. */
  message: string | null;
  lineId: string | null;
  stationId: string;
  /** Events and unit changes not on the line yet ("catching up N events"). */
  pending: number;
  lastPushAt: string | null;
  /** Line clock minus station clock, measured when the station joined the line. */
  clockSkewMs: number | null;
  clockWarning: string | null;
  blockSize: number;
  lowWater: number;
  activeOrder: LineActiveOrder | null;
  /** Work orders on this station that live on the line (newest first). */
  orders: string[];
}

export const lineSettingsRequest = lazySchema(() =>
  z
    .object({
      blockSize: z
        .number({ error: 'enter how many IDs a lease holds' })
        .int('a whole number of IDs')
        .min(1, 'lease at least 1 ID at a time')
        .max(100_000, 'at most 100,000 IDs per lease'),
      lowWater: z
        .number({ error: 'enter how many IDs left start the next lease' })
        .int('a whole number of IDs')
        .min(0, 'at least 0 IDs')
        .max(100_000, 'at most 100,000 IDs'),
    })
    .strict(),
);
export type LineSettingsRequest = z.output<typeof lineSettingsRequest>;

export interface LineLeaseReport {
  leaseId: string;
  orderId: string;
  stationId: string;
  stationName: string;
  leasedAt: string;
  state: 'active' | 'returned' | 'voided';
  count: number;
  used: number;
  voided: number;
  /** Still leased to the station, not used yet. */
  left: number;
  closedAt: string | null;
  stationLastSeen: string;
}

export interface LineYield {
  passed: number;
  failed: number;
  /** Units passed on their first attempt / units attempted; null when none was attempted. */
  firstPassYield: number | null;
}

export interface LineSlotReport extends LineYield {
  slot: number | null;
}

export interface LineStationReport extends LineYield {
  stationId: string;
  stationName: string;
  clockSkewMs: number;
  leased: number;
  used: number;
  left: number;
  voided: number;
  slots: LineSlotReport[];
}

export interface LineParetoRow {
  code: string;
  message: string;
  count: number;
  /** Cumulative share of all failures up to and including this row, 0..100. */
  cumulativePct: number;
}

export interface LineReport {
  orderId: string;
  generatedAt: string;
  quantity: number;
  /** IDs reserved on the line for the order; `free` of them are not leased to any station. */
  reserved: number;
  free: number;
  totals: LineYield & { leased: number; used: number; left: number; voided: number; conflicts: number };
  stations: LineStationReport[];
  /** Units passed per hour (times corrected by each station's clock skew): one series per station. */
  hours: string[];
  perHour: { stationName: string; counts: number[] }[];
  pareto: LineParetoRow[];
}

export interface LineReportExport {
  fileName: string;
  mimeType: string;
  content: string;
}

const orderId = lazySchema(() => z.string().trim().min(1, 'name an order').max(80));
const leaseId = lazySchema(() => z.string().trim().min(1, 'name a lease').max(80));

export const lineOperations = {
  getLineStatus: op('line:get-status', noArgs).returns<LineStatusReport>(),
  connectLine: op(
    'line:connect',
    lazySchema(() =>
      z.object({ url: z.string().trim().min(1, 'enter the line database URL').max(2000) }).strict(),
    ),
  ).returns<LineStatusReport>(),
  disconnectLine: op('line:disconnect', noArgs).returns<LineStatusReport>(),
  setLineSettings: op('line:set-settings', lineSettingsRequest).returns<LineStatusReport>(),
  getLineReport: op(
    'line:get-report',
    lazySchema(() => z.object({ orderId }).strict()),
  ).returns<LineReport>(),
  exportLineReport: op(
    'line:export-report',
    lazySchema(() => z.object({ orderId, format: exportFormat }).strict()),
  ).returns<LineReportExport>(),
  listLineLeases: op(
    'line:list-leases',
    lazySchema(() => z.object({ orderId: orderId.optional() }).strict()),
  ).returns<LineLeaseReport[]>(),
  returnLineLease: op(
    'line:return-lease',
    lazySchema(() => z.object({ leaseId, force: z.boolean().optional() }).strict()),
  ).returns<LineLeaseReport>(),
  voidLineLease: op(
    'line:void-lease',
    lazySchema(() => z.object({ leaseId }).strict()),
  ).returns<LineLeaseReport>(),
};

export type LineOps = OpsOf<typeof lineOperations>;
export const lineChannels = channelsOf(lineOperations);
export const lineSchemas = schemasOf(lineOperations);
