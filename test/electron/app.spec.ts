/**
 * The Electron shell itself, launched for real: the preload's API, the app:// protocol and its CSP,
 * the IPC sender check and the safeStorage path for secrets. Runs only where Electron's binary exists
 * (`npm run test:electron`); the same renderer is covered in Chromium by test/e2e through the bridge.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let app: ElectronApplication;
let page: Page;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineside-electron-'));
  app = await electron.launch({
    args: [path.join(root, 'dist', 'electron', 'main.cjs')],
    cwd: root,
    env: { ...process.env, LINESIDE_DATA_DIR: dataDir },
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the window loads the renderer from app://lineside with the strict CSP', async () => {
  expect(page.url()).toMatch(/^app:\/\/lineside\//);
  const csp = await page.evaluate(async () =>
    (await fetch((globalThis as unknown as { location: { href: string } }).location.href)).headers.get(
      'content-security-policy',
    ),
  );
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("object-src 'none'");
  // A path outside the renderer folder is not served.
  const outside = await page.evaluate(async () => (await fetch('app://lineside/../package.json')).status);
  expect(outside).not.toBe(200);
});

test('the preload exposes the contract and nothing that reaches Node', async () => {
  const shape = await page.evaluate(() => {
    const api = (globalThis as unknown as { lineside: Record<string, Record<string, unknown>> }).lineside;
    // One object per namespace, each holding that namespace's operations.
    const functions = Object.values(api).flatMap((ns) =>
      typeof ns === 'object' ? Object.values(ns).filter((f) => typeof f === 'function') : [],
    );
    return {
      functions: functions.length,
      hasRequire: typeof (globalThis as unknown as { require?: unknown }).require,
      hasProcess: typeof (globalThis as unknown as { process?: unknown }).process,
    };
  });
  expect(shape.functions).toBeGreaterThan(20);
  expect(shape.hasRequire).toBe('undefined');
  expect(shape.hasProcess).toBe('undefined');
  const info = await page.evaluate(() =>
    (globalThis as unknown as { lineside: { app: { getInfo(): Promise<unknown> } } }).lineside.app.getInfo(),
  );
  expect(info).toMatchObject({ ok: true, value: { transport: 'electron' } });
});

test('a window that is not the app cannot call the station', async () => {
  const answer = await app.evaluate(
    async ({ BrowserWindow }, preload) => {
      const stranger = new BrowserWindow({
        show: false,
        webPreferences: { preload, contextIsolation: true, sandbox: true },
      });
      await stranger.loadURL('data:text/html,<p>not the app</p>');
      const result: unknown = await stranger.webContents.executeJavaScript(
        '(window.lineside ? window.lineside.app.getInfo() : Promise.resolve("no api"))',
      );
      stranger.destroy();
      return result;
    },
    path.join(root, 'dist', 'electron', 'preload.cjs'),
  );
  expect(answer).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
});

test('a product token is sealed by safeStorage when the OS has a keyring, else by the 0600 key file', async () => {
  const token = '01H4R15D3478JD26YDYK408XE6';
  const stored = await page.evaluate(
    (t) =>
      (
        globalThis as unknown as { lineside: { cloud: { storeProductToken(r: unknown): Promise<unknown> } } }
      ).lineside.cloud.storeProductToken({ label: 'Electron test', token: t }),
    token,
  );
  expect(stored).toMatchObject({ ok: true });
  const safe = await app.evaluate(({ safeStorage }) => ({
    available: safeStorage.isEncryptionAvailable(),
    backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os',
  }));
  const files = fs.readdirSync(dataDir).filter((f) => f.startsWith('lineside.db'));
  const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dataDir, f))));
  expect(bytes.includes(Buffer.from(token))).toBe(false);
  const sealedByOs = safe.available && safe.backend !== 'basic_text';
  expect(bytes.includes(Buffer.from('electron-safe-storage'))).toBe(sealedByOs);
});
