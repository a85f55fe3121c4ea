import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  buildNamespacedApi,
  channels,
  methodPath,
  operationNames,
  subscriptionChannel,
  type JobReport,
  type LinesideApi,
  type LinesideClient,
  type ListOrderUnitsRequest,
  type MethodOf,
  type OrderSummary,
  type Page,
  type Result,
  type UnitSummary,
} from '../../../electron/shared/contract';

describe('the namespaced client API', () => {
  it('maps channel names to namespace.method, written out', () => {
    expect(methodPath('orders:create')).toEqual(['orders', 'create']);
    expect(methodPath('orders:list-units')).toEqual(['orders', 'listUnits']);
    expect(methodPath('devstore:claim-id-card')).toEqual(['devstore', 'claimIdCard']);
    expect(methodPath('app:get-station-settings')).toEqual(['app', 'getStationSettings']);
    expect(() => methodPath('orders')).toThrow(/Not a channel/);
    expect(() => methodPath(':create')).toThrow(/Not a channel/);
  });

  it('reaches every operation through exactly one method, and nothing else', async () => {
    const seen: { operation: string; channel: string; request: unknown }[] = [];
    const api = buildNamespacedApi(channels, async (operation, channel, request) => {
      seen.push({ operation, channel, request });
      return { ok: true, value: null };
    });
    const methods = Object.entries(api).flatMap(([ns, m]) => Object.keys(m).map((k) => `${ns}.${k}`));
    expect(methods).toHaveLength(operationNames.length);
    expect(new Set(methods).size).toBe(methods.length);
    for (const [ns, m] of Object.entries(api)) {
      expect(Object.isFrozen(m), ns).toBe(true);
      for (const [name, fn] of Object.entries(m)) await fn({ via: `${ns}.${name}` });
    }
    // Each method called its own channel under its flat operation name, once.
    expect(seen.map((s) => s.operation).sort()).toEqual([...operationNames].sort());
    for (const s of seen) {
      expect(channels[s.operation as keyof typeof channels]).toBe(s.channel);
      expect((s.request as { via: string }).via).toBe(methodPath(s.channel).join('.'));
    }
    // A few written out, so a wrong mapping cannot agree with itself.
    expect(seen).toContainEqual({
      operation: 'listOrderUnits',
      channel: 'orders:list-units',
      request: { via: 'orders.listUnits' },
    });
    expect(seen).toContainEqual({
      operation: 'startUnit',
      channel: 'station:start-unit',
      request: { via: 'station.startUnit' },
    });
    expect(seen).toContainEqual({
      operation: 'getAppInfo',
      channel: 'app:get-info',
      request: { via: 'app.getInfo' },
    });
    expect(Object.keys(api)).not.toContain('on');
    expect(Object.values(channels)).not.toContain(subscriptionChannel);
  });

  it('refuses a table where two channels map to one method or a namespace is called on', () => {
    const call = async () => ({ ok: true as const, value: null });
    expect(() => buildNamespacedApi({ a: 'x:list-units', b: 'x:list-units' }, call)).toThrow(
      /Two operations/,
    );
    expect(() => buildNamespacedApi({ a: 'on:thing' }, call)).toThrow(/may not be called "on"/);
  });

  it('types each method with its operation request and result', () => {
    expectTypeOf<MethodOf<'orders:list-units'>>().toEqualTypeOf<'listUnits'>();
    expectTypeOf<LinesideApi['orders']['listUnits']>().toEqualTypeOf<
      (req: ListOrderUnitsRequest) => Promise<Result<Page<UnitSummary>>>
    >();
    expectTypeOf<LinesideApi['orders']['list']>().returns.toEqualTypeOf<Promise<Result<OrderSummary[]>>>();
    expectTypeOf<LinesideApi['jobs']['get']>().returns.toEqualTypeOf<Promise<Result<JobReport>>>();
    expectTypeOf<keyof LinesideApi['jobs']>().toEqualTypeOf<'list' | 'get' | 'cancel'>();
    type Flat = 'createOrder' | 'listOrderUnits' | 'getJob';
    // The flat names are not on the client; no method exists without its channel.
    expectTypeOf<Extract<keyof LinesideClient, Flat>>().toEqualTypeOf<never>();
    expectTypeOf<Extract<keyof LinesideApi['orders'], 'listOrderUnits' | 'units'>>().toEqualTypeOf<never>();
    // Scoped events take their scope; broadcast events take none.
    const api = null as unknown as LinesideClient;
    const typeOnly = () => {
      api.on('jobProgress', () => undefined, { jobId: 'J1' });
      api.on('stationSlot', () => undefined, { allSlots: true });
      api.on('terminalData', () => undefined, { path: '/dev/ttyUSB0' });
      // @ts-expect-error a job scope names a job
      api.on('jobProgress', () => undefined, { slot: 1 });
      // @ts-expect-error broadcast events have no scope
      api.on('unitsChanged', () => undefined, { jobId: 'J1' });
    };
    expect(typeof typeOnly).toBe('function');
  });
});
