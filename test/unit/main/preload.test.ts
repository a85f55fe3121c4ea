import { describe, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: vi.fn(async (ch: string, arg: unknown) => ({ ok: true, value: { ch, arg } })),
    on: vi.fn(),
    removeListener: vi.fn(),
  },
}));

type Namespaces = Record<string, Record<string, (arg?: unknown) => Promise<unknown>>>;

describe('preload', () => {
  it('exposes exactly the contract as window.lineside: one object per namespace plus on()', async () => {
    (process as { contextIsolated?: boolean }).contextIsolated = true;
    const { channels, methodPath } = await import('../../../electron/shared/contract');
    await import('../../../electron/preload/index');
    const api = exposed.lineside as Namespaces & { on: unknown };
    const namespaces = [...new Set(Object.values(channels).map((c) => methodPath(c)[0]))];
    expect(Object.keys(api).sort()).toEqual([...namespaces, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    const methods = Object.entries(api)
      .filter(([k]) => k !== 'on')
      .flatMap(([ns, m]) => Object.keys(m as object).map((k) => `${ns}.${k}`));
    expect(methods.sort()).toEqual(
      Object.values(channels)
        .map((c) => methodPath(c).join('.'))
        .sort(),
    );
    expect(await api.units!.list!({ prefix: 'A' })).toEqual({
      ok: true,
      value: { ch: 'units:list', arg: { prefix: 'A' } },
    });
    expect(await api.orders!.listUnits!({ orderId: 'WO-1' })).toEqual({
      ok: true,
      value: { ch: 'orders:list-units', arg: { orderId: 'WO-1' } },
    });
  });

  it('subscribes only to contract events, and tells main about a scope once per scope', async () => {
    const { buildApi } = await import('../../../electron/preload/index');
    const renderer = { invoke: vi.fn(async () => ({ ok: true })), on: vi.fn(), removeListener: vi.fn() };
    const api = buildApi(renderer as never);
    const off = api.on('unitsChanged', () => undefined);
    expect(renderer.on).toHaveBeenCalledWith('units:on-changed', expect.any(Function));
    off();
    expect(renderer.removeListener).toHaveBeenCalled();
    expect(renderer.invoke).not.toHaveBeenCalled();
    expect(() => api.on('anything' as never, () => undefined)).toThrow(/Unknown event/);
    expect(() => api.on('jobProgress', () => undefined, { slot: 1 } as never)).toThrow(/Unknown scope/);

    const got: unknown[] = [];
    const offA = api.on('jobProgress', (r) => got.push(r.jobId), { jobId: 'J1' });
    const offB = api.on('jobProgress', () => undefined, { jobId: 'J1' });
    expect(renderer.invoke.mock.calls).toEqual([
      ['events:subscribe', { subscribe: [{ event: 'jobProgress', scope: { jobId: 'J1' } }] }],
    ]);
    // The listener sees only its job, even if the window receives another one.
    const wrapped = renderer.on.mock.calls.at(-2)![1] as (e: unknown, p: unknown) => void;
    wrapped({}, { jobId: 'J2' });
    wrapped({}, { jobId: 'J1' });
    expect(got).toEqual(['J1']);
    offA();
    offA();
    expect(renderer.invoke).toHaveBeenCalledTimes(1);
    offB();
    expect(renderer.invoke.mock.calls.at(-1)).toEqual([
      'events:subscribe',
      { unsubscribe: [{ event: 'jobProgress', scope: { jobId: 'J1' } }] },
    ]);
  });
});
