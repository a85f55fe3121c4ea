import fs from 'node:fs';
import JSON5 from 'json5';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  CreateOrderRequest,
  OperationName,
  RequestOf,
  ResponseOf,
  Result,
} from '../../../electron/shared/contract';
import { hashProfileText } from '../../../electron/core/profiles';
import { createTestStation, factoryProfilesDir, type TestStation } from '../../support/station';

let station: TestStation;
beforeEach(() => {
  station = createTestStation();
});
afterEach(() => station.cleanup());

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Through the dispatcher, as every transport calls it, typed by the contract. */
function call<K extends OperationName>(op: K, req: RequestOf<K>): Promise<Result<ResponseOf<K>>> {
  return station.dispatch(op, req) as Promise<Result<ResponseOf<K>>>;
}

async function createAndReserve(req: CreateOrderRequest) {
  const started = value(await call('createOrder', req)) as {
    order: { orderId: string };
    job: { jobId: string };
  };
  const job = await station.jobs.wait(started.job.jobId);
  return { orderId: started.order.orderId, job };
}

function stationProfile(name: string, text: string) {
  const dir = path.join(station.dataDir, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json5`), text);
}

const tiny = `{ product: '01H4R15D3478JD26YDYK408XE6', name: 'Tiny', model: 'T', ids: { alphabet: 'ABCD', length: 3 } }`;

describe('work orders', () => {
  it('reserves an order as units in the store, with the exact profile version', async () => {
    const { orderId, job } = await createAndReserve({
      profile: 'ioto-demo',
      quantity: 1000,
      orderId: 'WO-1',
    });
    expect(job).toMatchObject({ state: 'done', done: 1000, total: 1000 });
    const text = fs.readFileSync(path.join(factoryProfilesDir, 'ioto-demo.json5'), 'utf8');
    const hash = hashProfileText(text);
    const db = station.store.db;
    // At rest the product token is a reference to its sealed copy; reading the version restores it.
    const stored = db.prepare('SELECT text FROM profile_versions WHERE hash = ?').pluck().get(hash) as string;
    const token = /product: '([0-9A-Z]{26})'/.exec(text)![1]!;
    expect(stored).not.toContain(token);
    expect(stored).toMatch(/product: '\{\{secret:product_[0-9a-f]{18}\}\}'/);
    expect(stored.replace(/\{\{secret:product_[0-9a-f]{18}\}\}/, token)).toBe(text);
    expect(station.orders.profileVersion(hash).text).toBe(text);
    const rows = db
      .prepare('SELECT state, profile_hash, count(*) AS n FROM units WHERE order_id = ? GROUP BY 1, 2')
      .all(orderId);
    expect(rows).toEqual([{ state: 'reserved', profile_hash: hash, n: 1000 }]);
    for (const id of db.prepare('SELECT claim_id FROM units').pluck().all() as string[])
      expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(value(await call('getOrder', { orderId }))).toMatchObject({
      quantity: 1000,
      reserved: 1000,
      state: 'ready',
      counts: { reserved: 1000 },
      profileHash: hash,
    });
    const kinds = station.store.events.forOrder(orderId).map((e) => [e.kind, e.station, e.operator]);
    expect(kinds[0]).toEqual(['order.created', expect.any(String), 'unassigned']);
    expect(kinds.slice(1).every(([k]) => k === 'order.ids-reserved')).toBe(true);
    // The Devices screen sees them.
    expect(value(await call('listUnits', {})).total).toBe(1000);
  });

  it('reserving 1,000,000 IDs yields 1,000,000 distinct IDs', async () => {
    station.orders.createOrder({ profile: 'ioto-demo', quantity: 1_000_000, orderId: 'WO-BIG' });
    const order = await station.orders.reserveRemaining('WO-BIG', { batchSize: 250_000 });
    expect(order.reserved).toBe(1_000_000);
    const db = station.store.db;
    const [{ n, uniq }] = db
      .prepare("SELECT count(*) AS n, count(DISTINCT claim_id) AS uniq FROM units WHERE order_id = 'WO-BIG'")
      .all() as [{ n: number; uniq: number }];
    expect(n).toBe(1_000_000);
    expect(uniq).toBe(1_000_000);
  }, 120_000);

  it('a tiny policy redraws collisions and an exhausted space is a clear error, not a loop', async () => {
    value(await call('setEntropyFloor', { bits: 0 }));
    stationProfile('tiny', tiny);
    const full = await createAndReserve({ profile: 'tiny', quantity: 64, orderId: 'WO-T1' });
    expect(full.job.state).toBe('done');
    const order = station.orders.getOrder('WO-T1');
    expect(order.reserved).toBe(64);
    expect(order.collisions).toBeGreaterThan(0);
    const ids = station.store.db.prepare("SELECT claim_id FROM units WHERE order_id = 'WO-T1'").pluck().all();
    expect(new Set(ids).size).toBe(64);

    const refused = await call('createOrder', { profile: 'tiny', quantity: 1 });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'ids-exhausted',
        message: expect.stringMatching(/only 0 claim IDs .* Use a longer ID length/),
      },
    });
    expect(station.orders.listOrders()).toHaveLength(1);
  });

  it('two orders racing for a tiny space: the second stops with ids-exhausted, keeping whole batches', async () => {
    value(await call('setEntropyFloor', { bits: 0 }));
    stationProfile('tiny', tiny);
    station.orders.createOrder({ profile: 'tiny', quantity: 40, orderId: 'A' });
    station.orders.createOrder({ profile: 'tiny', quantity: 40, orderId: 'B' });
    await station.orders.reserveRemaining('A', { batchSize: 10 });
    await expect(station.orders.reserveRemaining('B', { batchSize: 10 })).rejects.toMatchObject({
      code: 'ids-exhausted',
      message: expect.stringMatching(/Every claim ID this policy can make is already in use \(64 IDs/),
    });
    expect(station.orders.getOrder('B')).toMatchObject({
      reserved: 20,
      state: 'reserving',
      counts: { reserved: 20 },
    });
  });

  it('reserved -> assigned (lowest ID, next serial) -> provisioned, with events', async () => {
    const { orderId } = await createAndReserve({
      profile: 'ioto-demo',
      quantity: 5,
      orderId: 'WO-2',
      serials: { kind: 'range', prefix: 'SN-', start: 41, width: 5 },
    });
    const ids = station.store.db
      .prepare('SELECT claim_id FROM units WHERE order_id = ? ORDER BY claim_id')
      .pluck()
      .all(orderId) as string[];
    const a = station.orders.assignNextReserved(orderId);
    expect(a).toMatchObject({ claimId: ids[0], serial: 'SN-00041', state: 'assigned' });
    const b = station.orders.assignNextReserved(orderId, { serial: 'SN-00090' });
    expect(b).toMatchObject({ claimId: ids[1], serial: 'SN-00090' });
    // A serial that already has an identity is reworked, not given a new one.
    expect(() => station.orders.assignNextReserved(orderId, { serial: 'SN-00041' })).toThrow(
      /already has claim ID .* Rework that unit/,
    );
    expect(() => station.orders.assignNextReserved(orderId, { serial: 'XX-1' })).toThrow(
      /not one of work order/,
    );
    expect(station.orders.findUnitBySerial('SN-00041')).toMatchObject({ claimId: ids[0], state: 'assigned' });
    expect(station.orders.findUnitBySerial('SN-99999')).toBeNull();

    // device.json5 comes from the exact profile version the order was made with.
    const config = JSON5.parse(
      station.orders.deviceJson5For(ids[0]!, { created: '2026-11-21T11:00:00.000Z' }),
    );
    expect(config).toMatchObject({
      id: ids[0],
      product: '01H4R15D3478JD26YDYK408XE6',
      created: '2026-11-21T11:00:00.000Z',
    });

    expect(station.orders.markProvisioned(ids[0]!)).toMatchObject({ state: 'provisioned' });
    // The station run owns written/verified; a verified unit can be marked provisioned too.
    station.store.db.prepare("UPDATE units SET state = 'verified' WHERE claim_id = ?").run(ids[1]);
    expect(station.orders.markProvisioned(ids[1]!).state).toBe('provisioned');
    const reserved = ids[4]!;
    expect(() => station.orders.markProvisioned(reserved)).toThrow(/only an assigned or verified unit/);

    const history = station.store.events.forUnit(ids[0]!).map((e) => [e.kind, e.data]);
    expect(history).toEqual([
      ['unit.assigned', { serial: 'SN-00041' }],
      ['unit.provisioned', { from: 'assigned' }],
    ]);
  });

  it('voids with a reason from any state but provisioned, and the order runs out clearly', async () => {
    const { orderId } = await createAndReserve({ profile: 'ioto-demo', quantity: 2, orderId: 'WO-3' });
    const first = station.orders.assignNextReserved(orderId, { serial: 'S1' });
    const voided = value(
      await call('voidUnit', {
        claimId: first.claimId.toLowerCase(),
        reason: 'label-damaged',
        note: 'torn',
      }),
    );
    expect(voided).toMatchObject({ claimId: first.claimId, state: 'voided', serial: 'S1' });
    expect(station.store.events.forUnit(first.claimId).at(-1)).toMatchObject({
      kind: 'unit.voided',
      data: { from: 'assigned', reason: 'label-damaged', note: 'torn' },
    });
    // A voided serial may get a fresh identity.
    const second = station.orders.assignNextReserved(orderId, { serial: 'S1' });
    station.orders.markProvisioned(second.claimId);
    expect(await call('voidUnit', { claimId: second.claimId, reason: 'scrap' })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringMatching(/provisioned: a shipped identity cannot be voided/),
      },
    });
    expect(await call('voidUnit', { claimId: second.claimId, reason: 'lost' as 'scrap' })).toMatchObject({
      ok: false,
      error: { code: 'validation', field: 'reason' },
    });
    expect(() => station.orders.assignNextReserved(orderId, { serial: 'S2' })).toThrow(
      expect.objectContaining({
        code: 'order-exhausted',
        message: expect.stringMatching(/no reserved claim IDs left/),
      }),
    );
    // Nothing is deleted.
    expect(() => station.store.db.prepare('DELETE FROM units').run()).toThrow(/never deleted/);
    expect(station.orders.getOrder(orderId).counts).toEqual({ voided: 1, provisioned: 1 });
  });

  it('assigns without a serial when none is scanned and the order has none (serialization service)', async () => {
    const { orderId } = await createAndReserve({ profile: 'ioto-demo', quantity: 1, orderId: 'WO-8' });
    expect(station.orders.assignNextReserved(orderId)).toMatchObject({ state: 'assigned', serial: null });
  });

  it('the active work order is a station setting, recorded with who locked it in', async () => {
    await createAndReserve({ profile: 'ioto-demo', quantity: 3, orderId: 'WO-4' });
    expect(value(await call('getActiveOrder', undefined))).toMatchObject({ orderId: null });
    value(await call('updateStationSettings', { operator: 'ana' }));
    const set = value(await call('setActiveOrder', { orderId: 'WO-4' }));
    expect(set).toMatchObject({ orderId: 'WO-4', setBy: 'ana', order: { orderId: 'WO-4', reserved: 3 } });
    expect(station.orders.getActiveOrderId()).toBe('WO-4');
    expect(await call('setActiveOrder', { orderId: 'NOPE' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(station.store.events.recent(1)[0]).toMatchObject({
      kind: 'station.active-order-set',
      operator: 'ana',
    });
  });

  it('exports the manifest as CSV and JSON', async () => {
    const { orderId } = await createAndReserve({ profile: 'ioto-demo', quantity: 3, orderId: 'WO-5' });
    const unit = station.orders.assignNextReserved(orderId, { serial: 'SN,"7"' });
    const csv = value(await call('exportOrder', { orderId, format: 'csv' }));
    expect(csv).toMatchObject({ fileName: 'WO-5-manifest.csv', mimeType: 'text/csv', rows: 3 });
    const lines = csv.content.trimEnd().split('\r\n');
    expect(lines[0]).toBe('claim_id,serial,state,created_at,updated_at,profile_hash');
    expect(lines).toHaveLength(4);
    const hash = station.orders.getOrder(orderId).profileHash;
    expect(lines[1]).toBe(`${unit.claimId},"SN,""7""",assigned,${unit.createdAt},${unit.updatedAt},${hash}`);
    const json = JSON.parse(value(await call('exportOrder', { orderId, format: 'json' })).content);
    expect(json.order.orderId).toBe('WO-5');
    expect(json.units).toHaveLength(3);
    expect(json.units[0]).toEqual({
      claimId: unit.claimId,
      serial: 'SN,"7"',
      state: 'assigned',
      createdAt: unit.createdAt,
      updatedAt: unit.updatedAt,
      profileHash: hash,
    });
  });

  it('refuses an invalid profile, a duplicate order ID and a bad order ID', async () => {
    stationProfile('broken', `{ productToken: 'x' }`);
    expect(await call('createOrder', { profile: 'broken', quantity: 1 })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringMatching(/"broken" has \d problem/) },
    });
    await createAndReserve({ profile: 'ioto-demo', quantity: 1, orderId: 'WO-6' });
    expect(await call('createOrder', { profile: 'ioto-demo', quantity: 1, orderId: 'WO-6' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await call('createOrder', { profile: 'ioto-demo', quantity: 1, orderId: 'a b' })).toMatchObject({
      ok: false,
      error: { code: 'validation', field: 'orderId' },
    });
  });

  it('checks a typed claim ID against the order policy and finds its unit', async () => {
    const { orderId } = await createAndReserve({ profile: 'thermostat-pro', quantity: 2, orderId: 'WO-7' });
    const id = station.store.db
      .prepare('SELECT claim_id FROM units WHERE order_id = ? LIMIT 1')
      .pluck()
      .get(orderId) as string;
    expect(id).toHaveLength(15);
    const typed = `${id.slice(0, 5)}-${id.slice(5)}`.toLowerCase();
    expect(value(await call('checkClaimId', { claimId: typed, orderId }))).toMatchObject({
      ok: true,
      normalized: id,
      unit: { claimId: id, state: 'reserved' },
    });
    const wrong = id.slice(0, 3) + (id[3] === 'X' ? 'Y' : 'X') + id.slice(4);
    expect(value(await call('checkClaimId', { claimId: wrong, orderId }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/check symbol does not match/),
    });
  });
});
