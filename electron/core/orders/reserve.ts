import type { RandomBytes } from '../clock';
import type { Clock } from '../clock';
import { Failure } from '../failure';
import { CROCKFORD, createIdGenerator, idSpace, type IdGenerator, type IdPolicy } from '../ids';
import { checkSymbolOf } from '../ids/checkSymbol';
import type { Store } from '../store';
import { orderPolicy, type OrderRow } from './rows';

/** Consecutive collisions after which we count what is left of the ID space instead of drawing on. */
const STREAK_CHECK = 256;
/** IDs per INSERT statement. */
const CHUNK = 50_000;

function globFor(policy: IdPolicy): string {
  return `[${policy.alphabet}]`.repeat(policy.length) + (policy.checkSymbol ? '[0-9A-Z]' : '');
}

/** How many distinct IDs a policy can ever draw (exact for small spaces). */
export function policyCapacity(policy: IdPolicy): number {
  const raw = idSpace(policy);
  if (!policy.checkSymbol) return raw;
  if (raw > 1 << 20) return Math.floor((raw * 33) / 37);
  // Small space with a check symbol: count the IDs whose symbol is in [0-9A-Z] exactly.
  let n = 0;
  const digits = new Array<number>(policy.length).fill(0);
  for (let i = 0; i < raw; i++) {
    let x = i;
    for (let d = policy.length - 1; d >= 0; d--) {
      digits[d] = x % 32;
      x = Math.floor(x / 32);
    }
    if (/[0-9A-Z]/.test(checkSymbolOf(digits.map((d) => CROCKFORD[d]).join('')))) n++;
  }
  return n;
}

/** IDs of this policy's shape already in the store (any order): a table scan, used sparingly. */
export function usedOfPolicy(store: Pick<Store, 'db'>, policy: IdPolicy): number {
  return store.db
    .prepare('SELECT count(*) FROM units WHERE length(claim_id) = ? AND claim_id GLOB ?')
    .pluck()
    .get(policy.length + (policy.checkSymbol ? 1 : 0), globFor(policy)) as number;
}

export function exhaustedFailure(policy: IdPolicy, capacity: number, wanted?: number): Failure {
  return new Failure(
    'ids-exhausted',
    wanted === undefined
      ? `Every claim ID this policy can make is already in use (${capacity.toLocaleString('en')} IDs of ${policy.length} characters). Use a longer ID length in the profile.`
      : `This policy can make only ${capacity.toLocaleString('en')} claim IDs and cannot reserve ${wanted.toLocaleString('en')} more. Use a longer ID length in the profile.`,
    { detail: `alphabet ${policy.alphabet}, length ${policy.length}, check symbol ${policy.checkSymbol}` },
  );
}

/** An LSD radix sort of a block of fixed-width IDs on their bytes: the same order as sorting the strings. */
function sortedOrder(bytes: Uint8Array, width: number): Int32Array {
  const count = bytes.length / width;
  let order = new Int32Array(count);
  let spare = new Int32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  const buckets = new Int32Array(257);
  for (let p = width - 1; p >= 0; p--) {
    buckets.fill(0);
    for (let k = 0; k < count; k++) buckets[bytes[k * width + p]! + 1]!++;
    for (let b = 1; b < 257; b++) buckets[b]! += buckets[b - 1]!;
    for (let k = 0; k < count; k++) {
      const id = order[k]!;
      spare[buckets[bytes[id * width + p]!]!++] = id;
    }
    [order, spare] = [spare, order];
  }
  return order;
}

/** IDs `order[from..to)` of a block as one JSON array text (one latin1 decode, no string per ID). */
function jsonArray(bytes: Uint8Array, width: number, order: Int32Array, from: number, to: number): string {
  const out = Buffer.allocUnsafe(2 + (to - from) * (width + 3));
  let o = 0;
  out[o++] = 0x5b;
  for (let k = from; k < to; k++) {
    if (k > from) out[o++] = 0x2c;
    out[o++] = 0x22;
    const start = order[k]! * width;
    for (let i = 0; i < width; i++) out[o++] = bytes[start + i]!;
    out[o++] = 0x22;
  }
  out[o++] = 0x5d;
  return out.toString('latin1', 0, o);
}

/**
 * A block of fixed-width IDs (IdGenerator.block) as a JSON array text in sorted order, for
 * json_each: a radix sort on the bytes, then one latin1 decode, instead of a string per ID, a
 * comparison sort and JSON.stringify.
 */
export function sortedJsonArray(bytes: Uint8Array, width: number): string {
  const order = sortedOrder(bytes, width);
  return jsonArray(bytes, width, order, 0, order.length);
}

/**
 * IDs drawn ahead for an order and handed out in ascending order, a chunk at a time. Each batch
 * then continues the claim-ID keys where the one before ended, so the primary-key index and
 * units_order_state are extended page by page instead of every batch touching (and writing to the
 * WAL) nearly every page of an index that holds a million random keys. The set drawn is the same
 * uniform sample either way; only the order of the inserts changes.
 */
