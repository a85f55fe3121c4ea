import * as z from 'zod';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/**
 * The shift report: what a station (or all of them) did for an order (or all) in a time window,
 * from the event log and the print audit. One report shape serves the Reports screen and the line
 * view; exports are CSV, JSON and a one-page PDF.
 */
const iso = lazySchema(() => z.iso.datetime({ offset: true, error: 'a time like 2026-11-21T06:00:00Z' }));
/** The filters both shift-report operations take (a function: schemas are built on first use). */
const shiftReportFields = () => ({
  /** ISO times; default: the last `hours` (8) up to now. */
  from: iso.optional(),
  to: iso.optional(),
  hours: z
    .number()
    .positive()
    .max(24 * 31)
    .optional(),
  /** A station name as events record it; default all stations. */
  station: z.string().trim().min(1).max(120).optional(),
  orderId: z.string().trim().min(1).max(40).optional(),
  /** Width of one bar of the units-per-hour chart; default chosen for about 8-16 bars. */
  bucketMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
});

export const shiftReportRequest = lazySchema(() => z.object(shiftReportFields()).strict());
export type ShiftReportRequest = z.output<typeof shiftReportRequest>;

export interface SlotThroughputReport {
  /** null: units run without a fixture slot (the CLI's `provision` without --slot). */
  slot: number | null;
  passed: number;
  /** Units that passed in each bucket, scaled to an hour. */
  unitsPerHour: number[];
}

export interface FailureReasonReport {
  /** The failure's stable code and the step it stopped at. */
  code: string;
  step: string;
  /** The sentence of the latest failure with this code. */
  message: string;
  count: number;
  /** Share of all failures up to and including this reason (0-1), for the Pareto line. */
  cumulative: number;
}

export interface ReworkReport {
  claimId: string;
  at: string;
  operator: string;
  /** The state the unit was reopened from (failed, verified, ...). */
  from: string;
}

export interface ReprintReport {
  claimId: string;
  at: string;
  operator: string;
  reason: string;
  template: string;
}

export interface ShiftReport {
  from: string;
  to: string;
  station: string | null;
  orderId: string | null;
  bucketMinutes: number;
  /** Start of each bucket (ISO). */
  buckets: string[];
  /** Stations and orders seen in the window (for the filters). */
  stations: string[];
  orders: string[];
  /** Units with at least one outcome in the window. */
  units: number;
  /** Units whose latest outcome passed / failed. */
  passed: number;
  failed: number;
  /** Outcomes (pass or fail) recorded: more than units when units were run again. */
  attempts: number;
  /** Runs that failed before a claim ID was taken (the port did not open): no unit, a reason. */
  failedBeforeClaim: number;
  /** Units whose first outcome in the window was a pass, of all units (0-1); null without units. */
  firstPassYield: number | null;
  slots: SlotThroughputReport[];
  failureReasons: FailureReasonReport[];
  reworks: ReworkReport[];
  reprints: ReprintReport[];
}

export const exportShiftReportRequest = lazySchema(() =>
  z.object({ ...shiftReportFields(), format: z.enum(['csv', 'json', 'pdf']) }).strict(),
);
export type ExportShiftReportRequest = z.output<typeof exportShiftReportRequest>;

export interface ShiftReportFileReport {
  fileName: string;
  mimeType: string;
  /** Text for CSV and JSON; base64 for PDF. */
  content: string;
  encoding: 'utf8' | 'base64';
}

export const reportsOperations = {
  getShiftReport: op('reports:get-shift', shiftReportRequest).returns<ShiftReport>(),
  exportShiftReport: op('reports:export-shift', exportShiftReportRequest).returns<ShiftReportFileReport>(),
};

export type ReportsOps = OpsOf<typeof reportsOperations>;
export const reportsChannels = channelsOf(reportsOperations);
export const reportsSchemas = schemasOf(reportsOperations);
