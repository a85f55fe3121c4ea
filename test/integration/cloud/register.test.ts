import JSON5 from 'json5';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCloudClient } from '../../../electron/core/cloud/client';
import { outboxCounts } from '../../../electron/core/cloud/outbox';
import { createCloudStation, deviceJson, registration } from '../../support/cloudStation';
import {
  STANDIN_ACCOUNT,
  STANDIN_CLOUD,
  STANDIN_PRODUCT,
  startStandinCloud,
  type StandinCloud,
} from '../../support/standinCloud';
import type { TestStation } from '../../support/station';

let cloud: StandinCloud;
let station: TestStation & { productRef: string };
beforeEach(async () => {
  cloud = await startStandinCloud();
});
afterEach(async () => {
  station?.cleanup();
  await cloud.stop();
});

function row(claimId: string) {
  return station.store.db.prepare('SELECT * FROM cloud_outbox WHERE claim_id = ?').get(claimId) as {
    state: string;
    attempts: number;
    last_status: number | null;
    last_error: string | null;
  };
}

describe('cloud client against the stand-in builder over real HTTP', () => {
  it('sends the register call exactly as the contract says: method, path, headers, JSON body', async () => {
    const client = createCloudClient({ timeoutMs: 2000 });
    const { product: _p, ...body } = deviceJson('M72DANY8BZ', { ports: 2, batch: 'B7' });
    const outcome = await client.register({ builderUrl: cloud.url, product: STANDIN_PRODUCT, body });
    client.close();
    expect(outcome).toEqual({ kind: 'registered', status: 200 });
    expect(cloud.requests).toHaveLength(1);
    const req = cloud.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/device/register');
    expect(req.headers.authorization).toBe(`bearer ${STANDIN_PRODUCT}`);
    expect(req.headers['content-type']).toBe('application/json');
    // Nothing else rides along: no user agent, no other credential.
    expect(Object.keys(req.headers).sort()).toEqual([
      'authorization',
      'connection',
      'content-length',
      'content-type',
      'host',
    ]);
    expect(req.rawBody).toBe(
      `{"product":"${STANDIN_PRODUCT}","id":"M72DANY8BZ","name":"Widget","model":"W-100",` +
        `"description":"Line test widget","test":false,"ports":2,"batch":"B7","created":"2026-11-21T10:00:00.000Z"}`,
    );
  });

  it('a registered answer marks the unit registered, and the outbox body carries the token only in flight', async () => {
    station = createCloudStation();
    station.cloud.enqueue(registration(station, 'M72DANY8BZ', cloud.url));
    const stored = station.store.db.prepare('SELECT body FROM cloud_outbox').pluck().get() as string;
    expect(stored).not.toContain(STANDIN_PRODUCT);
    station.cloud.resume();
    await station.cloud.sender.drained();
    expect(row('M72DANY8BZ')).toMatchObject({ state: 'registered', attempts: 1, last_status: 200 });
    expect(JSON.parse(cloud.requests[0]!.rawBody)).toMatchObject({
      product: STANDIN_PRODUCT,
      id: 'M72DANY8BZ',
    });
    expect(station.store.events.forUnit('M72DANY8BZ').map((e) => e.kind)).toEqual([
      'cloud.queued',
      'cloud.registered',
    ]);
  });

  it('a claimed answer becomes the unit provision.json5, whose token provisions the device', async () => {
    station = createCloudStation();
    station.cloud.enqueue(
      registration(station, 'M72DANY8C0', cloud.url, { account: STANDIN_ACCOUNT, cloud: STANDIN_CLOUD }),
    );
    expect(JSON.parse(JSON.stringify(station.cloud.provisionFileFor('M72DANY8C0')))).toBeNull();
    station.cloud.resume();
    await station.cloud.sender.drained();
    expect(row('M72DANY8C0').state).toBe('claimed');
    const body = JSON.parse(cloud.requests[0]!.rawBody) as Record<string, unknown>;
    expect(body).toMatchObject({ account: STANDIN_ACCOUNT, cloud: STANDIN_CLOUD });

    const file = station.cloud.provisionFileFor('M72DANY8C0')!;
    expect(file.path).toBe('config/provision.json5');
    expect(file.mode).toBe(0o600);
    const provision = JSON5.parse(file.content.toString('utf8')) as Record<string, unknown>;
    expect(provision.id).toBe('M72DANY8C0'); // provision.id must equal device.id
    expect(Object.keys(provision)).toEqual([
      'id',
      'registered',
      'api',
      'token',
      'accountId',
      'cloud',
      'cloudType',
      'cloudName',
      'cloudRegion',
    ]);
    expect(provision).toMatchObject({ registered: true, accountId: STANDIN_ACCOUNT, cloud: STANDIN_CLOUD });

    // What the agent does next with it: POST {api}/tok/device/provision with the provision token.
    const res = await fetch(`${String(provision.api)}/tok/device/provision`, {
      method: 'POST',
      headers: { Authorization: `bearer ${String(provision.token)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: provision.id }),
    });
    const certs = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(certs.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(certs.key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  });

  it('401 for an unknown product token: rejected with the reason, never retried', async () => {
    station = createCloudStation();
    const wrong = station.secrets.put('product:Typo', '01H4R15D3478JD26YDYK408XE7').ref;
    const reg = registration(station, 'M72DANY8C1', cloud.url);
    const { product: _p, ...body } = reg.body;
    station.cloud.enqueue({ ...reg, body, productRef: wrong });
    station.cloud.resume();
    await station.cloud.sender.drained();
    // Several more looks for work (poll and backoff periods) change nothing: never retried.
    const from = station.cloud.sender.passes();
    await expect
      .poll(() => station.cloud.sender.passes(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(from + 3);
    expect(cloud.calls.get('M72DANY8C1')).toBe(1);
    const r = row('M72DANY8C1');
    expect(r).toMatchObject({ state: 'rejected', attempts: 1, last_status: 401 });
    expect(r.last_error).toMatch(/refused the product token \(HTTP 401\): Unknown product token/);
    const status = station.cloud.status();
    expect(status.failures).toEqual([
      expect.objectContaining({ claimId: 'M72DANY8C1', kind: 'rejected', status: 401 }),
    ]);
  });

  it('503 twice, then registered: retried with backoff', async () => {
    station = createCloudStation();
    cloud.script({ status: 503 }, { status: 503 });
    station.cloud.enqueue(registration(station, 'M72DANY8C2', cloud.url));
    station.cloud.resume();
    await station.cloud.sender.drained();
    expect(row('M72DANY8C2')).toMatchObject({ state: 'registered', attempts: 3 });
    expect(cloud.calls.get('M72DANY8C2')).toBe(3);
    const times = cloud.requests.map((r) => r.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(10); // half of the 20 ms base step at least
    const deferred = station.store.events.forUnit('M72DANY8C2').find((e) => e.kind === 'cloud.deferred');
    expect(deferred?.data.reason).toMatch(/unavailable \(HTTP 503\)/);
  });

  it('a builder that does not answer in time is retried, and the unit ends registered', async () => {
    station = createCloudStation({ cloud: { timeoutMs: 300 } });
    cloud.script({ hangMs: 1000 });
    station.cloud.enqueue(registration(station, 'M72DANY8C3', cloud.url));
    station.cloud.resume();
    await station.cloud.sender.drained();
    expect(row('M72DANY8C3')).toMatchObject({ state: 'registered', attempts: 2 });
    const deferred = station.store.events.forUnit('M72DANY8C3').find((e) => e.kind === 'cloud.deferred');
    expect(deferred?.data.reason).toBe('The builder did not answer within 0.3 s.');
    expect(cloud.devices.size).toBe(1);
    expect(outboxCounts(station.store)).toMatchObject({ registered: 1, pending: 0, sending: 0 });
  });
});
