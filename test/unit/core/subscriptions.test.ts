import { describe, expect, it, vi } from 'vitest';
import { createClients } from '../../../electron/core/clients';
import { createSubscriptions } from '../../../electron/core/subscriptions';
import type { JobReport, StationSlotReport, TerminalDataEvent } from '../../../electron/shared/contract';

const term = (sessionId: string, path: string): TerminalDataEvent => ({ sessionId, path, data: '' });
const slot = (n: number) => ({ slot: n }) as StationSlotReport;
const job = (jobId: string) => ({ jobId, state: 'running' }) as JobReport;

describe('the subscription registry', () => {
  it('broadcasts unscoped events to every client, even one without an id', () => {
    const subs = createSubscriptions();
    for (const client of ['A', 'B', null]) {
      expect(subs.wants(client, 'unitsChanged', { claimIds: [] })).toBe(true);
      expect(subs.wants(client, 'portsChanged', { ports: [] } as never)).toBe(true);
      expect(subs.wants(client, 'ordersChanged', { orderIds: [] })).toBe(true);
    }
    expect(subs.wants(null, 'jobProgress', job('J1'))).toBe(false);
  });

  it('sends terminal bytes to the client that opened the session or subscribed to its port', () => {
    const subs = createSubscriptions();
    subs.track('A', 'openTerminal', { sessionId: 'S1', path: '/dev/pts/3' });
    subs.subscribe('B', { event: 'terminalData', scope: { path: '/dev/pts/3' } });
    expect(subs.wants('A', 'terminalData', term('S1', '/dev/pts/3'))).toBe(true);
    expect(subs.wants('B', 'terminalData', term('S1', '/dev/pts/3'))).toBe(true);
    expect(subs.wants('C', 'terminalData', term('S1', '/dev/pts/3'))).toBe(false);
    expect(subs.wants('A', 'terminalData', term('S2', '/dev/pts/4'))).toBe(false);
    expect(subs.wants('B', 'terminalData', term('S2', '/dev/pts/4'))).toBe(false);
  });

  it('sends slot cards to one-slot and all-slot subscribers only', () => {
    const subs = createSubscriptions();
    subs.subscribe('A', { event: 'stationSlot', scope: { slot: 2 } });
    subs.subscribe('B', { event: 'stationSlot', scope: { allSlots: true } });
    expect(subs.wants('A', 'stationSlot', slot(2))).toBe(true);
    expect(subs.wants('A', 'stationSlot', slot(1))).toBe(false);
    expect(subs.wants('B', 'stationSlot', slot(1))).toBe(true);
    expect(subs.wants('C', 'stationSlot', slot(2))).toBe(false);
  });

  it('sends job progress to the client that started the job or subscribed to it', () => {
    const subs = createSubscriptions();
    subs.track('A', 'printOrderLabels', { jobId: 'J1' });
    subs.track('A', 'createOrder', { order: {}, job: { jobId: 'J2' } });
    // Reading or cancelling a job is not starting it.
    subs.track('B', 'getJob', { jobId: 'J1' });
    subs.track('B', 'cancelJob', { jobId: 'J2' });
    expect(subs.keys('A')).toEqual(['jobProgress:job:J1', 'jobProgress:job:J2']);
    expect(subs.wants('B', 'jobProgress', job('J1'))).toBe(false);
    subs.subscribe('B', { event: 'jobProgress', scope: { jobId: 'J1' } });
    expect(subs.wants('B', 'jobProgress', job('J1'))).toBe(true);
    expect(subs.wants('B', 'jobProgress', job('J2'))).toBe(false);
  });

  it('counts subscriptions, and forgets a client on release', () => {
    const subs = createSubscriptions();
    const sub = { event: 'stationSlot', scope: { slot: 1 } } as const;
    subs.subscribe('A', sub);
    subs.subscribe('A', sub);
    subs.unsubscribe('A', sub);
    expect(subs.wants('A', 'stationSlot', slot(1))).toBe(true);
    subs.unsubscribe('A', sub);
    expect(subs.wants('A', 'stationSlot', slot(1))).toBe(false);
    subs.subscribe('A', sub);
    subs.track('A', 'openTerminal', { sessionId: 'S1' });
    expect(subs.release('A')).toBe(2);
    expect(subs.keys('A')).toEqual([]);
    expect(subs.wants('A', 'terminalData', term('S1', '/x'))).toBe(false);
  });
});

describe('clients', () => {
  it('refuses a subscription change with an unknown event or scope, whole', () => {
    const clients = createClients(vi.fn());
    for (const bad of [
      { subscribe: [{ event: 'unitsChanged', scope: {} }] },
      { subscribe: [{ event: 'jobProgress', scope: { jobId: 'J1', slot: 2 } }] },
      { subscribe: [{ event: 'stationSlot', scope: { slot: '2' } }] },
      { subscribe: [{ event: 'jobProgress', scope: { jobId: 'J1' } }, null] },
      { subscribe: 'jobProgress' },
    ])
      expect(clients.changeSubscriptions('A', bad), JSON.stringify(bad)).toMatchObject({
        ok: false,
        error: { code: 'validation' },
      });
    expect(clients.subscriptions.keys('A')).toEqual([]);
    expect(
      clients.changeSubscriptions('A', { subscribe: [{ event: 'stationSlot', scope: { slot: 2 } }] }),
    ).toEqual({ ok: true, value: { keys: ['stationSlot:slot:2'] } });
  });

  it('gives every call of a client its signal, aborts it on release, and closes what a call opened after the client went', async () => {
    let finishOpen: (() => void) | null = null;
    const dispatch = vi.fn(async (op: string, _arg: unknown, call?: { signal?: AbortSignal }) => {
      if (op === 'readUnitIdentity')
        return new Promise<never>((resolve) =>
          call!.signal!.addEventListener('abort', () =>
            resolve({ ok: false, error: { code: 'cancelled', message: 'Stopped.' } } as never),
          ),
        );
      if (op === 'openTerminal') {
        await new Promise<void>((r) => (finishOpen = r));
        return { ok: true as const, value: { sessionId: 'S9' } };
      }
      return { ok: true as const, value: null };
    });
    const clients = createClients(dispatch);
    const waiting = clients.call('A', 'readUnitIdentity', { path: '/dev/pts/1' });
    const opening = clients.call('A', 'openTerminal', { path: '/dev/pts/2' });
    const other = clients.call('B', 'listUnits', {});
    expect(await other).toEqual({ ok: true, value: null });
    await clients.release('A');
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    finishOpen!();
    expect(await opening).toMatchObject({ ok: true });
    // Nobody holds the terminal any more: it was closed at once.
    expect(dispatch).toHaveBeenCalledWith('closeTerminal', { sessionId: 'S9' });
    expect(clients.handles.held('A')).toBe(0);
    // A client without an id runs without a signal.
    await clients.call(null, 'listUnits', {});
    expect(dispatch.mock.calls.at(-1)).toEqual(['listUnits', {}]);
  });
});
