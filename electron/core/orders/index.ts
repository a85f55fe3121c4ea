/**
 * Work orders and the claim IDs they reserve: the core functions other subsystems call.
 * (The station run, the serialization service and the CLI use these; nothing here knows a transport.)
 *
 * A reserved claim ID is a row in `units` with state 'reserved', the order's id, and the hash of the
 * profile version the order was made with. Every ID ends in exactly one of the states
 * reserved -> assigned -> (written -> verified, owned by the station run) -> provisioned, or voided
 * with a reason. Nothing is deleted; every change appends an event (station, operator, time).
 *
 * `createOrderBook(deps)` returns:
 * - `createOrder(req)`: validates the profile, stores its exact text (profile_versions) and the
 *   order; reserves nothing yet. Refuses an order larger than what is left of the ID space.
 * - `reserveRemaining(orderId, { batchSize, onProgress, signal })`: reserves the order's missing IDs
 *   in batches, one transaction each (a crash keeps whole batches; run it again to resume).
 * - `assignNextReserved(orderId, { serial })`: atomically takes the order's lowest reserved claim ID,
 *   makes it 'assigned' with the serial (scanned, else the order's next one, else none) and logs it. Failure
 *   `order-exhausted` when none is left; `conflict` when the serial already has an identity.
 * - `findUnitBySerial(serial)`: the non-voided unit a scanned serial already has (rework keeps its
 *   identity), or null.
 * - `voidUnit(claimId, { reason: 'scrap' | 'test' | 'label-damaged', note })`: any state but
 *   provisioned -> voided.
 * - `markProvisioned(claimId, data?)`: 'assigned' or 'verified' -> provisioned.
 * - `getActiveOrderId()` / `setActiveOrder(orderId | null)`: the order the station is locked to.
 * - `getOrder`, `listOrders`, `pageUnits`, `exportManifest`, `profileVersion(hash)`.
 * - `deviceJson5For(claimId, { created })`: the unit's device.json5 from its profile version.
 */
import type {
  ActiveOrderReport,
  CreateOrderRequest,
  ListOrderUnitsRequest,
  OrderSummary,
  Page,
  UnitState,
  UnitSummary,
} from '../../shared/contract';
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { systemClock, type Clock, type RandomBytes } from '../clock';
import { Failure } from '../failure';
import { renderDeviceJson5 } from '../device-config/render';
import { checkProfileText, hashProfileText, type Profile, type ProfileLibrary } from '../profiles';
import type { Secrets } from '../secrets';
import type { TextSealer } from '../secrets/sealedText';
import type { Store } from '../store';
import { toUnitSummary, type UnitRow } from '../store/units';
import { getActiveOrderId, readActiveOrder, writeActiveOrder } from './activeOrder';
import { manifestCsv, manifestJson } from './manifest';
import { toOrderSummary, type OrderRow } from './rows';
import { createBatchReserver, exhaustedFailure, policyCapacity, usedOfPolicy } from './reserve';
import { reserveInWorker } from './reserveInWorker';
import { createTransitions } from './transitions';
import { CONTROL_CHARS, serialProblem } from './serials';
import { MIME } from '../../shared/mime';

export { getActiveOrderId } from './activeOrder';
export { VOID_REASONS } from './transitions';
export { MANIFEST_COLUMNS } from './manifest';

export interface OrderBookDeps {
  store: Store;
  clock: Clock;
  randomBytes: RandomBytes;
  profiles: ProfileLibrary;
  /** Product tokens at rest: put into the secrets store and replaced by a reference in stored text. */
  secrets: Secrets;
  sealer: TextSealer;
  /** Called after units or orders change (the services forward it as events). */
  onUnitsChanged?: (claimIds: string[]) => void;
  onOrdersChanged?: (orderIds: string[]) => void;
}

export interface ReserveOptions {
  batchSize?: number;
  onProgress?: (reserved: number, quantity: number) => void;
  signal?: AbortSignal;
  /** Reserve on this thread even where the reservation worker could (tests, bench baselines). */
  inThread?: boolean;
}

