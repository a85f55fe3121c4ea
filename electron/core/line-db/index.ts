/**
 * Line mode: this station as one of several on a PostgreSQL line database (docs/line.md).
 *
 * `createLineMode(deps)` returns:
 * - `status()` / `probe()`: connected, offline since ..., refused (with the sentence), catching up N.
 * - `connect(url)` / `disconnect()` / `setSettings({ blockSize, lowWater })`.
 * - `assignNext(orderId, serial)`: the station's seam for a new claim ID. A line order's IDs come from
 *   blocks leased into this station's SQLite (plain 'reserved' units), so it never waits on the line;
 *   when the block is used up it says so in one sentence. Other orders go straight to the order book.
 * - `adoptOrder` / `reserve(orderId)`: an order made here in line mode is published to the line and
 *   its IDs reserved in the line's one claim-ID space.
 * - `cycle()`: one pass of the background work (join, orders, leases, outbox); `start()` runs it
 *   every `tickMs` (backing off after failures) and whenever an assignment falls under the low-water mark.
 * - `report`, `leases`, `returnLease`, `voidLease`: the engineer's view of the line.
 * Without a line URL (setting or LINESIDE_LINE_URL) none of this runs and the station works alone.
 */
import type pg from 'pg';
import type { LineStatusReport, OrderSummary, UnitSummary } from '../../shared/contract';
import type { Clock, RandomBytes } from '../clock';
import { Failure, isFailure } from '../failure';
import { createIdGenerator, type IdPolicy } from '../ids';
import type { OrderBook } from '../orders';
import type { Secrets } from '../secrets';
import type { Store } from '../store';
import { createLinePool, lineFailure, maskLineUrl, parseLineUrl } from './connection';
import { listLeases, returnLease, voidLease } from './leases';
import { createLocalLine } from './local';
import {
  leaseBlock,
  leaseStates,
  listLineOrders,
  publishOrder,
  readHead,
  registerStation,
  reserveOnLine,
  voidClaimIds,
} from './lineOps';
import { pushBatch } from './push';
import { otherLineFailure, restoredFailure } from './refusals';
import { lineReport, lineReportCsv } from './report';
import { openLine } from './schema';
import { MIME } from '../../shared/mime';

export interface LineModeOptions {
  autoStart?: boolean;
  tickMs?: number;
  maxBackoffMs?: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  pushBatchSize?: number;
}

export interface LineModeDeps {
  store: Store;
  clock: Clock;
  secrets: Secrets;
  book: OrderBook;
  randomBytes: RandomBytes;
  /** LINESIDE_LINE_URL: wins over the station's setting. */
  envUrl?: string | undefined;
  stationName: () => string;
  onChange?: (status: LineStatusReport) => void;
  options?: LineModeOptions;
}

const URL_SETTING = 'line.url-ref';
const BLOCK_SETTING = 'line.block-size';
const LOW_SETTING = 'line.low-water';
export const DEFAULT_BLOCK = 100;
const CLOCK_WARN_MS = 2 * 60_000;

