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

describe('preload', () => {
  it('exposes exactly the contract as window.lineside, one function per operation plus on()', async () => {
    (process as { contextIsolated?: boolean }).contextIsolated = true;
    const { channels, operationNames } = await import('../../../electron/shared/contract');
    await import('../../../electron/preload/index');
    const api = exposed.lineside as Record<string, (arg?: unknown) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual([...operationNames, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(await api.listUnits?.({ prefix: 'A' })).toEqual({
      ok: true,
      value: { ch: channels.listUnits, arg: { prefix: 'A' } },
    });
  });

  it('subscribes only to contract events', async () => {
    const { buildApi } = await import('../../../electron/preload/index');
    const renderer = { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() };
    const api = buildApi(renderer as never);
    const off = api.on('unitsChanged', () => undefined);
    expect(renderer.on).toHaveBeenCalledWith('units:on-changed', expect.any(Function));
    off();
    expect(renderer.removeListener).toHaveBeenCalled();
    expect(() => api.on('anything' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
