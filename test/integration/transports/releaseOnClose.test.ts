import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Result } from '../../../electron/shared/contract';
import { startBridge, type Bridge } from '../../../electron/bridge/server';
import { holdsOpen, waitUntil } from '../../support/openFiles';
import { createPtyPair, type PtyPair } from '../../support/ptyPair';
import { createTestStation, type TestStation } from '../../support/station';

let station: TestStation;
let bridge: Bridge;
const pairs: PtyPair[] = [];

afterEach(async () => {
  await bridge?.close();
  station?.cleanup();
  await Promise.all(pairs.splice(0).map((p) => p.stop()));
});

async function setup() {
  station = createTestStation({ transport: 'browser' });
  bridge = await startBridge({ dispatch: station.dispatch, events: station.events });
  const pty = await createPtyPair();
  pairs.push(pty);
  return pty;
}

async function call<T>(op: string, body: unknown, client?: string): Promise<Result<T>> {
  const res = await fetch(`${bridge.url}/api/${op}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${bridge.token}`,
      ...(client ? { 'x-lineside-client': client } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Result<T>;
}

async function pageSocket(client: string): Promise<WebSocket> {
  const ws = new WebSocket(
    `ws://127.0.0.1:${bridge.port}/api/events?token=${bridge.token}&client=${client}`,
    {
      headers: { origin: bridge.url },
    },
  );
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

describe('a page that goes away releases what it opened', () => {
  it('closing the page socket closes its terminal and stops its claim-ID watch, so the ports are free', async () => {
    const terminalPty = await setup();
    const watchPty = await createPtyPair();
    pairs.push(watchPty);
    const client = 'page-0123456789abcdef';
    const socket = await pageSocket(client);

    const terminal = await call<{ sessionId: string }>('openTerminal', { path: terminalPty.a }, client);
    expect(terminal.ok).toBe(true);
    const watch = await call<{ jobId: string }>(
      'watchClaimId',
      { path: watchPty.a, timeoutMs: 600_000, askAfterMs: 0 },
      client,
    );
    expect(watch.ok).toBe(true);
    await waitUntil(() => holdsOpen(terminalPty.a) && holdsOpen(watchPty.a), 'both ports are open');

    socket.close();
    await waitUntil(() => !holdsOpen(terminalPty.a), 'the terminal port is released');
    await waitUntil(() => !holdsOpen(watchPty.a), 'the watched port is released');
    if (!watch.ok) throw new Error('unreachable');
    const job = await call<{ state: string }>('getJob', { jobId: watch.value.jobId });
    expect(job).toMatchObject({ ok: true, value: { state: 'cancelled' } });
  });

  it('keeps the ports while another socket of the same page is open, and never touches other pages', async () => {
    const pty = await setup();
    const other = await createPtyPair();
    pairs.push(other);
    const first = await pageSocket('page-aaaaaaaaaaaa');
    const second = await pageSocket('page-aaaaaaaaaaaa');
    const neighbour = await pageSocket('page-bbbbbbbbbbbb');
    expect((await call('openTerminal', { path: pty.a }, 'page-aaaaaaaaaaaa')).ok).toBe(true);
    expect((await call('openTerminal', { path: other.a }, 'page-bbbbbbbbbbbb')).ok).toBe(true);
    await waitUntil(() => holdsOpen(pty.a) && holdsOpen(other.a), 'both ports are open');

    first.close();
    await new Promise((r) => first.once('close', r));
    // The page still has a socket: the port stays open (checked after the close was handled).
    await new Promise((r) => setTimeout(r, 300));
    expect(holdsOpen(pty.a)).toBe(true);
    second.close();
    await waitUntil(() => !holdsOpen(pty.a), "the page's port is released");
    expect(holdsOpen(other.a)).toBe(true);
    neighbour.close();
    await waitUntil(() => !holdsOpen(other.a), "the neighbour's port is released");
  });

  it('a page that closed its terminal itself leaves nothing to release', async () => {
    const pty = await setup();
    const socket = await pageSocket('page-cccccccccccc');
    const opened = await call<{ sessionId: string }>('openTerminal', { path: pty.a }, 'page-cccccccccccc');
    if (!opened.ok) throw new Error(opened.error.message);
    await call('closeTerminal', { sessionId: opened.value.sessionId }, 'page-cccccccccccc');
    await waitUntil(() => !holdsOpen(pty.a), 'the port is closed');
    // Reopen from another page: the first page going away must not close the second page's session.
    const reopened = await call<{ sessionId: string }>('openTerminal', { path: pty.a }, 'page-dddddddddddd');
    expect(reopened.ok).toBe(true);
    socket.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(holdsOpen(pty.a)).toBe(true);
  });
});