export function createLineMode(deps: LineModeDeps) {
  const { store, clock, secrets, book } = deps;
  const opts = deps.options ?? {};
  const tickMs = opts.tickMs ?? 2000;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const local = createLocalLine(store, clock);
  const stationId = local.stationId();

  let pool: pg.Pool | null = null;
  let poolUrl: string | null = null;
  let joined = false;
  let state: LineStatusReport['state'] = 'standalone';
  let since: string | null = null;
  let message: string | null = null;
  let skewMs: number | null = null;
  /** Orders the line has no free IDs left for (learned from an empty lease). */
  const drained = new Set<string>();
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let cycling: Promise<void> | null = null;

  function currentUrl(): { url: string; source: 'setting' | 'environment' } | null {
    if (deps.envUrl) return { url: deps.envUrl, source: 'environment' };
    const ref = store.settings.get<string | null>(URL_SETTING, null);
    if (!ref) return null;
    try {
      return { url: secrets.reveal(ref), source: 'setting' };
    } catch {
      return null;
    }
  }

  const blockSize = () => store.settings.get<number>(BLOCK_SETTING, DEFAULT_BLOCK);
  const lowWater = () => store.settings.get<number>(LOW_SETTING, Math.ceil(blockSize() / 4));

  function setState(next: LineStatusReport['state'], why: string | null) {
    if (next !== state) since = clock.now().toISOString();
    state = next;
    message = why;
    deps.onChange?.(status());
  }

  function status(): LineStatusReport {
    const u = currentUrl();
    const active = book.getActiveOrderId();
    const lineActive = active && local.isLineOrder(active) ? active : null;
    const off = skewMs !== null && Math.abs(skewMs) > CLOCK_WARN_MS;
    return {
      state: u ? (state === 'standalone' ? 'connecting' : state) : 'standalone',
      url: u ? maskLineUrl(u.url) : null,
      source: u?.source ?? null,
      since,
      message: u ? message : null,
      lineId: local.lineId(),
      stationId,
      pending: u && local.queueing() ? local.pendingCount() : 0,
      lastPushAt: local.lastPushAt(),
      clockSkewMs: skewMs,
      clockWarning: off
        ? `This station's clock is ${describeSkew(skewMs ?? 0)} the line database's: set the clock (the line keeps events in order and corrects their times in reports).`
        : null,
      blockSize: blockSize(),
      lowWater: lowWater(),
      activeOrder: lineActive
        ? { orderId: lineActive, left: local.left(lineActive), leased: local.leased(lineActive) }
        : null,
      orders: local.lineOrderIds(),
    };
  }

  function poolFor(url: string): pg.Pool {
    if (pool && poolUrl === url) return pool;
    void pool?.end().catch(() => undefined);
    joined = false;
    poolUrl = url;
    pool = createLinePool({
      url,
      ...(opts.statementTimeoutMs ? { statementTimeoutMs: opts.statementTimeoutMs } : {}),
      ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    });
    return pool;
  }

  function noteHwm(v: number) {
    local.noteHwm(v);
  }

  /** Refuses a line that is behind this station (restored from an older backup). */
  async function checkHead(p: pg.Pool): Promise<void> {
    const head = await readHead(p, stationId);
    if (head.lineId !== local.lineId()) return;
    if (head.hwm < local.hwm())
      throw restoredFailure(`line high-water ${head.hwm} < station's ${local.hwm()}`);
    if ((head.ackedSeq ?? 0) < local.acked() && local.acked() > 0 && head.ackedSeq !== null)
      throw restoredFailure(
        `line has seq ${head.ackedSeq} of this station, station saw ${local.acked()} acknowledged`,
      );
    if (head.ackedSeq === null && local.hwm() > 0)
      throw restoredFailure('the line does not know this station');
  }

  async function join(url: string): Promise<pg.Pool> {
    const p = poolFor(url);
    if (joined) return p;
    const identity = await openLine(p, parseLineUrl(url).database);
    const known = local.lineId();
    if (known && known !== identity.lineId && local.queueing() && local.pendingCount() > 0)
      throw otherLineFailure(`line ${identity.lineId}, station belongs to ${known}`);
    if (known === identity.lineId) await checkHead(p);
    const reg = await registerStation(p, {
      id: stationId,
      name: deps.stationName(),
      now: clock.now().toISOString(),
    });
    local.joinLine(identity.lineId);
    noteHwm(reg.hwm);
    skewMs = reg.clockSkewMs;
    joined = true;
    return p;
  }

  async function syncOrders(p: pg.Pool, lineId: string) {
    for (const orderId of local.unpublished()) {
      const order = book.getOrder(orderId);
      const version = book.profileVersion(order.profileHash);
      noteHwm(
        await publishOrder(
          p,
          {
            id: order.orderId,
            profileName: order.profileName,
            profileHash: order.profileHash,
            profileText: version.text,
            quantity: order.quantity,
            idPolicy: order.idPolicy,
            serials: order.serials,
            note: order.note,
            reserved: 0,
            collisions: 0,
            state: 'reserving',
            createdAt: order.createdAt,
          },
          stationId,
        ),
      );
      local.markPublished(orderId);
    }
    for (const o of await listLineOrders(p, (id) => local.hasOrder(id))) local.mirrorOrder(o, lineId);
  }

  async function settleLeases(p: pg.Pool) {
    // A lease asked for but not recorded here (crash between the line's commit and ours).
    for (const lease of local.leases('pending')) {
      const r = await leaseBlock(p, {
        id: lease.id,
        orderId: lease.order_id,
        stationId,
        stationName: deps.stationName(),
        count: lease.requested,
      });
      noteHwm(r.hwm);
      await takeLease(p, lease.id, r.claimIds);
    }
    const onLine = await leaseStates(p, stationId);
    for (const lease of local.leases('active')) {
      const s = onLine.get(lease.id);
      if (s === 'returned' || s === 'voided') local.closeLease(lease.id, s);
    }
  }

  async function takeLease(p: pg.Pool, leaseId: string, claimIds: string[]) {
    const refused = local.completeLease(leaseId, claimIds);
    if (refused.length > 0)
      noteHwm(await voidClaimIds(p, refused, 'already used on the station it was leased to'));
  }

  async function refill(p: pg.Pool) {
    const active = book.getActiveOrderId();
    if (!active || !local.isLineOrder(active)) return;
    if (local.left(active) >= lowWater()) return;
    const leaseId = local.beginLease(active, blockSize());
    const r = await leaseBlock(p, {
      id: leaseId,
      orderId: active,
      stationId,
      stationName: deps.stationName(),
      count: blockSize(),
    });
    noteHwm(r.hwm);
    await takeLease(p, leaseId, r.claimIds);
    if (r.claimIds.length === 0) drained.add(active);
    else drained.delete(active);
  }

  async function push(p: pg.Pool) {
    const size = opts.pushBatchSize ?? 500;
    for (;;) {
      const items = local.readOutbox(size);
      if (items.length === 0) return;
      const r = await pushBatch(p, stationId, items, local.acked());
      local.recordAck(r.acked);
      noteHwm(r.hwm);
      if (items.length < size) return;
    }
  }

  /** One pass of the background work; concurrent callers share the pass in flight. */
  function cycle(): Promise<void> {
    cycling ??= runCycle().finally(() => (cycling = null));
    return cycling;
  }

  async function runCycle(): Promise<void> {
    const u = currentUrl();
    if (!u) {
      if (state !== 'standalone') setState('standalone', null);
      return;
    }
    try {
      const p = await join(u.url);
      await checkHead(p);
      await syncOrders(p, local.lineId()!);
      await settleLeases(p);
      await refill(p);
      await push(p);
      if (state !== 'connected' || message !== null) setState('connected', null);
      else deps.onChange?.(status());
    } catch (error) {
      const f = isFailure(error) && error.code !== 'internal' ? error : lineFailure(error, u.url);
      if (f.code === 'line-refused') joined = false;
      setState(f.code === 'line-refused' ? 'refused' : 'offline', f.message);
      throw f;
    }
  }

  function wake() {
    wakeUp?.();
  }

  async function runLoop() {
    let failures = 0;
    while (running) {
      try {
        await cycle();
        failures = 0;
      } catch {
        failures++;
      }
      const delay =
        failures === 0
          ? tickMs
          : Math.min(maxBackoff, 500 * 2 ** Math.min(failures, 10)) * (0.75 + Math.random() / 2);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  }

  function blockEmpty(orderId: string): Failure {
    if (state === 'offline' || state === 'refused' || state === 'connecting' || state === 'standalone') {
      const when = since ? ` since ${since.slice(11, 16)} UTC` : '';
      return new Failure(
        'line-block-empty',
        `This station has used every claim ID it leased for order ${orderId} and the line database is unreachable${when}: reconnect the line to lease more.`,
        { detail: message ?? undefined },
      );
    }
    if (drained.has(orderId))
      return new Failure(
        'order-exhausted',
        `Every claim ID of work order ${orderId} is leased to the line's stations or used: none is left for this station.`,
      );
    return new Failure(
      'line-block-empty',
      `This station is leasing more claim IDs for order ${orderId} from the line: press Retry in a moment.`,
    );
  }

  async function withPool<T>(fn: (p: pg.Pool) => Promise<T>): Promise<T> {
    const u = currentUrl();
    if (!u)
      throw new Failure(
        'conflict',
        'This station is not on a line: connect it in Settings → Line or with lineside line connect --url.',
      );
    try {
      return await fn(await join(u.url));
    } catch (error) {
      throw isFailure(error) ? error : lineFailure(error, u.url);
    }
  }

  const api = {
    status,
    stationId,
    local,
    cycle,
    wake,
    enabled: () => currentUrl() !== null,
    isLineOrder: (orderId: string) => local.isLineOrder(orderId),
    async probe(): Promise<LineStatusReport> {
      // The background loop keeps the status fresh; a one-shot caller (the CLI) asks the line itself.
      if (currentUrl() && !running) await cycle().catch(() => undefined);
      return status();
    },
    async connect(url: string): Promise<LineStatusReport> {
      parseLineUrl(url);
      const trial = createLinePool({ url, connectTimeoutMs: opts.connectTimeoutMs ?? 5000 });
      try {
        const identity = await openLine(trial, parseLineUrl(url).database);
        const known = local.lineId();
        if (known && known !== identity.lineId && local.queueing() && local.pendingCount() > 0)
          throw otherLineFailure(`line ${identity.lineId}, station belongs to ${known}`);
      } catch (error) {
        throw isFailure(error) ? error : lineFailure(error, url);
      } finally {
        await trial.end().catch(() => undefined);
      }
      const summary = secrets.put('line database URL', url);
      store.settings.set(URL_SETTING, summary.ref);
      store.events.append({ kind: 'line.connect', data: { url: maskLineUrl(url) } });
      joined = false;
      await cycle().catch(() => undefined);
      if (opts.autoStart) api.start();
      wake();
      return status();
    },
    async disconnect(): Promise<LineStatusReport> {
      store.settings.set(URL_SETTING, null);
      store.events.append({ kind: 'line.disconnect', data: {} });
      local.leaveLine();
      await api.stop();
      await pool?.end().catch(() => undefined);
      pool = null;
      poolUrl = null;
      joined = false;
      setState('standalone', null);
      return status();
    },
    setSettings(s: { blockSize: number; lowWater: number }): LineStatusReport {
      if (s.lowWater >= s.blockSize)
        throw new Failure('validation', 'The low-water mark must be smaller than the block size.', {
          field: 'lowWater',
        });
      store.settings.set(BLOCK_SETTING, s.blockSize);
      store.settings.set(LOW_SETTING, s.lowWater);
      wake();
      return status();
    },
    assignNext(orderId: string, serial: string | null): UnitSummary {
      if (!local.isLineOrder(orderId)) return book.assignNextReserved(orderId, { serial });
      try {
        const unit = book.assignNextReserved(orderId, { serial });
        if (local.left(orderId) < lowWater()) wake();
        return unit;
      } catch (error) {
        if (isFailure(error) && error.code === 'order-exhausted' && local.left(orderId) === 0) {
          wake();
          throw blockEmpty(orderId);
        }
        throw error;
      }
    },
    /** An order created on this station while on a line becomes a line order. */
    adoptOrder(orderId: string) {
      const lineId = local.lineId();
      if (currentUrl() && lineId) local.adoptOrder(orderId, lineId);
    },
    /** Reserves a line order's IDs in the line's claim-ID space (publishing the order first). */
    async reserve(
      orderId: string,
      options: {
        onProgress?: (reserved: number, quantity: number) => void;
        signal?: AbortSignal;
        batchSize?: number;
      },
    ): Promise<OrderSummary> {
      return withPool(async (p) => {
        await syncOrders(p, local.lineId()!);
        const order = book.getOrder(orderId);
        const gen = createIdGenerator(order.idPolicy as IdPolicy, deps.randomBytes);
        for (;;) {
          if (options.signal?.aborted)
            throw new Failure('cancelled', `Reserving IDs for ${orderId} was cancelled.`);
          const r = await reserveOnLine(p, orderId, options.batchSize ?? 10_000, (n) => gen.many(n));
          noteHwm(r.hwm);
          local.setReserved(orderId, r.reserved, r.collisions, r.quantity);
          options.onProgress?.(r.reserved, r.quantity);
          if (r.reserved >= r.quantity) break;
        }
        wake();
        return book.getOrder(orderId);
      });
    },
    report: (orderId: string) => withPool((p) => lineReport(p, orderId, clock.now())),
    async exportReport(orderId: string, format: 'csv' | 'json') {
      const r = await api.report(orderId);
      return {
        fileName: `${orderId}-line-report.${format}`,
        mimeType: format === 'csv' ? MIME.csv : MIME.json,
        content: format === 'csv' ? lineReportCsv(r) : JSON.stringify(r, null, 2) + '\n',
      };
    },
    leases: (orderId?: string) => withPool((p) => listLeases(p, orderId)),
    async returnLease(leaseId: string, force?: boolean) {
      const r = await withPool((p) => returnLease(p, leaseId, { force: force ?? false, now: clock.now() }));
      wake();
      return r;
    },
    async voidLease(leaseId: string) {
      const r = await withPool((p) => voidLease(p, leaseId));
      wake();
      return r;
    },
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    async stop() {
      running = false;
      wake();
      await loop;
      loop = null;
      await cycling?.catch(() => undefined);
    },
    async close() {
      await api.stop();
      await pool?.end().catch(() => undefined);
      pool = null;
    },
  };
  if (opts.autoStart && currentUrl()) api.start();
  return api;
}

function describeSkew(ms: number): string {
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.round((abs % 3_600_000) / 60_000);
  const text = h > 0 ? `${h} h ${m} min` : `${m} min`;
  return ms > 0 ? `${text} behind` : `${text} ahead of`;
}

export type LineMode = ReturnType<typeof createLineMode>;
