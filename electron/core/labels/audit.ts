import type {
  LabelPrintEntry,
  LabelPrintKind,
  ListLabelPrintsRequest,
  UnitSummary,
} from '../../shared/contract';
import type { Store } from '../store';
import { toUnitSummary, type UnitRow } from '../store/units';

/** A print to record: an entry without what recording adds (its id, and the event's time and people). */
export type NewPrint = Omit<LabelPrintEntry, 'id' | 'at' | 'station' | 'operator' | 'reason' | 'jobId'> &
  Partial<Pick<LabelPrintEntry, 'reason' | 'jobId'>>;

interface PrintRow {
  id: number;
  claim_id: string;
  order_id: string | null;
  template: string;
  template_version: string;
  printer: string;
  copies: number;
  kind: LabelPrintKind;
  reason: string | null;
  job_id: string | null;
  at: string;
  station: string;
  operator: string;
}

const toEntry = (r: PrintRow): LabelPrintEntry => ({
  id: r.id,
  claimId: r.claim_id,
  orderId: r.order_id,
  template: r.template,
  templateVersion: r.template_version,
  printer: r.printer,
  copies: r.copies,
  kind: r.kind,
  reason: r.reason,
  jobId: r.job_id,
  at: r.at,
  station: r.station,
  operator: r.operator,
});

export interface PrintAudit {
  /** Records one print in the event log and the audit table, in one transaction. */
  record(print: NewPrint): LabelPrintEntry;
  /** The first print of a unit's label, if any. */
  firstPrint(claimId: string): LabelPrintEntry | null;
  list(query: ListLabelPrintsRequest): LabelPrintEntry[];
  /** The units of a work order, in claim-ID order. */
  orderUnits(orderId: string): UnitSummary[];
}

const SELECT = `SELECT p.*, e.at, e.station, e.operator FROM label_prints p JOIN events e ON e.id = p.event_id`;

export function createPrintAudit(store: Store): PrintAudit {
  const { db } = store;
  const insert = db.prepare(
    `INSERT INTO label_prints (claim_id, order_id, template, template_version, printer, copies, kind, reason, job_id, event_id)
     VALUES (@claimId, @orderId, @template, @templateVersion, @printer, @copies, @kind, @reason, @jobId, @eventId)`,
  );
  const byId = db.prepare(`${SELECT} WHERE p.id = ?`);
  const first = db.prepare(`${SELECT} WHERE p.claim_id = ? AND p.kind = 'print'`);
  const byClaim = db.prepare(`${SELECT} WHERE p.claim_id = ? ORDER BY p.id DESC LIMIT ?`);
  const byOrder = db.prepare(`${SELECT} WHERE p.order_id = ? ORDER BY p.id DESC LIMIT ?`);
  const recent = db.prepare(`${SELECT} ORDER BY p.id DESC LIMIT ?`);
  const units = db.prepare('SELECT * FROM units WHERE order_id = ? ORDER BY claim_id');
  return {
    record(print) {
      return store.transaction(() => {
        const eventId = store.events.append({
          kind:
            print.kind === 'reprint'
              ? 'label.reprinted'
              : print.kind === 'test'
                ? 'label.test-printed'
                : 'label.printed',
          claimId: print.kind === 'test' ? null : print.claimId,
          orderId: print.orderId,
          data: {
            template: print.templateVersion,
            printer: print.printer,
            copies: print.copies,
            ...(print.reason ? { reason: print.reason } : {}),
            ...(print.jobId ? { jobId: print.jobId } : {}),
          },
        });
        const id = insert.run({ reason: null, jobId: null, ...print, eventId }).lastInsertRowid;
        return toEntry(byId.get(id) as PrintRow);
      });
    },
    firstPrint(claimId) {
      const row = first.get(claimId) as PrintRow | undefined;
      return row ? toEntry(row) : null;
    },
    list({ claimId, orderId, limit = 200 }) {
      const rows = claimId
        ? byClaim.all(claimId, limit)
        : orderId
          ? byOrder.all(orderId, limit)
          : recent.all(limit);
      return (rows as PrintRow[]).map(toEntry);
    },
    orderUnits: (orderId) => (units.all(orderId) as UnitRow[]).map(toUnitSummary),
  };
}
