/**
 * The Electron shell without the Electron binary: each main-process module takes the Electron
 * objects as arguments, so these tests hand in stand-ins at that import boundary.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  channels,
  eventChannels,
  operationNames,
  subscriptionChannel,
} from '../../../electron/shared/contract';
import {
  bindIpc,
  forwardEvents,
  isTrustedSender,
  releaseWithPage,
  windowClient,
} from '../../../electron/main/ipc';
import { createClients } from '../../../electron/core/clients';
import { createEventBus } from '../../../electron/core/eventBus';
import {
  claimPageAllow,
  denyPermissions,
  hardenApp,
  hardenWebContents,
} from '../../../electron/main/security';
import { createMainWindow, mainWindowOptions } from '../../../electron/main/window';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
}

function navigationEvent() {
  return { preventDefault: vi.fn() };
}

describe('main window', () => {
  it('is created with the full security checklist', () => {
    const options = mainWindowOptions('/app/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      preload: '/app/preload.cjs',
    });
  });

  it('loads the renderer from the app:// origin, not a file path', () => {
    const created: { options: unknown; url: string }[] = [];
    class FakeWindow extends EventEmitter {
      constructor(public options: unknown) {
        super();
      }
      loadURL(url: string) {
        created.push({ options: this.options, url });
        return Promise.resolve();
      }
      show() {}
    }
    createMainWindow(FakeWindow as never, '/p.cjs');
    expect(created[0]?.url).toBe('app://lineside/index.html');
  });
});

describe('web contents', () => {
  it('denies navigation away from the app and every new window', () => {
    const contents = new FakeContents();
    const shell = { openExternal: vi.fn(() => Promise.resolve()) };
    hardenWebContents(
      contents as never,
      shell,
      claimPageAllow(() => 'https://manager.example.com/claim?id={claimId}'),
    );

    const away = navigationEvent();
    contents.emit('will-navigate', away, 'https://evil.example.com/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = navigationEvent();
    contents.emit('will-navigate', inside, 'app://lineside/index.html#/devices');
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const fileNav = navigationEvent();
    contents.emit('will-navigate', fileNav, 'file:///etc/passwd');
    expect(fileNav.preventDefault).toHaveBeenCalled();
    const webview = navigationEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();

    expect(contents.openHandler?.({ url: 'https://manager.example.com/claim?id=X' })).toEqual({
      action: 'deny',
    });
    expect(shell.openExternal).toHaveBeenCalledWith('https://manager.example.com/claim?id=X');
    for (const url of [
      'http://plain.example.com/',
      'javascript:alert(1)',
      'http://manager.example.com/claim?id=X', // the claim page, but not over https
      'https://evil.example.com/claim?id=X', // another host
      'https://manager.example.com.evil.example/claim?id=X',
      'https://manager.example.com/logout', // the right host, another page
      'https://user:pw@manager.example.com/claim?id=X',
      'file:///etc/passwd',
    ])
      expect(contents.openHandler?.({ url }), url).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('hardens every web contents the app creates', () => {
    const app = new EventEmitter();
    hardenApp(app as never, { openExternal: vi.fn() }, () => false);
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.openHandler).not.toBeNull();
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });

  it('denies every permission request and check', () => {
    let request: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyPermissions({
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'serial', 'usb', 'hid']) {
      const cb = vi.fn();
      request?.({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(check?.()).toBe(false);
  });
});

describe('IPC binding', () => {
  function bind() {
    const handlers = new Map<string, Handler>();
    const dispatch = vi.fn(async (op: string, arg: unknown) => ({ ok: true as const, value: { op, arg } }));
    const refused: { channel: string; url: string | null }[] = [];
    bindIpc(
      { handle: (ch: string, h: Handler) => handlers.set(ch, h), removeHandler: vi.fn() } as never,
      dispatch,
      (r) => refused.push(r),
    );
    return { handlers, dispatch, refused };
  }
  const mainFrame = { url: 'app://lineside/index.html' };
  const trusted = { sender: { mainFrame }, senderFrame: mainFrame };

  it('binds exactly the contract channels and the one subscription channel', () => {
    const { handlers } = bind();
    expect([...handlers.keys()].sort()).toEqual([...Object.values(channels), subscriptionChannel].sort());
    expect(handlers.size).toBe(operationNames.length + 1);
  });

  it('passes calls from the app frame to the dispatcher', async () => {
    const { handlers, dispatch } = bind();
    const result = await handlers.get('units:list')?.(trusted, { prefix: 'AB' });
    expect(dispatch).toHaveBeenCalledWith('listUnits', { prefix: 'AB' });
    expect(result).toMatchObject({ ok: true });
  });

  it('rejects an unknown sender frame without dispatching, and logs each refusal', async () => {
    const { handlers, dispatch, refused } = bind();
    const evilFrame = { url: 'https://evil.example.com/' };
    const childFrame = { url: 'app://lineside/index.html' };
    for (const event of [
      { sender: { mainFrame: evilFrame }, senderFrame: evilFrame },
      { sender: { mainFrame }, senderFrame: childFrame },
      { sender: { mainFrame }, senderFrame: null },
      {
        sender: { mainFrame: { url: 'file:///app/index.html' } },
        senderFrame: { url: 'file:///app/index.html' },
      },
    ]) {
      expect(isTrustedSender(event as never)).toBe(false);
      const result = await handlers.get('units:list')?.(event, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
    expect(refused).toEqual([
      { channel: 'units:list', url: 'https://evil.example.com/' },
      { channel: 'units:list', url: 'app://lineside/index.html' },
      { channel: 'units:list', url: null },
      { channel: 'units:list', url: 'file:///app/index.html' },
    ]);
    const evil = { sender: { id: 3, mainFrame: evilFrame }, senderFrame: evilFrame };
    const change = { subscribe: [{ event: 'jobProgress', scope: { jobId: 'J1' } }] };
    expect(await handlers.get(subscriptionChannel)?.(evil, change)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(refused.at(-1)).toEqual({ channel: subscriptionChannel, url: 'https://evil.example.com/' });
  });

  it("remembers the terminal a window opened and closes it when that window's handles are released", async () => {
    const handlers = new Map<string, Handler>();
    const dispatch = vi.fn(async (op: string, arg: unknown) =>
      op === 'openTerminal'
        ? {
            ok: true as const,
            value: { sessionId: 'term-1', path: '/dev/ttyUSB0', baudRate: 115200, logPath: null },
          }
        : { ok: true as const, value: { op, arg } },
    );
    const clients = createClients(dispatch);
    bindIpc(
      { handle: (ch: string, h: Handler) => handlers.set(ch, h), removeHandler: vi.fn() } as never,
      dispatch,
      vi.fn(),
      clients,
    );
    const window7 = { sender: { id: 7, mainFrame }, senderFrame: mainFrame };
    await handlers.get('serial:open-terminal')?.(window7, { path: '/dev/ttyUSB0' });
    expect(clients.handles.held(windowClient(7))).toBe(1);
    expect(clients.handles.held(windowClient(8))).toBe(0);
    // Its call carried the window's signal, which aborts when the window goes.
    const signal = (dispatch.mock.calls[0] as unknown[])[2] as { signal: AbortSignal };
    expect(signal.signal.aborted).toBe(false);
    dispatch.mockClear();
    expect(await clients.release(windowClient(7))).toBe(1);
    expect(signal.signal.aborted).toBe(true);
    expect(dispatch).toHaveBeenCalledWith('closeTerminal', { sessionId: 'term-1' });
    expect(clients.handles.held(windowClient(7))).toBe(0);
  });
});

describe('a window page as a client', () => {
  it('is released when the window goes, its renderer dies, or its main frame loads a new page', () => {
    const release = vi.fn(async () => 0);
    const contents = Object.assign(new EventEmitter(), { id: 5 });
    releaseWithPage(contents as never, { release });
    contents.emit('did-start-navigation', { isMainFrame: false, isSameDocument: false });
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    expect(release).not.toHaveBeenCalled();
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    contents.emit('render-process-gone', {}, { reason: 'crashed' });
    contents.emit('destroyed');
    expect(release.mock.calls).toEqual([[windowClient(5)], [windowClient(5)], [windowClient(5)]]);
  });
});

describe('events to windows', () => {
  class FakeWindow {
    sent: { channel: string; payload: unknown }[] = [];
    destroyed = false;
    constructor(readonly id: number) {}
    send(channel: string, payload: unknown) {
      this.sent.push({ channel, payload });
    }
    isDestroyed() {
      return this.destroyed;
    }
    of(channel: string) {
      return this.sent.filter((m) => m.channel === channel).map((m) => m.payload);
    }
  }
  const mainFrame = { url: 'app://lineside/index.html' };

  function setup() {
    const handlers = new Map<string, Handler>();
    const dispatch = vi.fn(async (op: string) =>
      op === 'openTerminal'
        ? {
            ok: true as const,
            value: { sessionId: 'S-A', path: '/dev/pts/7', baudRate: 115200, logPath: null },
          }
        : op === 'printOrderLabels'
          ? { ok: true as const, value: { jobId: 'JOB-A' } }
          : { ok: true as const, value: null },
    );
    const clients = createClients(dispatch);
    bindIpc(
      { handle: (ch: string, h: Handler) => handlers.set(ch, h), removeHandler: vi.fn() } as never,
      dispatch,
      vi.fn(),
      clients,
    );
    const bus = createEventBus();
    const a = new FakeWindow(1);
    const b = new FakeWindow(2);
    forwardEvents(bus, () => [a, b], clients);
    const from = (w: FakeWindow) => ({ sender: { id: w.id, mainFrame }, senderFrame: mainFrame });
    return { handlers, clients, bus, a, b, from };
  }

  it("sends a window's terminal bytes and job progress only to it, and broadcast events to both", async () => {
    const { handlers, bus, a, b, from } = setup();
    await handlers.get('serial:open-terminal')?.(from(a), { path: '/dev/pts/7' });
    await handlers.get('labels:print-order')?.(from(a), { orderId: 'WO-1' });
    bus.emit('terminalData', { sessionId: 'S-A', path: '/dev/pts/7', data: 'aGk=' });
    bus.emit('jobProgress', { jobId: 'JOB-A', state: 'running', done: 1 } as never);
    bus.emit('stationSlot', { slot: 1 } as never);
    bus.emit('unitsChanged', { claimIds: ['M72DANY8BZ'] });
    expect(a.of(eventChannels.terminalData)).toEqual([
      { sessionId: 'S-A', path: '/dev/pts/7', data: 'aGk=' },
    ]);
    expect(a.of(eventChannels.jobProgress)).toHaveLength(1);
    expect(b.of(eventChannels.terminalData)).toEqual([]);
    expect(b.of(eventChannels.jobProgress)).toEqual([]);
    // Nobody asked for slot cards.
    expect(a.of(eventChannels.stationSlot)).toEqual([]);
    expect(b.of(eventChannels.stationSlot)).toEqual([]);
    for (const w of [a, b]) expect(w.of(eventChannels.unitsChanged)).toEqual([{ claimIds: ['M72DANY8BZ'] }]);
  });

  it("sends slot cards and another window's terminal to a window that subscribed, until it unsubscribes or goes", async () => {
    const { handlers, clients, bus, a, b, from } = setup();
    const sub = (w: FakeWindow, change: unknown) => handlers.get(subscriptionChannel)?.(from(w), change);
    expect(await sub(b, { subscribe: [{ event: 'stationSlot', scope: { slot: 2 } }] })).toMatchObject({
      ok: true,
    });
    await sub(b, { subscribe: [{ event: 'terminalData', scope: { path: '/dev/pts/7' } }] });
    await sub(a, { subscribe: [{ event: 'stationSlot', scope: { allSlots: true } }] });
    bus.emit('stationSlot', { slot: 1 } as never);
    bus.emit('stationSlot', { slot: 2 } as never);
    bus.emit('terminalData', { sessionId: 'S-X', path: '/dev/pts/7', data: '' });
    bus.emit('terminalData', { sessionId: 'S-Y', path: '/dev/pts/8', data: '' });
    expect(a.of(eventChannels.stationSlot)).toEqual([{ slot: 1 }, { slot: 2 }]);
    expect(b.of(eventChannels.stationSlot)).toEqual([{ slot: 2 }]);
    expect(b.of(eventChannels.terminalData)).toEqual([{ sessionId: 'S-X', path: '/dev/pts/7', data: '' }]);
    expect(a.of(eventChannels.terminalData)).toEqual([]);

    await sub(b, { unsubscribe: [{ event: 'stationSlot', scope: { slot: 2 } }] });
    bus.emit('stationSlot', { slot: 2 } as never);
    expect(b.of(eventChannels.stationSlot)).toHaveLength(1);
    expect(a.of(eventChannels.stationSlot)).toHaveLength(3);
    await clients.release(windowClient(a.id));
    bus.emit('stationSlot', { slot: 3 } as never);
    expect(a.of(eventChannels.stationSlot)).toHaveLength(3);

    expect(await sub(a, { subscribe: [{ event: 'unitsChanged', scope: {} }] })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    a.destroyed = true;
    bus.emit('unitsChanged', { claimIds: [] });
    expect(a.of(eventChannels.unitsChanged)).toEqual([]);
    expect(b.of(eventChannels.unitsChanged)).toHaveLength(1);
  });
});
