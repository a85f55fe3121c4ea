import type {
  CloudExportReport,
  CloudReconciliationReport,
  CloudReportRow,
  CloudUnitStatus,
} from '../../shared/contract';
import type { Clock } from '../clock';
import { Failure } from '../failure';
import type { Store } from '../store';
import type { OutboxRow } from './outbox';
import { MIME } from '../../shared/mime';

/** The per-order reconciliation report: every queued unit as registered / claimed / rejected / pending. */
export function reconciliationReport(store: Store, clock: Clock, orderId: string): CloudReconciliationReport {
  const rows = store.db
    .prepare('SELECT * FROM cloud_outbox WHERE order_id = ? ORDER BY claim_id')
    .all(orderId) as OutboxRow[];
  if (rows.length === 0) {
    throw new Failure('not-found', `No unit of order ${orderId} has been queued for cloud registration.`, {
      field: 'orderId',
    });
  }
  const claimed = new Map(
    (
      store.db
        .prepare(
          `SELECT claim_id, json_extract(data, '$.accountId') AS account FROM events
           WHERE order_id = ? AND kind = 'cloud.claimed'`,
        )
        .all(orderId) as { claim_id: string; account: string | null }[]
    ).map((r) => [r.claim_id, r.account]),
  );
  const counts: Record<CloudUnitStatus, number> = { pending: 0, registered: 0, claimed: 0, rejected: 0 };
  const units = rows.map((r): CloudReportRow => {
    const status: CloudUnitStatus = r.state === 'sending' ? 'pending' : r.state;
    counts[status]++;
    return {
      claimId: r.claim_id,
      status,
      reason: status === 'registered' || status === 'claimed' ? null : r.last_error,
      httpStatus: r.last_status,
      attempts: r.attempts,
      queuedAt: r.queued_at,
      answeredAt: r.answered_at,
      builder: r.builder_url,
      accountId: claimed.get(r.claim_id) ?? null,
    };
  });
  const needsProvisionFile = store.db
    .prepare(
      `SELECT o.claim_id FROM cloud_outbox o
       WHERE o.order_id = ? AND json_extract(o.body, '$.account') IS NOT NULL
         AND json_extract(o.body, '$.cloud') IS NOT NULL
         AND EXISTS (SELECT 1 FROM unit_files f WHERE f.claim_id = o.claim_id)
         AND NOT EXISTS (SELECT 1 FROM unit_files f WHERE f.claim_id = o.claim_id AND f.path = 'config/provision.json5')
       ORDER BY o.claim_id`,
    )
    .pluck()
    .all(orderId) as string[];
  return { orderId, generatedAt: clock.now().toISOString(), counts, units, needsProvisionFile };
}

const CSV_COLUMNS: (keyof CloudReportRow)[] = [
  'claimId',
  'status',
  'reason',
  'httpStatus',
  'attempts',
  'queuedAt',
  'answeredAt',
  'builder',
  'accountId',
];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A cell a spreadsheet would run as a formula is quoted as text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportToCsv(report: CloudReconciliationReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of report.units) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function exportReport(report: CloudReconciliationReport, format: 'csv' | 'json'): CloudExportReport {
  const safe = report.orderId.replace(/[^A-Za-z0-9._-]+/g, '_');
  return format === 'csv'
    ? { fileName: `cloud-report-${safe}.csv`, mimeType: MIME.csv, content: reportToCsv(report) }
    : {
        fileName: `cloud-report-${safe}.json`,
        mimeType: MIME.json,
        content: JSON.stringify(report, null, 2) + '\n',
      };
}
