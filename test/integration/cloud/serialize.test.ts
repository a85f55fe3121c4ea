import fs from 'node:fs';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SerializeStatusReport } from '../../../electron/shared/contract';
import { createCloudStation } from '../../support/cloudStation';
import { STANDIN_PRODUCT } from '../../support/standinCloud';
import { ensureOrder } from '../../support/station';

let station: ReturnType<typeof createCloudStation>;
const ORDER = 'WO-SER-1';

beforeEach(() => {
  station = createCloudStation();
  const at = '2026-11-21T09:00:00.000Z';
  ensureOrder(station, ORDER, 2, at);
  ensureOrder(station, 'WO-OTHER', 1, at);
  station.store.units.insertMany([
    { claimId: 'SER0000002', serial: 'SN2', orderId: ORDER, state: 'reserved', at },
    { claimId: 'SER0000001', serial: 'SN1', orderId: ORDER, state: 'reserved', at },
    { claimId: 'OTHER00001', serial: 'SN1', orderId: 'WO-OTHER', state: 'reserved', at },
  ]);
});
afterEach(async () => {
  await station.serialize.stop();
  station.cleanup();
});

/** What the agent sends in factory mode: its device.json5 as strict JSON, no auth header. */
function agentRequest(
  url: string,
  body: Record<string, unknown>,
  localAddress?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      ...(localAddress ? { localAddress } : {}),
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
      );
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const device = {
  product: STANDIN_PRODUCT,
  name: 'Widget',
  model: 'W-100',
  description: 'Line widget',
  test: true,
};

