import type { ChannelMap, Op } from './types';

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

export interface ExportCloudReportRequest {
  orderId: string;
  format: 'csv' | 'json';
}

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

export interface StoreProductTokenRequest {
  label: string;
  token: string;
}

export interface CloudOps {
  getCloudStatus: Op<void, CloudStatusReport>;
  pauseCloudSender: Op<void, CloudStatusReport>;
  resumeCloudSender: Op<void, CloudStatusReport>;
  retryCloudRegistrations: Op<{ claimIds?: string[] }, { retried: number }>;
  getCloudReport: Op<{ orderId: string }, CloudReconciliationReport>;
  exportCloudReport: Op<ExportCloudReportRequest, CloudExportReport>;
  storeProductToken: Op<StoreProductTokenRequest, ProductTokenSummary>;
  listProductTokens: Op<void, ProductTokenSummary[]>;
}

export const cloudChannels = {
  getCloudStatus: 'cloud:get-status',
  pauseCloudSender: 'cloud:pause-sender',
  resumeCloudSender: 'cloud:resume-sender',
  retryCloudRegistrations: 'cloud:retry-registrations',
  getCloudReport: 'cloud:get-report',
  exportCloudReport: 'cloud:export-report',
  storeProductToken: 'cloud:store-product-token',
  listProductTokens: 'cloud:list-product-tokens',
} as const satisfies ChannelMap<CloudOps>;
