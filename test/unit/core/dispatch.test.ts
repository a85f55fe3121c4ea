import { describe, expect, it, vi } from 'vitest';
import { createDispatch } from '../../../electron/core/dispatch';
import { Failure } from '../../../electron/core/failure';
import type { Services } from '../../../electron/core/services';

function fakeServices(overrides: Partial<Services>): Services {
  return new Proxy(overrides as Services, {
    get: (target, key) => (target as Record<string | symbol, unknown>)[key] ?? (() => 'default'),
  });
}

describe('dispatch', () => {
  it('validates the argument and names the offending field', async () => {
    const listUnits = vi.fn();
    const dispatch = createDispatch(fakeServices({ listUnits }));
    const result = await dispatch('listUnits', { limit: 'many' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation');
    expect(result.error.field).toBe('limit');
    expect(result.error.message).toMatch(/^limit: /);
    expect(listUnits).not.toHaveBeenCalled();
  });

  it('refuses unknown fields and unknown operations', async () => {
    const dispatch = createDispatch(fakeServices({}));
    const extra = await dispatch('getUnit', { claimId: 'ABC', sneaky: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await dispatch('formatDisk', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-operation' },
    });
    expect(await dispatch('__proto__', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-operation' },
    });
  });

  it('returns expected failures as values with their code', async () => {
    const dispatch = createDispatch(
      fakeServices({
        getUnit: () => {
          throw new Failure('not-found', 'No unit with claim ID X.', { field: 'claimId' });
        },
      }),
    );
    expect(await dispatch('getUnit', { claimId: 'X' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No unit with claim ID X.', field: 'claimId' },
    });
  });

  it('turns a thrown bug into an internal error and reports it', async () => {
    const onBug = vi.fn();
    const dispatch = createDispatch(
      fakeServices({
        getAppInfo: () => {
          throw new TypeError('boom');
        },
      }),
      { onBug },
    );
    const result = await dispatch('getAppInfo', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', detail: 'boom' } });
    expect(onBug).toHaveBeenCalledOnce();
  });

  it('passes the parsed argument to the service', async () => {
    const listUnits = vi.fn(() => ({ items: [], nextCursor: null, total: 0, totalIsCapped: false }));
    const dispatch = createDispatch(fakeServices({ listUnits }));
    const result = await dispatch('listUnits', { prefix: 'ab', limit: 5 });
    expect(result.ok).toBe(true);
    expect(listUnits).toHaveBeenCalledWith({ prefix: 'ab', limit: 5 }, {});
  });

  it("hands the call's signal to the service, and starts nothing for a client already gone", async () => {
    const listUnits = vi.fn(() => ({ items: [], nextCursor: null, total: 0, totalIsCapped: false }));
    const dispatch = createDispatch(fakeServices({ listUnits }));
    const controller = new AbortController();
    expect((await dispatch('listUnits', {}, { signal: controller.signal })).ok).toBe(true);
    expect(listUnits).toHaveBeenCalledWith({}, { signal: controller.signal });
    controller.abort();
    listUnits.mockClear();
    expect(await dispatch('listUnits', {}, { signal: controller.signal })).toMatchObject({
      ok: false,
      error: { code: 'cancelled' },
    });
    expect(listUnits).not.toHaveBeenCalled();
  });
});
