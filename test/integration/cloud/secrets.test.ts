import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startBridge, type Bridge } from '../../../electron/bridge/server';
import type { ProductTokenSummary, SerializeStatusReport } from '../../../electron/shared/contract';
import { claimIds, createCloudStation, deviceJson } from '../../support/cloudStation';
import {
  STANDIN_ACCOUNT,
  STANDIN_CLOUD,
  STANDIN_PRODUCT,
  startStandinCloud,
  type StandinCloud,
} from '../../support/standinCloud';

/** Everything a person or another program could see: bridge answers, events, logs, exports. */
const seen: string[] = [];
let cloud: StandinCloud;
let station: ReturnType<typeof createCloudStation>;
let bridge: Bridge;
let ws: WebSocket;

async function api<T>(op: string, arg?: unknown): Promise<T> {
  const res = await fetch(`${bridge.url}/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}` },
    body: arg === undefined ? '' : JSON.stringify(arg),
  });
  const text = await res.text();
  seen.push(text);
  const result = JSON.parse(text) as { ok: boolean; value: T; error?: { message: string } };
  if (!result.ok) throw new Error(result.error?.message);
  return result.value;
}

beforeAll(async () => {
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation(
      (...args: unknown[]) => void seen.push(args.map(String).join(' ')),
    );
  cloud = await startStandinCloud();
  station = createCloudStation({ transport: 'browser' });
  bridge = await startBridge({ dispatch: station.dispatch, events: station.events });
  ws = new WebSocket(`${bridge.url.replace('http', 'ws')}/api/events?token=${bridge.token}`);
  ws.on('message', (m) => seen.push(String(m)));
  await new Promise((r) => ws.on('open', r));
});
afterAll(async () => {
  ws.close();
  await station.serialize.stop();
  await bridge.close();
  station.cleanup();
  await cloud.stop();
  vi.restoreAllMocks();
});

describe('the product token stays a secret', () => {
  it('never appears in renderer-facing results, events, logs, exports or the database files', async () => {
    // The engineer enters the token once (write-only) and gets a reference back.
    const stored = await api<ProductTokenSummary>('storeProductToken', {
      label: 'Widget',
      token: STANDIN_PRODUCT,
    });
    expect(stored.label).toBe('Widget');
    const ref = stored.ref;

    const [ok, claimed, echoing] = claimIds(3, 'T');
    station.store.units.insertMany(
      [ok!, claimed!, echoing!].map((claimId) => ({
        claimId,
        orderId: 'WO-S',
        state: 'verified' as const,
        at: 'x',
      })),
    );
    station.cloud.enqueue({
      claimId: ok!,
      orderId: 'WO-S',
      body: deviceJson(ok!),
      builderUrl: cloud.url,
      productRef: ref,
    });
    station.cloud.enqueue({
      claimId: claimed!,
      orderId: 'WO-S',
      body: deviceJson(claimed!, { account: STANDIN_ACCOUNT, cloud: STANDIN_CLOUD }),
      builderUrl: cloud.url,
      productRef: ref,
    });
    // A builder that echoes the token in its error must not get it into our reasons.
    cloud.script({ status: 400, error: `product ${STANDIN_PRODUCT} is suspended` });
    station.cloud.enqueue({
      claimId: echoing!,
      orderId: 'WO-S',
      body: deviceJson(echoing!),
      builderUrl: cloud.url,
      productRef: ref,
    });
    await api('resumeCloudSender');
    await station.cloud.sender.drained();
    // The throttled change event that follows the last answer reaches the socket: every event the
    // run caused is then in `seen`.
    await expect
      .poll(() => seen.some((m) => m.includes('"cloudChanged"') && m.includes('"rejected":1')), {
        timeout: 10_000,
      })
      .toBe(true);

    const status = await api<{ failures: { reason: string }[] }>('getCloudStatus');
    expect(status.failures[0]?.reason).toContain('[product token] is suspended');
    await api('getCloudReport', { orderId: 'WO-S' });
    seen.push(
      (await api<{ content: string }>('exportCloudReport', { orderId: 'WO-S', format: 'csv' })).content,
    );
    seen.push(
      (await api<{ content: string }>('exportCloudReport', { orderId: 'WO-S', format: 'json' })).content,
    );
    for (const id of [ok, claimed, echoing]) await api('getUnit', { claimId: id });
    await api('listProductTokens');

    station.store.units.insertMany([{ claimId: 'TSER000001', orderId: 'WO-S', state: 'reserved', at: 'x' }]);
    const serialize = await api<SerializeStatusReport>('startSerialize', {
      orderId: 'WO-S',
      productRef: ref,
      port: 0,
    });
    await new Promise<void>((resolve, reject) => {
      const req = http.request(serialize.url!, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
      });
      req.on('response', (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end(JSON.stringify({ product: STANDIN_PRODUCT, name: 'Widget' }));
    });
    await api('getSerializeStatus');
    seen.push(JSON.stringify(station.store.events.recent(10_000)));

    // The token did reach the cloud, where it belongs.
    expect(cloud.requests.some((r) => r.headers.authorization === `bearer ${STANDIN_PRODUCT}`)).toBe(true);
    expect(seen.length).toBeGreaterThan(15);
    for (const text of seen) expect(text).not.toContain(STANDIN_PRODUCT);

    // At rest: not in the database, its WAL, or anything else in the data directory.
    station.store.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of fs.readdirSync(station.dataDir)) {
      const bytes = fs.readFileSync(path.join(station.dataDir, f));
      expect(bytes.includes(STANDIN_PRODUCT), f).toBe(false);
    }
  });
});