async function start(extra: { allow?: string[] } = {}): Promise<SerializeStatusReport> {
  const result = await station.dispatch('startSerialize', {
    orderId: ORDER,
    productRef: station.productRef,
    port: 0,
    ...extra,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as SerializeStatusReport;
}

describe('serialization service', () => {
  it('is off by default; on, it binds loopback and allows loopback only unless told otherwise', async () => {
    const status = (await station.dispatch('getSerializeStatus', undefined)) as {
      value: SerializeStatusReport;
    };
    expect(status.value).toMatchObject({ running: false, url: null });
    expect(status.value.settings).toMatchObject({
      host: '127.0.0.1',
      path: '/serialize',
      allow: ['127.0.0.0/8', '::1/128'],
    });
    const on = await start();
    expect(on.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/serialize$/);
    expect(on.product).toMatchObject({ ref: station.productRef });
  });

  it("answers the agent's exact request 200 {id} with the order's next reserved ID, and journals it", async () => {
    const { url } = await start();
    const first = await agentRequest(url!, device);
    expect(first).toEqual({ status: 200, body: { id: 'SER0000001' } });
    const second = await agentRequest(url!, device);
    expect(second).toEqual({ status: 200, body: { id: 'SER0000002' } });
    expect(station.store.units.get('SER0000001')?.state).toBe('assigned');

    const journal = station.store.db.prepare('SELECT * FROM serialize_journal ORDER BY id').all() as Record<
      string,
      unknown
    >[];
    expect(journal).toHaveLength(2);
    expect(journal[0]).toMatchObject({
      remote: '127.0.0.1',
      status: 200,
      claim_id: 'SER0000001',
      order_id: ORDER,
    });
    expect(Date.parse(String(journal[0]!.at))).not.toBeNaN();
    const body = JSON.parse(String(journal[0]!.body)) as Record<string, unknown>;
    expect(body).toMatchObject({ name: 'Widget', model: 'W-100', test: true });
    expect(body.product).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(station.store.events.forUnit('SER0000001').map((e) => e.kind)).toEqual(['unit.assigned']);

    // Out of IDs: a 4xx with a reason the agent will retry (and a person can act on).
    const third = await agentRequest(url!, device);
    expect(third.status).toBe(409);
    expect(third.body.error).toMatch(/has no reserved claim IDs left/);
  });

  it('an unknown product gets a 4xx with a reason, journaled, and no ID is spent', async () => {
    const { url } = await start();
    const answer = await agentRequest(url!, { ...device, product: '01H4R15D3478JD26YDYK40ZZZZ' });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatch(/product token is not the one this device sent/);
    expect(station.store.units.get('SER0000001')?.state).toBe('reserved');
    const status = (await station.dispatch('getSerializeStatus', undefined)) as {
      value: SerializeStatusReport;
    };
    expect(status.value.lastRequests[0]).toMatchObject({ status: 403, claimId: null, remote: '127.0.0.1' });
    expect(status.value.wrongProduct).toMatchObject([{ remote: '127.0.0.1', count: 1 }]);
  });

  it('counts a misconfigured unit retrying with the wrong product token, per device, in the status', async () => {
    const { url } = await start();
    const wrong = { ...device, product: '01H4R15D3478JD26YDYK40ZZZZ' };
    // The agent retries every 2 s forever; three retries from one unit, one from another.
    for (let i = 0; i < 3; i++) expect((await agentRequest(url!, wrong)).status).toBe(403);
    expect((await agentRequest(url!, { ...wrong, name: 'Gadget', model: 'G-1' }, '127.0.0.2')).status).toBe(
      403,
    );
    // A good unit and an allow-list refusal are not counted.
    expect((await agentRequest(url!, device)).status).toBe(200);
    const status = (await station.dispatch('getSerializeStatus', undefined)) as {
      value: SerializeStatusReport;
    };
    expect(status.value.wrongProduct).toEqual([
      expect.objectContaining({ remote: '127.0.0.1', name: 'Widget', model: 'W-100', count: 3 }),
      expect.objectContaining({ remote: '127.0.0.2', name: 'Gadget', model: 'G-1', count: 1 }),
    ]);
    expect(Date.parse(status.value.wrongProduct[0]!.lastAt)).toBeGreaterThanOrEqual(
      Date.parse(status.value.wrongProduct[0]!.firstAt),
    );
  });

  it('refuses a request from an address outside the allowed networks', async () => {
    const { url } = await start({ allow: ['127.0.0.1/32'] });
    const refused = await agentRequest(url!, device, '127.0.0.2');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/Requests from 127\.0\.0\.2 are not allowed/);
    expect(station.store.units.get('SER0000001')?.state).toBe('reserved');
    const allowed = await agentRequest(url!, device, '127.0.0.1');
    expect(allowed).toEqual({ status: 200, body: { id: 'SER0000001' } });
    const rows = station.store.db.prepare('SELECT remote, status FROM serialize_journal ORDER BY id').all();
    expect(rows).toEqual([{ remote: '127.0.0.1', status: 200 }]);
    const status = (await station.dispatch('getSerializeStatus', undefined)) as {
      value: SerializeStatusReport;
    };
    expect(status.value.refusals).toEqual([
      expect.objectContaining({
        remote: '127.0.0.2',
        status: 403,
        count: 1,
        sample: expect.stringMatching(/^POST \/serialize: Requests from 127\.0\.0\.2/),
      }),
    ]);
  });

  it('a flood from outside the allow-list grows a counter, not the journal; bodies are bounded for everyone', async () => {
    const { url } = await start({ allow: ['127.0.0.1/32'] });
    const dbBytes = () =>
      ['', '-wal'].reduce(
        (n, s) => n + (fs.existsSync(station.store.file + s) ? fs.statSync(station.store.file + s).size : 0),
        0,
      );
    const before = dbBytes();
    const big = { ...device, pad: 'x'.repeat(60 * 1024) };
    const send = (body: unknown, localAddress: string) =>
      new Promise<number>((resolve) => {
        const req = http.request(url!, {
          method: 'POST',
          localAddress,
          headers: { 'Content-Type': 'application/json' },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(-1)); // the station closed the connection without reading the body
        req.end(JSON.stringify(body));
      });
    const FLOOD = 1500;
    for (let i = 0; i < FLOOD; i += 50)
      await Promise.all(Array.from({ length: 50 }, () => send(big, '127.0.0.2')));
    await station.dispatch('getSerializeStatus', undefined); // writes the counts kept in memory
    const counted = station.store.db
      .prepare("SELECT sum(count) FROM serialize_refusals WHERE remote = '127.0.0.2' AND status = 403")
      .pluck()
      .get();
    expect(counted).toBe(FLOOD);
    expect(
      station.store.db.prepare('SELECT count(*) FROM serialize_refusals').pluck().get(),
    ).toBeLessThanOrEqual(3);
    expect(station.store.db.prepare('SELECT count(*) FROM serialize_journal').pluck().get()).toBe(0);
    // Over 88 MB before; now a few counter rows (pages, WAL frames).
    expect(dbBytes() - before).toBeLessThan(512 * 1024);

    // From an allowed source, a body over the bound is refused unread too, and nothing is spent.
    expect([413, -1]).toContain(await send(big, '127.0.0.1'));
    await station.dispatch('getSerializeStatus', undefined);
    expect(
      station.store.db
        .prepare("SELECT count FROM serialize_refusals WHERE remote = '127.0.0.1' AND status = 413")
        .pluck()
        .get(),
    ).toBe(1);
    expect(station.store.units.get('SER0000001')?.state).toBe('reserved');
    const ok = await agentRequest(url!, device, '127.0.0.1');
    expect(ok).toEqual({ status: 200, body: { id: 'SER0000001' } });
  }, 120_000);

  it('journals a bounded body with every product token redacted, wherever the device put it', async () => {
    const { url } = await start();
    const bodies = [
      { ...device, product: [STANDIN_PRODUCT] },
      { ...device, product: { token: STANDIN_PRODUCT } },
      JSON.parse(`{"name":"W","__proto__":{"product":"${STANDIN_PRODUCT}"}}`) as Record<string, unknown>,
      { ...device, product: STANDIN_PRODUCT.toLowerCase(), note: `token ${STANDIN_PRODUCT} in text` },
      {
        ...device,
        product: 'x',
        nested: { deeper: [{ product: STANDIN_PRODUCT }] },
        pad: 'y'.repeat(12_000),
      },
    ];
    for (const body of bodies) expect((await agentRequest(url!, body)).status).toBeGreaterThanOrEqual(400);
    const rows = station.store.db
      .prepare('SELECT body FROM serialize_journal ORDER BY id')
      .pluck()
      .all() as string[];
    expect(rows).toHaveLength(bodies.length);
    for (const row of rows) {
      expect(row.toUpperCase()).not.toContain(STANDIN_PRODUCT);
      expect(row.length).toBeLessThanOrEqual(4096 + 10);
    }
    expect(rows[2]).toMatch(/"__proto__":\{"product":"sha256:[0-9a-f]{12}"\}/);
    expect(fs.readFileSync(station.store.file).includes(STANDIN_PRODUCT)).toBe(false);
  });

  it('refuses an allow-list entry that is not a network', async () => {
    const result = await station.dispatch('startSerialize', {
      orderId: ORDER,
      productRef: station.productRef,
      port: 0,
      allow: ['the line'],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', field: 'allow' } });
  });
});
