/**
 * One contract, three transports: the same operation through the dispatcher directly, Electron IPC
 * (main's real binding, with a stand-in ipcMain), the loopback bridge over real HTTP, and the CLI in
 * a child process, all against one real SQLite store, must give the same Result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Result } from '../../../electron/shared/contract';
import { startBridge, type Bridge } from '../../../electron/bridge/server';
import { bindIpc } from '../../../electron/main/ipc';
import { runCli } from '../../support/cli';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';

let station: TestStation;
let bridge: Bridge;
const ipcHandlers = new Map<string, (event: unknown, arg: unknown) => Promise<Result<unknown>>>();
const appFrame = { url: 'app://lineside/index.html' };

beforeAll(async () => {
  station = createTestStation();
  seedUnits(station, ['M72DANY8BZ', 'M72DANY8C0', 'M73X000001', 'Q0000000AA']);
  bridge = await startBridge({ dispatch: station.dispatch, events: station.events });
  bindIpc(
    { handle: (ch: string, h: never) => ipcHandlers.set(ch, h), removeHandler: () => undefined } as never,
    station.dispatch,
  );
});
afterAll(async () => {
  await bridge.close();
  station.cleanup();
});

const viaDirect = (op: string, arg: unknown) => station.dispatch(op, arg);
const viaIpc = (op: string, arg: unknown) => {
  const channel = { listUnits: 'units:list', getUnit: 'units:get' }[op]!;
  return ipcHandlers.get(channel)!({ sender: { mainFrame: appFrame }, senderFrame: appFrame }, arg);
};
const viaBridge = async (op: string, arg: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${bridge.url}/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}`, ...headers },
    body: JSON.stringify(arg),
  });
  return (await res.json()) as Result<unknown>;
};
const viaCli = async (op: string, arg: unknown) => {
  const out = await runCli(['call', op, JSON.stringify(arg), '--data-dir', station.dataDir]);
  return JSON.parse(out.stdout) as Result<unknown>;
};
const transports = { direct: viaDirect, ipc: viaIpc, bridge: viaBridge, cli: viaCli };

describe('the same operation through every transport', () => {
  it('lists units by prefix identically', async () => {
    const arg = { prefix: 'm72d', limit: 10 };
    const results = await Promise.all(Object.values(transports).map((t) => t('listUnits', arg)));
    expect(results[0]).toMatchObject({ ok: true, value: { total: 2 } });
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it('finds a unit with its history identically', async () => {
    const results = await Promise.all(
      Object.values(transports).map((t) => t('getUnit', { claimId: 'M73X000001' })),
    );
    expect(results[0]).toMatchObject({
      ok: true,
      value: { unit: { claimId: 'M73X000001' }, events: [{ kind: 'unit.seeded' }] },
    });
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it('answers a malformed argument with a validation error naming the field, not a crash', async () => {
    for (const [name, t] of Object.entries(transports)) {
      const r = await t('listUnits', { limit: -3 });
      expect(r, name).toMatchObject({ ok: false, error: { code: 'validation', field: 'limit' } });
      const missing = await t('getUnit', {});
      expect(missing, name).toMatchObject({ ok: false, error: { code: 'validation', field: 'claimId' } });
    }
  });

  it('gives scripts a distinct exit code per kind of failure', async () => {
    const notFound = await runCli(['units', 'get', 'NOSUCHUNIT', '--data-dir', station.dataDir]);
    expect(notFound.code).toBe(4);
    expect(notFound.stderr).toContain('No unit with claim ID NOSUCHUNIT');
    const invalid = await runCli(['call', 'listUnits', '{"limit":0}', '--data-dir', station.dataDir]);
    expect(invalid.code).toBe(3);
    const usage = await runCli(['units', 'list', '--bogus', '--data-dir', station.dataDir]);
    expect(usage.code).toBe(2);
    const ok = await runCli(['units', 'list', '--prefix', 'Q', '--json', '--data-dir', station.dataDir]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, value: { items: [{ claimId: 'Q0000000AA' }] } });
  });
});

describe('bridge guards', () => {
  it('answers 401 without its token, or with a wrong one', async () => {
    const none = await fetch(`${bridge.url}/api/listUnits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    const wrong = await fetch(`${bridge.url}/api/listUnits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
  });

  it('refuses a wrong token of the same length, differing anywhere (first, middle or last character)', async () => {
    const t = bridge.token;
    const flip = (i: number) => t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
    for (const forged of [
      flip(0),
      flip(Math.floor(t.length / 2)),
      flip(t.length - 1),
      'x'.repeat(t.length),
    ]) {
      expect(forged).toHaveLength(t.length);
      expect(forged).not.toBe(t);
      const api = await fetch(`${bridge.url}/api/listUnits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` },
        body: '{}',
      });
      expect(api.status, forged).toBe(401);
      const ws = new WebSocket(`${bridge.url.replace('http', 'ws')}/api/events?token=${forged}`);
      await expect(
        new Promise((resolve, reject) => {
          ws.on('open', resolve);
          ws.on('error', reject);
        }),
      ).rejects.toThrow(/401/);
    }
    // ...while the real one, sent the same way, is accepted.
    const right = await fetch(`${bridge.url}/api/listUnits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
      body: '{}',
    });
    expect(right.status).toBe(200);
  });

  it('refuses a cross-origin request even with the token', async () => {
    const res = await fetch(`${bridge.url}/api/listUnits`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${bridge.token}`,
        origin: 'https://evil.example.com',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(await viaBridge('listUnits', {}, { origin: bridge.url })).toMatchObject({ ok: true });
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = http.request(`${bridge.url}/api/listUnits`, {
        method: 'POST',
        headers: {
          host: 'attacker.example.com',
          'content-type': 'application/json',
          authorization: `Bearer ${bridge.token}`,
        },
      });
      req.on('response', (r) => resolve(r.statusCode ?? 0));
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('binds to loopback by default', () => {
    expect(bridge.host).toBe('127.0.0.1');
  });

  it('pushes service events over the WebSocket only with the token', async () => {
    const refused = new WebSocket(`${bridge.url.replace('http', 'ws')}/api/events`);
    await expect(
      new Promise((resolve, reject) => {
        refused.on('open', resolve);
        refused.on('error', reject);
      }),
    ).rejects.toThrow(/401/);

    const ws = new WebSocket(`${bridge.url.replace('http', 'ws')}/api/events?token=${bridge.token}`);
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<unknown>((r) => ws.on('message', (m) => r(JSON.parse(String(m)))));
    station.events.emit('unitsChanged', { claimIds: ['M72DANY8BZ'] });
    expect(await got).toEqual({ event: 'unitsChanged', payload: { claimIds: ['M72DANY8BZ'] } });
    ws.close();
  });
});

describe('bridge shutdown', () => {
  it('closes promptly while a client is in the middle of a request', async () => {
    const other = await startBridge({ dispatch: station.dispatch, events: station.events });
    const http = await import('node:http');
    const req = http.request(`${other.url}/api/listUnits`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${other.token}`,
        'content-length': '100',
      },
    });
    req.on('error', () => undefined);
    req.write('{"pre'); // the body never finishes: the connection stays busy
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    req.destroy();
  });
});
