import * as z from 'zod';
import { claimIdArg, exportFormat, noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/**
 * Cloud pre-registration (ioto-contracts §4).
 * Product tokens are write-only here: the renderer can store one and sees its fingerprint, never
 * its value. Nothing in these results carries a token.
 */
export type CloudUnitStatus = 'pending' | 'registered' | 'claimed' | 'rejected';

export interface CloudCounts {
  pending: number;
  sending: number;
  registered: number;
  claimed: number;
  rejected: number;
}

export interface CloudFailure {
  claimId: string;
  orderId: string | null;
  /** rejected: a person must act (then Retry); waiting: transient, retried automatically. */
  kind: 'rejected' | 'waiting';
  status: number | null;
  reason: string;
  attempts: number;
  nextAttemptAt: string | null;
  updatedAt: string;
}

export interface CloudStatusReport {
  running: boolean;
  inFlight: number;
  concurrency: number;
  counts: CloudCounts;
  /** Units answered by the cloud in the last minute. */
  ratePerMinute: number;
  failures: CloudFailure[];
  orders: string[];
}

export interface CloudReportRow {
  claimId: string;
  status: CloudUnitStatus;
  /** For rejected units: why; for pending ones: the last transient problem, if any. */
  reason: string | null;
  httpStatus: number | null;
  attempts: number;
  queuedAt: string;
  answeredAt: string | null;
  builder: string;
  accountId: string | null;
}

export interface CloudReconciliationReport {
  orderId: string;
  generatedAt: string;
  counts: Record<CloudUnitStatus, number>;
  units: CloudReportRow[];
  /**
   * Pre-claimed units (registered with account + cloud) whose last write had no provision.json5,
   * because the builder had not answered "claimed" then: `lineside provision --resume ID` adds it.
   */
  needsProvisionFile: string[];
}

const orderId = lazySchema(() => z.string().trim().min(1, 'name an order').max(80));

export const exportCloudReportRequest = lazySchema(() =>
  z.object({ orderId, format: exportFormat }).strict(),
);
export type ExportCloudReportRequest = z.output<typeof exportCloudReportRequest>;

export interface CloudExportReport {
  fileName: string;
  mimeType: string;
  content: string;
}

export interface ProductTokenSummary {
  ref: string;
  label: string;
  fingerprint: string;
  createdAt: string;
}

export const storeProductTokenRequest = lazySchema(() =>
  z
    .object({
      label: z.string().trim().min(1, 'give the token a name').max(80),
      token: z
        .string()
        .trim()
        .min(8, 'a product token is 26 characters')
        .max(200)
        .refine((t) => t !== 'PUT-YOUR-PRODUCT-ID-HERE', 'that is the placeholder, not a product token'),
    })
    .strict(),
);
export type StoreProductTokenRequest = z.output<typeof storeProductTokenRequest>;

export const cloudOperations = {
  getCloudStatus: op('cloud:get-status', noArgs).returns<CloudStatusReport>(),
  pauseCloudSender: op('cloud:pause-sender', noArgs).returns<CloudStatusReport>(),
  resumeCloudSender: op('cloud:resume-sender', noArgs).returns<CloudStatusReport>(),
  retryCloudRegistrations: op(
    'cloud:retry-registrations',
    lazySchema(() => z.object({ claimIds: z.array(claimIdArg).max(100_000).optional() }).strict()),
  ).returns<{ retried: number }>(),
  getCloudReport: op(
    'cloud:get-report',
    lazySchema(() => z.object({ orderId }).strict()),
  ).returns<CloudReconciliationReport>(),
  exportCloudReport: op('cloud:export-report', exportCloudReportRequest).returns<CloudExportReport>(),
  storeProductToken: op('cloud:store-product-token', storeProductTokenRequest).returns<ProductTokenSummary>(),
  listProductTokens: op('cloud:list-product-tokens', noArgs).returns<ProductTokenSummary[]>(),
};

export type CloudOps = OpsOf<typeof cloudOperations>;
export const cloudChannels = channelsOf(cloudOperations);
export const cloudSchemas = schemasOf(cloudOperations);
