import type Database from 'better-sqlite3';
import type { ListUnitsRequest, Page, UnitState, UnitSummary } from '../../shared/contract';

export interface UnitRow {
  claim_id: string;
  serial: string | null;
  order_id: string | null;
  state: UnitState;
  profile_hash: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewUnit {
  claimId: string;
  serial?: string | null;
  orderId?: string | null;
  state: UnitState;
  profileHash?: string | null;
  at: string;
}

/** A page of units by claim-ID prefix (the listUnits request without the search box). */
export type UnitQuery = Pick<ListUnitsRequest, 'prefix' | 'cursor' | 'limit'>;

/** A page of units found by the one search box (the listUnits request with `query`). */
export type UnitSearch = Omit<ListUnitsRequest, 'prefix'>;

export interface UnitRepo {
  /** Inserts many units in one transaction; a duplicate claim ID aborts the whole batch. */
  insertMany(units: readonly NewUnit[]): void;
  get(claimId: string): UnitSummary | null;
  page(query: UnitQuery): Page<UnitSummary>;
  /** Claim-ID prefix, serial, order or state in one query (see ListUnitsRequest.query). */
  search(query: UnitSearch): Page<UnitSummary>;
  count(): number;
}

export const TOTAL_CAP = 10_000;

export function toUnitSummary(row: UnitRow): UnitSummary {
  return {
    claimId: row.claim_id,
    serial: row.serial,
    orderId: row.order_id,
    state: row.state,
    profileHash: row.profile_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Claim IDs are stored upper case without separators; people type them any way. */
export function normalizeClaimIdInput(text: string): string {
  return text.toUpperCase().replace(/[\s-]+/g, '');
}

/** The smallest string greater than every string starting with `prefix` (for index range scans). */
function prefixUpperBound(prefix: string): string {
  return prefix + '\uffff';
}

export function createUnitRepo(db: Database.Database): UnitRepo {
  const insert = db.prepare(
    `INSERT INTO units (claim_id, serial, order_id, state, profile_hash, created_at, updated_at)
     VALUES (@claimId, @serial, @orderId, @state, @profileHash, @at, @at)`,
  );
  // Order summaries read maintained counts (migration 130): count what we insert.
  const countIn = db.prepare(
    `INSERT INTO order_unit_counts (order_id, state, n) VALUES (?, ?, ?)
     ON CONFLICT (order_id, state) DO UPDATE SET n = n + excluded.n`,
  );
  const insertMany = db.transaction((units: readonly NewUnit[]) => {
    const counts = new Map<string, { orderId: string; state: string; n: number }>();
    for (const u of units) {
      insert.run({ serial: null, orderId: null, profileHash: null, ...u });
      if (!u.orderId) continue;
      const k = `${u.orderId}\u0000${u.state}`;
      const c = counts.get(k) ?? counts.set(k, { orderId: u.orderId, state: u.state, n: 0 }).get(k)!;
      c.n++;
    }
    for (const c of counts.values()) countIn.run(c.orderId, c.state, c.n);
  });
  const getOne = db.prepare('SELECT * FROM units WHERE claim_id = ?');
  const pageStmt = db.prepare(
    `SELECT * FROM units WHERE claim_id >= @low AND claim_id < @high AND claim_id > @after
     ORDER BY claim_id LIMIT @limit`,
  );
  const countStmt = db
    .prepare(
      `SELECT count(*) FROM (SELECT 1 FROM units WHERE claim_id >= @low AND claim_id < @high LIMIT @cap)`,
    )
    .pluck();
  const countAll = db.prepare('SELECT count(*) FROM units').pluck();

  return {
    insertMany: (units) => insertMany(units),
    get(claimId) {
      const row = getOne.get(normalizeClaimIdInput(claimId)) as UnitRow | undefined;
      return row ? toUnitSummary(row) : null;
    },
    page({ prefix = '', cursor = null, limit = 100 }) {
      const low = normalizeClaimIdInput(prefix);
      const high = prefixUpperBound(low);
      const rows = pageStmt.all({ low, high, after: cursor ?? '', limit: limit + 1 }) as UnitRow[];
      const more = rows.length > limit;
      const items = rows.slice(0, limit).map(toUnitSummary);
      const counted = countStmt.get({ low, high, cap: TOTAL_CAP + 1 }) as number;
      return {
        items,
        nextCursor: more ? (items.at(-1)?.claimId ?? null) : null,
        total: Math.min(counted, TOTAL_CAP),
        totalIsCapped: counted > TOTAL_CAP,
      };
    },
    search: (query) => searchUnits(db, query),
    count: () => countAll.get() as number,
  };
}

const STATES: readonly UnitState[] = [
  'reserved',
  'assigned',
  'written',
  'verified',
  'provisioned',
  'failed',
  'voided',
];

function searchUnits(db: Database.Database, query: UnitSearch): Page<UnitSummary> {
  const { cursor = null, limit = 100 } = query;
  const text = (query.query ?? '').trim();
  const where: string[] = [];
  const params: Record<string, unknown> = { after: cursor ?? '', limit: limit + 1, cap: TOTAL_CAP + 1 };
  if (text) {
    const low = normalizeClaimIdInput(text);
    Object.assign(params, { low, high: prefixUpperBound(low), like: `%${text.replace(/[\\%_]/g, '\\$&')}%` });
    const byState = STATES.find((s) => s === text.toLowerCase());
    where.push(
      `((claim_id >= @low AND claim_id < @high) OR serial LIKE @like ESCAPE '\\' OR order_id LIKE @like ESCAPE '\\'${byState ? ' OR state = @textState' : ''})`,
    );
    if (byState) params.textState = byState;
  }
  if (query.state) {
    where.push('state = @state');
    params.state = query.state;
  }
  // A whole claim ID typed in is shown even when it is only reserved: the person asked for it.
  if (query.hideReserved) {
    where.push("(state <> 'reserved' OR claim_id = @exact)");
    params.exact = normalizeClaimIdInput(text);
  }
  const filter = where.length ? where.join(' AND ') : '1';
  const rows = db
    .prepare(`SELECT * FROM units WHERE ${filter} AND claim_id > @after ORDER BY claim_id LIMIT @limit`)
    .all(params) as UnitRow[];
  const counted = db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM units WHERE ${filter} LIMIT @cap)`)
    .pluck()
    .get(params) as number;
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map(toUnitSummary);
  return {
    items,
    nextCursor: more ? (items.at(-1)?.claimId ?? null) : null,
    total: Math.min(counted, TOTAL_CAP),
    totalIsCapped: counted > TOTAL_CAP,
  };
}