export function createSortedPool(gen: IdGenerator, count: number) {
  const { bytes, width } = gen.block(count);
  const order = sortedOrder(bytes, width);
  let next = 0;
  return {
    get left(): number {
      return order.length - next;
    },
    /** The next `count` IDs (fewer when the pool runs out) as a JSON array text. */
    take(want: number): { json: string; count: number } {
      const to = Math.min(order.length, next + want);
      const json = jsonArray(bytes, width, order, next, to);
      const taken = to - next;
      next = to;
      return { json, count: taken };
    },
  };
}

/** IDs drawn ahead at most (13 bytes each while they wait): a bigger order draws several pools. */
export const POOL_MAX = 1_000_000;

export interface ReserveDeps {
  /** What reserving uses of a store (a worker builds this much on its own connection). */
  store: Pick<Store, 'db' | 'events' | 'transaction'>;
  clock: Clock;
  randomBytes: RandomBytes;
}

export interface BatchResult {
  inserted: number;
  collisions: number;
  reserved: number;
  quantity: number;
}

/**
 * Reserves up to `count` more IDs for an order in ONE transaction: new rows in `units` (state
 * 'reserved'), the order's counters, and one event. A crash leaves whole batches only; a collision
 * with any ID already in the store is drawn again and counted; an exhausted ID space is an error.
 */
export function createBatchReserver(deps: ReserveDeps, orderId: string) {
  const { store, clock } = deps;
  const getOrder = store.db.prepare('SELECT * FROM orders WHERE id = ?');
  // One statement per chunk of IDs (a JSON array), OR IGNORE so an ID already in the store is simply
  // not inserted: the shortfall is drawn again and counted as collisions.
  const insert = store.db.prepare(
    `INSERT OR IGNORE INTO units (claim_id, serial, order_id, state, profile_hash, created_at, updated_at)
     SELECT value, NULL, ?, 'reserved', ?, ?, ? FROM json_each(?)`,
  );
  const update = store.db.prepare(
    `UPDATE orders SET reserved = reserved + ?, collisions = collisions + ?, updated_at = ?,
       state = CASE WHEN state = 'reserving' AND reserved + ? >= quantity THEN 'ready' ELSE state END
     WHERE id = ?`,
  );
  // Maintained order counts (migration 130): the batch's new rows, counted once.
  const countReserved = store.db.prepare(
    `INSERT INTO order_unit_counts (order_id, state, n) VALUES (?, 'reserved', ?)
     ON CONFLICT (order_id, state) DO UPDATE SET n = n + excluded.n`,
  );
  let gen: IdGenerator | null = null;
  let pool: ReturnType<typeof createSortedPool> | null = null;

  return function reserveBatch(count: number): BatchResult {
    // Draw the order's missing IDs (up to POOL_MAX) before the transaction, not while holding the lock.
    const before = getOrder.get(orderId) as OrderRow | undefined;
    if (before && (!pool || pool.left === 0)) {
      gen ??= createIdGenerator(orderPolicy(before), deps.randomBytes);
      const missing = before.quantity - before.reserved;
      if (missing > 0) pool = createSortedPool(gen, Math.min(missing, POOL_MAX));
    }
    return store.transaction(() => {
      const order = getOrder.get(orderId) as OrderRow | undefined;
      if (!order) throw new Failure('not-found', `There is no work order ${orderId} on this station.`);
      const policy = orderPolicy(order);
      gen ??= createIdGenerator(policy, deps.randomBytes);
      const n = Math.max(0, Math.min(count, order.quantity - order.reserved));
      const at = clock.now().toISOString();
      let inserted = 0;
      let collisions = 0;
      let streak = 0;
      while (inserted < n) {
        const want = Math.min(n - inserted, CHUNK);
        // From the pool in ascending order; a collision's replacement is drawn fresh (sorted too).
        let ids: string;
        let offered = want;
        if (pool && pool.left > 0) ({ json: ids, count: offered } = pool.take(want));
        else {
          const { bytes, width } = gen.block(want);
          ids = sortedJsonArray(bytes, width);
        }
        const added = insert.run(orderId, order.profile_hash, at, at, ids).changes;
        inserted += added;
        collisions += offered - added;
        streak = added === 0 ? streak + offered : 0;
        if (streak >= STREAK_CHECK) {
          if (usedOfPolicy(store, policy) >= policyCapacity(policy))
            throw exhaustedFailure(policy, policyCapacity(policy));
          streak = 0;
        }
      }
      if (n > 0) {
        countReserved.run(orderId, n);
        update.run(n, collisions, at, n, orderId);
        store.events.append({
          kind: 'order.ids-reserved',
          orderId,
          data: { count: n, collisions, reserved: order.reserved + n, quantity: order.quantity },
        });
      }
      return { inserted: n, collisions, reserved: order.reserved + n, quantity: order.quantity };
    });
  };
}
