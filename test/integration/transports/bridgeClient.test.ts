/**
 * The renderer's bridge client (the code a browser page runs) against the real bridge, over real
 * HTTP and WebSocket sockets and a socat pty. Node has no browser WebSocket here, so `ws` stands in
 * for it (sending the Origin a browser would); everything else is the page's own code.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import type { LinesideClient, TerminalDataEvent } from '../../../electron/shared/contract';
import { startBridge, type Bridge } from '../../../electron/bridge/server';
import { waitUntil } from '../../support/openFiles';
import { createPtyPair, type PtyPair } from '../../support/ptyPair';
import { createTestStation, type TestStation } from '../../support/station';

let station: TestStation;
let bridge: Bridge;
let port: PtyPair;
let createBridgeClient: (token: string, base?: string) => LinesideClient;
const opened: WS[] = [];

beforeAll(async () => {
  station = createTestStation({ transport: 'browser' });
  bridge = await startBridge({ dispatch: station.dispatch, events: station.events });
  port = await createPtyPair();
  const origin = bridge.url;
  class BrowserLikeSocket extends WS {
    constructor(url: string | URL) {
      super(url, { headers: { origin } });
      opened.push(this);
    }
  }
  const g = globalThis as unknown as Record<string, unknown>;
  g.WebSocket = BrowserLikeSocket;
  g.window = { location: { href: `${bridge.url}/` } };
  // The renderer's file is typechecked by the renderer project (DOM types): imported by name here.
  const file = '../../../renderer/src/api/bridgeClient';
  ({ createBridgeClient } = (await import(/* @vite-ignore */ file)) as {
    createBridgeClient: typeof createBridgeClient;
  });
});
afterAll(async () => {
  for (const s of opened) s.terminate();
  await bridge?.close();
  station?.cleanup();
  await port?.stop();
});

function writeDevice(text: string) {
  const fd = fs.openSync(port.b!, 'w');
  fs.writeSync(fd, text);
  fs.closeSync(fd);
}
const text = (events: TerminalDataEvent[]) =>
  events.map((e) => Buffer.from(e.data, 'base64').toString('utf8')).join('');

describe('the bridge client a page runs', () => {
  it('calls namespaced methods, gets its own terminal, and another page only what it subscribes to', async () => {
    const a = createBridgeClient(bridge.token, bridge.url);
    const b = createBridgeClient(bridge.token, bridge.url);
    const gotA: TerminalDataEvent[] = [];
    const gotB: TerminalDataEvent[] = [];
    const offA = a.on('terminalData', (e) => gotA.push(e));
    const offB = b.on('terminalData', (e) => gotB.push(e));
    const access: string[] = [];
    b.on('accessChanged', () => access.push('b'));
    await waitUntil(
      () => opened.length >= 2 && opened.every((s) => s.readyState === WS.OPEN),
      'both sockets open',
    );

    const session = await a.serial.openTerminal({ path: port.a });
    if (!session.ok) throw new Error(session.error.message);
    writeDevice('one\n');
    await waitUntil(() => text(gotA).includes('one'), 'page A receives its terminal');
    expect((await b.access.setEngineerPin({ pin: '364812' })).ok).toBe(true);
    await waitUntil(() => access.length > 0, 'page B receives a broadcast sent after the bytes');
    expect(gotB).toEqual([]);

    // B asks for the port: its next call waits for the subscription, so nothing after it is missed.
    const offPort = b.on('terminalData', (e) => gotB.push(e), { path: port.a });
    expect((await b.units.list({ limit: 1 })).ok).toBe(true);
    writeDevice('two\n');
    await waitUntil(() => text(gotB).includes('two'), 'page B receives the port it subscribed to');
    // Both of B's listeners see it (the unscoped one receives what the page receives).
    expect(
      gotB.filter((e) => Buffer.from(e.data, 'base64').toString().includes('two')).length,
    ).toBeGreaterThan(1);

    // B's socket drops: the bridge forgets B's subscriptions, and B asks again once it is back.
    opened[1]!.terminate();
    await waitUntil(() => opened.length === 3 && opened[2]!.readyState === WS.OPEN, "B's socket is back");
    const seen = gotB.length;
    const deadline = Date.now() + 15_000;
    // The resubscription is on its way as the socket opens: the unit keeps talking until B hears it.
    while (!text(gotB.slice(seen)).includes('again') && Date.now() < deadline) {
      writeDevice('again\n');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(text(gotB.slice(seen))).toContain('again');

    offPort();
    expect((await b.units.list({ limit: 1 })).ok).toBe(true);
    const before = gotB.length;
    writeDevice('three\n');
    await waitUntil(() => text(gotA).includes('three'), 'page A still receives its terminal');
    expect((await b.access.setEngineerPin({ currentPin: '364812', pin: '464813' })).ok).toBe(true);
    await waitUntil(() => access.length > 1, 'page B receives the next broadcast');
    expect(gotB).toHaveLength(before);
    offA();
    offB();
  });
});
