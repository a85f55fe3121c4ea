import type { Store } from '../store';
import type { UnitRow } from '../store/units';

/** The columns of an order's manifest, in CSV order. */
export const MANIFEST_COLUMNS = [
  'claim_id',
  'serial',
  'state',
  'created_at',
  'updated_at',
  'profile_hash',
] as const;

function csvCell(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows of an order, in claim-ID order, read in pages so a million units never sit in one array. */
export function* manifestRows(store: Store, orderId: string, pageSize = 5000): Generator<UnitRow> {
  const page = store.db.prepare(
    'SELECT * FROM units WHERE order_id = ? AND claim_id > ? ORDER BY claim_id LIMIT ?',
  );
  let after = '';
  for (;;) {
    const rows = page.all(orderId, after, pageSize) as UnitRow[];
    yield* rows;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.claim_id;
  }
}

/** CSV (RFC 4180, CRLF line ends, header row) of an order's units. */
export function manifestCsv(store: Store, orderId: string): { content: string; rows: number } {
  const lines = [MANIFEST_COLUMNS.join(',')];
  for (const r of manifestRows(store, orderId))
    lines.push(
      [r.claim_id, r.serial, r.state, r.created_at, r.updated_at, r.profile_hash].map(csvCell).join(','),
    );
  return { content: lines.join('\r\n') + '\r\n', rows: lines.length - 1 };
}

/** JSON manifest: the order and its units. */
export function manifestJson(
  store: Store,
  orderId: string,
  order: unknown,
): { content: string; rows: number } {
  const units = [...manifestRows(store, orderId)].map((r) => ({
    claimId: r.claim_id,
    serial: r.serial,
    state: r.state,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    profileHash: r.profile_hash,
  }));
  return { content: JSON.stringify({ order, units }, null, 2) + '\n', rows: units.length };
}
