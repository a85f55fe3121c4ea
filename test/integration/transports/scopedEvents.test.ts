/**
 * Scoped events and cancellation over the real bridge: real HTTP and WebSocket sockets, socat pty
 * pairs as serial ports, one real SQLite station. Each "page" is a client id with its own event
 * socket, as the renderer's bridge client makes them.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventName, Result } from '../../../electron/shared/contract';
import { startBridge, type Bridge } from '../../../electron/bridge/server';
import { holdsOpen, waitUntil } from '../../support/openFiles';
import { createPtyPair, type PtyPair } from '../../support/ptyPair';
import { createTestStation, type TestStation } from '../../support/station';

let station: TestStation;
let bridge: Bridge;
const pairs: PtyPair[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await bridge?.close();
  station?.cleanup();
  await Promise.all(pairs.splice(0).map((p) => p.stop()));
});

async function setup() {
  station = createTestStation({ transport: 'browser' });
  bridge = await startBridge({ dispatch: station.dispatch, events: station.events });
}

async function pty(): Promise<PtyPair> {
  const pair = await createPtyPair();
  pairs.push(pair);
  return pair;
}

async function post<T>(path: string, body: unknown, client?: string): Promise<Result<T>> {
  const res = await fetch(`${bridge.url}${path}`, {
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

interface Page {
  client: string;
  socket: WebSocket;
  got: { event: EventName; payload: Record<string, unknown> }[];
  of(event: EventName): Record<string, unknown>[];
  call<T>(op: string, body: unknown): Promise<Result<T>>;
}

async function page(client: string): Promise<Page> {
  const socket = new WebSocket(
    `ws://127.0.0.1:${bridge.port}/api/events?token=${bridge.token}&client=${client}`,
    { headers: { origin: bridge.url } },
  );
  sockets.push(socket);
  const got: Page['got'] = [];
  socket.on('message', (data) => got.push(JSON.parse(String(data)) as Page['got'][number]));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    client,
    socket,
    got,
    of: (event) => got.filter((m) => m.event === event).map((m) => m.payload),
    call: (op, body) => post(`/api/${op}`, body, client),
  };
}

function writeDevice(pair: PtyPair, text: string) {
  const fd = fs.openSync(pair.b!, 'w');
  fs.writeSync(fd, text);
  fs.closeSync(fd);
}

describe('scoped events over the bridge', () => {
  it("sends A's terminal bytes only to A, and a broadcast to both", async () => {
    await setup();
    const port = await pty();
    const a = await page('page-aaaaaaaaaaaa');
    const b = await page('page-bbbbbbbbbbbb');
    const opened = await a.call<{ sessionId: string }>('openTerminal', { path: port.a });
    if (!opened.ok) throw new Error(opened.error.message);
    writeDevice(port, 'hello from the unit\n');
    await waitUntil(
      () =>
        a.of('terminalData').some((e) => Buffer.from(String(e.data), 'base64').toString().includes('hello')),
      "A receives its terminal's bytes",
    );
    expect(a.of('terminalData')[0]).toMatchObject({ sessionId: opened.value.sessionId, path: port.a });

    // A broadcast (the engineer's PIN set) reaches both; it was emitted after the terminal bytes,
    // so once B has it, B would have had the bytes too if they had been sent to it.
    expect((await b.call('setEngineerPin', { pin: '482913' })).ok).toBe(true);
    await waitUntil(
      () => a.of('accessChanged').length > 0 && b.of('accessChanged').length > 0,
      'both pages receive the broadcast',
    );
    expect(b.of('terminalData')).toEqual([]);

    // B subscribes to the port: from now on it gets that port's bytes too.
    expect(
      await post(
        '/api/events',
        { subscribe: [{ event: 'terminalData', scope: { path: port.a } }] },
        b.client,
      ),
    ).toMatchObject({ ok: true, value: { keys: [`terminalData:path:${port.a}`] } });
    writeDevice(port, 'second line\n');
    await waitUntil(() => b.of('terminalData').length > 0, 'B receives the port it subscribed to');
    await post(
      '/api/events',
      { unsubscribe: [{ event: 'terminalData', scope: { path: port.a } }] },
      b.client,
    );
    const bBefore = b.of('terminalData').length;
    const aBefore = a.of('terminalData').length;
    writeDevice(port, 'third line\n');
    await waitUntil(() => a.of('terminalData').length > aBefore, 'A still receives its bytes');
    expect((await b.call('setEngineerPin', { currentPin: '482913', pin: '582914' })).ok).toBe(true);
    await waitUntil(() => b.of('accessChanged').length > 1, 'B receives the second broadcast');
    expect(b.of('terminalData')).toHaveLength(bBefore);
  });

  it("sends a job's progress to the page that started it and the page that subscribed, not to a third", async () => {
    await setup();
    const port = await pty();
    const starter = await page('page-cccccccccccc');
    const watcher = await page('page-dddddddddddd');
    const other = await page('page-eeeeeeeeeeee');
    const watch = await starter.call<{ jobId: string }>('watchClaimId', {
      path: port.a,
      timeoutMs: 600_000,
      askAfterMs: 0,
    });
    if (!watch.ok) throw new Error(watch.error.message);
    const jobId = watch.value.jobId;
    expect(
      await post('/api/events', { subscribe: [{ event: 'jobProgress', scope: { jobId } }] }, watcher.client),
    ).toMatchObject({ ok: true });
    await waitUntil(() => holdsOpen(port.a), 'the watched port is open');
    const counted = (p: Page) => p.of('jobProgress').some((r) => r.jobId === jobId && Number(r.done) > 0);
    // Progress is throttled without a trailing report: the board keeps talking until it is counted.
    const deadline = Date.now() + 15_000;
    while (!(counted(starter) && counted(watcher)) && Date.now() < deadline) {
      writeDevice(port, 'booting...\n');
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(counted(starter) && counted(watcher)).toBe(true);
    // The job ends (cancelled from the starter): its last report reaches both, and after it a broadcast.
    expect((await starter.call('cancelJob', { jobId })).ok).toBe(true);
    const ended = (p: Page) => p.of('jobProgress').some((r) => r.jobId === jobId && r.state === 'cancelled');
    await waitUntil(() => ended(starter) && ended(watcher), 'both see the job end');
    expect((await other.call('setEngineerPin', { pin: '719346' })).ok).toBe(true);
    await waitUntil(() => other.of('accessChanged').length > 0, 'the third page receives broadcasts');
    expect(other.of('jobProgress')).toEqual([]);
  });

  it('refuses a subscription without a page id or with an unknown scope', async () => {
    await setup();
    expect(
      await post('/api/events', { subscribe: [{ event: 'jobProgress', scope: { jobId: 'J' } }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(
      await post('/api/events', { subscribe: [{ event: 'portsChanged', scope: {} }] }, 'page-ffffffffffff'),
    ).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});

describe('a page that goes away cancels its waiting calls', () => {
  it('closing the socket answers its waiting read with cancelled at once and frees the port', async () => {
    await setup();
    // Nothing answers on the device side: the read would wait for a shell prompt for a minute.
    const port = await pty();
    const a = await page('page-gggggggggggg');
    const b = await page('page-hhhhhhhhhhhh');
    const waiting = a.call('readUnitIdentity', { path: port.a, transport: 'shell', timeoutMs: 60_000 });
    await waitUntil(() => holdsOpen(port.a), 'the read opened the port');
    const closedAt = Date.now();
    a.socket.close();
    const answer = await waiting;
    const tookMs = Date.now() - closedAt;
    expect(answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    if (!answer.ok) expect(answer.error.message).toMatch(/closed/);
    // Promptly: well inside the minute the read would have waited (generous for a loaded machine).
    expect(tookMs).toBeLessThan(10_000);
    await waitUntil(() => !holdsOpen(port.a), 'the port is released');
    // The other page was not touched, and can open the port now.
    const opened = await b.call<{ sessionId: string }>('openTerminal', { path: port.a });
    expect(opened.ok).toBe(true);
  });

  it('a page that comes back after going away starts with a clean signal', async () => {
    await setup();
    const a = await page('page-iiiiiiiiiiii');
    a.socket.close();
    await waitUntil(() => a.socket.readyState === WebSocket.CLOSED, 'the socket closed');
    const again = await page('page-iiiiiiiiiiii');
    // Not cancelled: the new socket's calls run.
    expect(await again.call('listUnits', { limit: 1 })).toMatchObject({ ok: true });
  });
});
