/**
 * The Electron shell without the Electron binary: each main-process module takes the Electron
 * objects as arguments, so these tests hand in stand-ins at that import boundary.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { channels, operationNames } from '../../../electron/shared/contract';
import { bindIpc, isTrustedSender, windowClient } from '../../../electron/main/ipc';
import { createClientHandles } from '../../../electron/core/clientHandles';
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

  it('binds exactly the contract channels', () => {
    const { handlers } = bind();
    expect([...handlers.keys()].sort()).toEqual(Object.values(channels).sort());
    expect(handlers.size).toBe(operationNames.length);
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
    const handles = createClientHandles(dispatch);
    bindIpc(
      { handle: (ch: string, h: Handler) => handlers.set(ch, h), removeHandler: vi.fn() } as never,
      dispatch,
      vi.fn(),
      handles,
    );
    const window7 = { sender: { id: 7, mainFrame }, senderFrame: mainFrame };
    await handlers.get('serial:open-terminal')?.(window7, { path: '/dev/ttyUSB0' });
    expect(handles.held(windowClient(7))).toBe(1);
    expect(handles.held(windowClient(8))).toBe(0);
    dispatch.mockClear();
    expect(await handles.release(windowClient(7))).toBe(1);
    expect(dispatch).toHaveBeenCalledWith('closeTerminal', { sessionId: 'term-1' });
    expect(handles.held(windowClient(7))).toBe(0);
  });
});
