import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationName, RequestOf, ResponseOf, Result } from '../../../electron/shared/contract';
import { systemClock } from '../../../electron/core/clock';
import { startMosquitto, type Broker } from '../../support/mosquitto';
import { startSimulatedDevice, type SimulatedDevice } from '../../support/iotoDevice';
import { createTestStation, type TestStation } from '../../support/station';

let broker: Broker;
let station: TestStation;
let device: SimulatedDevice | null = null;

beforeAll(async () => {
  broker = await startMosquitto();
  station = createTestStation({ clock: systemClock });
});
afterAll(async () => {
  await device?.stop();
  await station.deviceStores.closeAll();
  station.cleanup();
  await broker.stop();
});

async function call<K extends OperationName>(op: K, req: RequestOf<K>): Promise<Result<ResponseOf<K>>> {
  return (await station.dispatch(op, req)) as Result<ResponseOf<K>>;
}

async function until<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function storeRows(sourceId: string) {
  const page = await call('listDeviceItems', { sourceId, model: 'Store' });
  if (!page.ok) throw new Error(page.error.message);
  return Object.fromEntries(page.value.items.map((r) => [r.key, r.value]));
}

describe('device store over MQTT (Lineside as the device cloud)', () => {
  it('mirrors the Store of a device started with --sync up; an edit applied silently is confirmed by asking for the item', async () => {
    device = await startSimulatedDevice({
      url: broker.url,
      claimId: 'M72DANY8BZ',
      store: { 'temp.limit': 42, mode: 'eco', enabled: true },
      syncUp: true,
      resendMs: 300,
    });
    const opened = await call('openDeviceMqtt', {
      url: broker.url,
      claimId: 'M72DANY8BZ',
      timeoutMs: 10_000,
    });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value).toMatchObject({ kind: 'mqtt', writable: true });
    const { sourceId } = opened.value;

    // The device resends until acknowledged: the mirror fills and the device's pending list empties.
    await until(async () => Object.keys(await storeRows(sourceId)).length === 3);
    expect(await storeRows(sourceId)).toEqual({ 'temp.limit': '42', mode: 'eco', enabled: 'true' });
    await until(() => device!.pending.size === 0);

    // A change made on the device shows up in the mirror.
    device.set('mode', 'boost');
    await until(async () => (await storeRows(sourceId)).mode === 'boost');

    // An edit in Lineside: UPSERT to the device, applied there silently (no echo), then confirmed
    // by sending the item again with a stale `updated`, which makes the device sync its copy up.
    const syncsBefore = device.received.length;
    const set = await call('setDeviceItem', {
      sourceId,
      key: 'temp.limit',
      value: '55',
      type: 'number',
    });
    if (!set.ok) throw new Error(set.error.message);
    expect(set.value).toMatchObject({ key: 'temp.limit', value: '55', type: 'number' });
    expect(device.items.get('s#temp.limit')).toMatchObject({ value: 55, type: 'number' });
    const upsert = device.received.find((m) => m.topic === 'ioto/device/M72DANY8BZ/sync/UPSERT');
    expect(upsert?.body).toMatchObject({ sk: 's#temp.limit', key: 'temp.limit', value: 55 });
    expect((await storeRows(sourceId))['temp.limit']).toBe('55');
    const sent = device.received
      .slice(syncsBefore)
      .filter((m) => m.topic === 'ioto/device/M72DANY8BZ/sync/UPSERT')
      .map((m) => (m.body as { updated: string }).updated);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe('1970-01-01T00:00:00.000Z');
    const traffic0 = await call('getDeviceTraffic', { sourceId });
    if (!traffic0.ok) throw new Error(traffic0.error.message);
    const answer = traffic0.value
      .filter((t) => t.direction === 'in' && t.topic.endsWith('/db/syncToDynamo'))
      .map(
        (t) => JSON.parse(t.payload) as { changes: { cmd: string; key: string; item: { value: unknown } }[] },
      )
      .flatMap((b) => b.changes)
      .filter((c) => c.key === 's#temp.limit');
    expect(answer.at(-1)).toMatchObject({ cmd: 'update', item: { value: 55 } });
    const events = station.store.events.recent(10).filter((e) => e.kind.startsWith('devstore.set'));
    const sentEvent = events.find((e) => e.kind === 'devstore.set');
    expect(sentEvent?.data).toMatchObject({ key: 'temp.limit', before: 42, after: 55, state: 'sent' });
    expect(sentEvent?.claimId).toBe('M72DANY8BZ');
    expect(events.find((e) => e.kind === 'devstore.set-confirmed')?.data).toMatchObject({
      key: 'temp.limit',
      after: 55,
      state: 'confirmed',
    });

    // The live view shows both directions.
    const traffic = await call('getDeviceTraffic', { sourceId });
    if (!traffic.ok) throw new Error(traffic.error.message);
    const topics = new Set(traffic.value.map((t) => `${t.direction} ${t.topic}`));
    expect(topics).toContain('in $aws/rules/IotoDevice/ioto/service/M72DANY8BZ/db/syncToDynamo');
    expect(topics).toContain('out ioto/device/M72DANY8BZ/sync/SYNC');
    expect(topics).toContain('out ioto/device/M72DANY8BZ/sync/UPSERT');
  });

  it("answers a reconnecting device's sync-down with the values written since, then SYNCDOWN", async () => {
    const list = await call('listDeviceStores', undefined);
    if (!list.ok) throw new Error(list.error.message);
    await device!.stop();
    device = await startSimulatedDevice({ url: broker.url, claimId: 'M72DANY8BZ', resendMs: 300 });
    await until(() => device!.received.some((m) => m.topic.endsWith('/sync/SYNCDOWN')));
    expect(device.items.get('s#temp.limit')).toMatchObject({ value: 55 });
  });

  it('says so when the device refuses a value older than its own copy', async () => {
    await device?.stop();
    const opening = call('openDeviceMqtt', {
      url: broker.url,
      claimId: 'K9SKEW0000',
      timeoutMs: 10_000,
    });
    await new Promise((r) => setTimeout(r, 500));
    // A device whose clock runs a day ahead of the station.
    device = await startSimulatedDevice({
      url: broker.url,
      claimId: 'K9SKEW0000',
      store: { mode: 'eco' },
      syncUp: true,
      resendMs: 300,
      now: () => new Date(Date.now() + 86_400_000),
    });
    const open = await opening;
    if (!open.ok) throw new Error(open.error.message);
    await until(async () => (await storeRows(open.value.sourceId)).mode === 'eco');
    const set = await call('setDeviceItem', {
      sourceId: open.value.sourceId,
      key: 'mode',
      value: 'boost',
      type: 'string',
    });
    expect(set.ok).toBe(false);
    if (!set.ok) expect(set.error.code).toBe('device-refused');
    expect(device.items.get('s#mode')).toMatchObject({ value: 'eco' });
    const unconfirmed = station.store.events.recent(5).find((e) => e.kind === 'devstore.set-unconfirmed');
    expect(unconfirmed?.data).toMatchObject({ key: 'mode', after: 'boost', state: 'refused' });
  });

  it('an idle device sends only its changes at connect: the report says so, and named keys are asked for', async () => {
    await device?.stop();
    const opening = call('openDeviceMqtt', { url: broker.url, claimId: 'IDLE000001', timeoutMs: 4_000 });
    await new Promise((r) => setTimeout(r, 300));
    device = await startSimulatedDevice({
      url: broker.url,
      claimId: 'IDLE000001',
      store: { mode: 'eco', limit: 42 },
      resendMs: 300,
    });
    const open = await opening;
    if (!open.ok) throw new Error(open.error.message);
    const { sourceId } = open.value;
    // It connected and asked for sync-down, but sent none of its Store: never an empty success.
    expect(await storeRows(sourceId)).toEqual({});
    expect(open.value.notices[0]).toMatch(
      /^The device has sent 0 items \(0 in its Store\) since Lineside connected: an idle agent sends only its unsynced changes when it connects, and its whole Store only when started with --sync up or right after provisioning; known keys can be asked for one by one\.$/,
    );
    const asked = await call('askDeviceItems', { sourceId, keys: ['mode', 'nosuch'] });
    if (!asked.ok) throw new Error(asked.error.message);
    expect(asked.value).toMatchObject({ answered: ['mode'], missing: ['nosuch'] });
    expect(await storeRows(sourceId)).toEqual({ mode: 'eco' });
    // The request for a key it did not have created an empty item; it was removed again.
    await until(() => !device!.items.has('s#nosuch'));
    expect(device.items.get('s#mode')).toMatchObject({ value: 'eco' });
    expect(asked.value.report.notices[1]).toBe(
      'Asked for 2 keys: 1 answered; no answer for nosuch (the device has no such item, or it is not connected).',
    );
    await call('closeDeviceStore', { sourceId });
    // Keys can be named when opening, too.
    const withKeys = await call('openDeviceMqtt', {
      url: broker.url,
      claimId: 'IDLE000001',
      keys: ['limit'],
      timeoutMs: 5_000,
    });
    if (!withKeys.ok) throw new Error(withKeys.error.message);
    expect(await storeRows(withKeys.value.sourceId)).toEqual({ limit: '42' });
  });

  it('a page that goes away while the device is awaited cancels the open at once and leaves the broker', async () => {
    const own = await startMosquitto();
    const count = (pattern: RegExp) => (own.log().match(pattern) ?? []).length;
    const connected = () => count(/New client connected from \S+ as lineside-/g);
    const closed = () =>
      count(/(Client|Socket error on client) lineside-\S+ (closed its connection|disconnect)/g);
    // What reaches a device SILENT0001 would be subscribed to.
    const { default: mqtt } = await import('mqtt');
    const watcher = mqtt.connect(own.url, { clientId: 'watcher' });
    const removes: string[] = [];
    watcher.on('message', (topic, payload) => {
      if (topic === 'ioto/device/SILENT0001/sync/REMOVE') removes.push(payload.toString());
    });
    await watcher.subscribeAsync('ioto/device/SILENT0001/#');
    try {
      // Waiting for the device's first message, and waiting for the answers to named keys.
      for (const [round, keys] of [undefined, ['temp.limit']].entries()) {
        const controller = new AbortController();
        const started = Date.now();
        const pending = station.dispatch(
          'openDeviceMqtt',
          { url: own.url, claimId: 'SILENT0001', timeoutMs: 20_000, ...(keys ? { keys } : {}) },
          { signal: controller.signal },
        );
        await until(() => connected() === round + 1);
        controller.abort();
        const result = await pending;
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('cancelled');
        expect(Date.now() - started).toBeLessThan(10_000);
        // The connection is closed at once, not left to its 20 s timeout.
        await until(() => closed() === round + 1, 3000);
        const stores = await call('listDeviceStores', undefined);
        expect(stores.ok && stores.value.some((s) => s.label.includes('SILENT0001'))).toBe(false);
      }
      // The key asked for and never answered is withdrawn again, as after a timeout, so a device
      // that made an empty item from the request drops it.
      await until(() => removes.some((r) => r.includes('"sk":"s#temp.limit"')), 3000);
    } finally {
      await watcher.endAsync(true);
      await own.stop();
    }
  });

  it('ends in a clear timeout when the device never answers', async () => {
    const result = await call('openDeviceMqtt', {
      url: broker.url,
      claimId: 'SILENT0000',
      timeoutMs: 1500,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('device-timeout');
    expect(result.error.message).toMatch(
      /^Device SILENT0000 sent nothing on mqtt:\/\/127\.0\.0\.1:\d+ within 2 s/,
    );
  });
});