export interface ProfileVersion {
  hash: string;
  name: string;
  text: string;
  profile: Profile;
}

export const ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
export const DEFAULT_BATCH = 50_000;
/** The most units one page of an order returns. */
export const PAGE_MAX = 500;
/** Page cache while reserving, in KiB (negative = KiB for SQLite). */
const RESERVE_CACHE_KIB = -131_072;

export function createOrderBook(deps: OrderBookDeps) {
  const { store, clock } = deps;
  const db = store.db;
  const getRow = db.prepare('SELECT * FROM orders WHERE id = ?');
  const allRows = db.prepare('SELECT * FROM orders ORDER BY created_at DESC, id DESC');
  // Maintained per state (migration 130), so a summary costs the same on a 1M-unit order.
  const counts = db.prepare('SELECT state, n FROM order_unit_counts WHERE order_id = ? AND n > 0');
  const transitions = createTransitions({
    store,
    clock,
    onChange: (claimId, orderId) => {
      deps.onUnitsChanged?.([claimId]);
      if (orderId) deps.onOrdersChanged?.([orderId]);
    },
  });

  function summary(row: OrderRow): OrderSummary {
    const byState: Partial<Record<UnitState, number>> = {};
    for (const { state, n } of counts.all(row.id) as { state: UnitState; n: number }[]) byState[state] = n;
    return toOrderSummary(row, byState);
  }

  function row(orderId: string): OrderRow {
    const found = getRow.get(orderId) as OrderRow | undefined;
    if (!found)
      throw new Failure('not-found', `There is no work order ${orderId} on this station.`, {
        field: 'orderId',
      });
    return found;
  }

  function newOrderId(): string {
    const day = clock.now().toISOString().slice(0, 10).replace(/-/g, '');
    const n = db.prepare('SELECT count(*) FROM orders WHERE id LIKE ?').pluck().get(`WO-${day}-%`) as number;
    for (let i = n + 1; ; i++) {
      const id = `WO-${day}-${String(i).padStart(3, '0')}`;
      if (!getRow.get(id)) return id;
    }
  }

  function createOrder(req: CreateOrderRequest): OrderSummary {
    const loaded = deps.profiles.getValid(req.profile);
    const given = req.orderId?.trim() || null;
    if (given !== null && !ORDER_ID.test(given))
      throw new Failure(
        'validation',
        `"${given}" cannot be a work-order ID: use letters, digits, dot, dash or underscore.`,
        {
          field: 'orderId',
        },
      );
    const serialIssue =
      req.serials?.kind === 'list'
        ? req.serials.serials.map((x) => serialProblem(x)).find(Boolean)
        : req.serials && CONTROL_CHARS.test(req.serials.prefix)
          ? 'The serial prefix holds control characters (CR, LF or tab): type it again.'
          : null;
    if (serialIssue) throw new Failure('validation', serialIssue, { field: 'serials' });
    const policy = loaded.profile.ids;
    const capacity = policyCapacity(policy);
    if (capacity < req.quantity + store.units.count()) {
      const free = capacity - usedOfPolicy(store, policy);
      if (free < req.quantity) throw exhaustedFailure(policy, Math.max(0, free), req.quantity);
    }
    const at = clock.now().toISOString();
    // The token is sealed before the text is stored: the database only ever holds a reference.
    deps.secrets.put(`product:${loaded.name}`, loaded.profile.product);
    const sealedText = deps.sealer.seal(loaded.text);
    // The next WO-<date>-<n> is chosen inside the IMMEDIATE transaction that inserts it, so four
    // processes creating orders at once get four numbers.
    const orderId = store.transaction(() => {
      const orderId = given ?? newOrderId();
      if (getRow.get(orderId))
        throw new Failure('conflict', `Work order ${orderId} already exists. Choose another order ID.`, {
          field: 'orderId',
        });
      db.prepare(
        'INSERT OR IGNORE INTO profile_versions (hash, name, text, created_at) VALUES (?, ?, ?, ?)',
      ).run(loaded.hash, loaded.name, sealedText, at);
      db.prepare(
        `INSERT INTO orders (id, profile_name, profile_hash, quantity, id_policy, serials, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        orderId,
        loaded.name,
        loaded.hash,
        req.quantity,
        JSON.stringify({ alphabet: policy.alphabet, length: policy.length, checkSymbol: policy.checkSymbol }),
        req.serials ? JSON.stringify(req.serials) : null,
        req.note ?? '',
        at,
        at,
      );
      store.events.append({
        kind: 'order.created',
        orderId,
        data: {
          profile: loaded.name,
          profileHash: loaded.hash,
          quantity: req.quantity,
          serials: req.serials ?? null,
        },
      });
      return orderId;
    });
    deps.onOrdersChanged?.([orderId]);
    return summary(row(orderId));
  }

  async function reserveRemaining(orderId: string, options: ReserveOptions = {}): Promise<OrderSummary> {
    const size = options.batchSize ?? DEFAULT_BATCH;
    // Off the event loop: the worker opens the same file. Only with the system clock and CSPRNG
    // (an injected clock or random source lives on this thread) and a file on disk.
    if (!options.inThread && deps.clock === systemClock && deps.randomBytes === cryptoRandomBytes) {
      const running =
        store.file === ':memory:'
          ? null
          : reserveInWorker({
              file: store.file,
              orderId,
              batchSize: size,
              actor: store.actor(),
              cacheSize: RESERVE_CACHE_KIB,
              signal: options.signal,
              onBatch: (result) => {
                options.onProgress?.(result.reserved, result.quantity);
                if (result.inserted > 0) {
                  deps.onOrdersChanged?.([orderId]);
                  deps.onUnitsChanged?.([]);
                }
              },
            });
      if (running) {
        await running;
        const after = summary(row(orderId));
        if (options.signal?.aborted && after.reserved < after.quantity)
          throw new Failure('cancelled', `Reserving IDs for ${orderId} was cancelled.`);
        return after;
      }
    }
    const batch = createBatchReserver(deps, orderId);
    // A million random keys outgrow SQLite's default 2 MB page cache; lend it more while reserving.
    const cache = db.pragma('cache_size', { simple: true }) as number;
    db.pragma(`cache_size = ${RESERVE_CACHE_KIB}`);
    try {
      return await reserveBatches(orderId, batch, size, options);
    } finally {
      if (db.open) db.pragma(`cache_size = ${cache}`);
    }
  }

  async function reserveBatches(
    orderId: string,
    batch: ReturnType<typeof createBatchReserver>,
    size: number,
    options: ReserveOptions,
  ): Promise<OrderSummary> {
    for (;;) {
      if (options.signal?.aborted)
        throw new Failure('cancelled', `Reserving IDs for ${orderId} was cancelled.`);
      const result = batch(size);
      options.onProgress?.(result.reserved, result.quantity);
      if (result.inserted > 0) {
        deps.onOrdersChanged?.([orderId]);
        deps.onUnitsChanged?.([]);
      }
      if (result.reserved >= result.quantity) break;
      // Let progress events out and a cancel in between transactions.
      await new Promise((r) => setImmediate(r));
    }
    return summary(row(orderId));
  }

  function pageUnits(req: ListOrderUnitsRequest): Page<UnitSummary> {
    const order = summary(row(req.orderId));
    // Bounded whoever calls: a page never reads more than PAGE_MAX rows.
    const limit = Math.max(1, Math.min(req.limit ?? 100, PAGE_MAX));
    const where = req.state ? 'order_id = @orderId AND state = @state' : 'order_id = @orderId';
    const rows = db
      .prepare(`SELECT * FROM units WHERE ${where} AND claim_id > @after ORDER BY claim_id LIMIT @limit`)
      .all({
        orderId: req.orderId,
        state: req.state ?? null,
        after: req.cursor ?? '',
        limit: limit + 1,
      }) as UnitRow[];
    const total = req.state
      ? (order.counts[req.state] ?? 0)
      : Object.values(order.counts).reduce<number>((n, c) => n + (c ?? 0), 0);
    const items = rows.slice(0, limit).map(toUnitSummary);
    return {
      items,
      nextCursor: rows.length > limit ? (items.at(-1)?.claimId ?? null) : null,
      total,
      totalIsCapped: false,
    };
  }

  function activeOrder(): ActiveOrderReport {
    const a = readActiveOrder(store);
    const r = a.orderId ? (getRow.get(a.orderId) as OrderRow | undefined) : undefined;
    return { ...a, order: r ? summary(r) : null };
  }

  function profileVersion(hash: string): ProfileVersion {
    const stored = db.prepare('SELECT * FROM profile_versions WHERE hash = ?').get(hash) as
      { hash: string; name: string; text: string } | undefined;
    if (!stored) throw new Failure('not-found', `No profile version ${hash.slice(0, 12)} on this station.`);
    const v = { ...stored, text: deps.sealer.open(stored.text) };
    if (deps.sealer.isSealed(stored.text) && /^[0-9a-f]{64}$/.test(hash) && hashProfileText(v.text) !== hash)
      throw new Failure(
        'validation',
        `The stored profile version ${v.name}@${hash.slice(0, 12)} does not open to its own text: its product token was changed in the secrets store. Make a new order from the profile.`,
      );
    // No entropy floor here: it was checked when the order was made.
    const check = checkProfileText(v.text, { file: `${v.name}@${hash.slice(0, 12)}`, entropyFloor: 0 });
    if (!check.profile)
      throw new Failure(
        'validation',
        `The stored profile version ${v.name}@${hash.slice(0, 12)} no longer validates.`,
        { detail: check.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n') },
      );
    return { hash: v.hash, name: v.name, text: v.text, profile: check.profile };
  }

  /** `serial` renders a unit that has none yet with that one (a preview: nothing is assigned). */
  function deviceJson5For(claimId: string, options: { created: string; serial?: string | null }): string {
    const unit = store.units.get(claimId);
    if (!unit)
      throw new Failure('not-found', `No unit with claim ID ${claimId} on this station.`, {
        field: 'claimId',
      });
    if (!unit.profileHash)
      throw new Failure(
        'validation',
        `Unit ${unit.claimId} was not made from a profile: there is no device.json5 to render.`,
      );
    return renderDeviceJson5(profileVersion(unit.profileHash), {
      ...unit,
      serial: unit.serial ?? options.serial ?? null,
      created: options.created,
    });
  }

  return {
    createOrder,
    deviceJson5For,
    profileVersion,
    reserveRemaining,
    getOrder: (orderId: string) => summary(row(orderId)),
    listOrders: () => (allRows.all() as OrderRow[]).map(summary),
    pageUnits,
    ...transitions,
    getActiveOrderId: () => getActiveOrderId(store),
    getActiveOrder: activeOrder,
    setActiveOrder(orderId: string | null): ActiveOrderReport {
      if (orderId !== null) {
        const r = row(orderId);
        if (r.state === 'closed')
          throw new Failure('conflict', `Work order ${orderId} is closed: it cannot be the active order.`);
      }
      store.transaction(() => {
        const actor = store.events.append({ kind: 'station.active-order-set', orderId, data: { orderId } });
        const entry = store.db.prepare('SELECT operator, at FROM events WHERE id = ?').get(actor) as {
          operator: string;
          at: string;
        };
        writeActiveOrder(store, {
          orderId,
          setBy: orderId ? entry.operator : null,
          setAt: orderId ? entry.at : null,
        });
      });
      return activeOrder();
    },
    exportManifest(orderId: string, format: 'csv' | 'json') {
      const order = summary(row(orderId));
      const out = format === 'csv' ? manifestCsv(store, orderId) : manifestJson(store, orderId, order);
      store.events.append({ kind: 'order.exported', orderId, data: { format, rows: out.rows } });
      return {
        fileName: `${orderId}-manifest.${format}`,
        mimeType: format === 'csv' ? MIME.csv : MIME.json,
        ...out,
      };
    },
  };
}

export type OrderBook = ReturnType<typeof createOrderBook>;
