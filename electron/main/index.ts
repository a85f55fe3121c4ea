/**
 * The Electron shell's composition root: a short list of ordered calls. All domain work is in
 * electron/core; this file only wires it to Electron. Built by scripts/build-electron.js.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { createServices } from '../core/services';
import { createClients } from '../core/clients';
import { bindIpc, forwardEvents, logRefusedSender, releaseWithPage } from './ipc';
import { createElectronLabelPrinter } from './labelPrint';
import { createSafeStorageVault } from './passphraseVault';
import { registerScheme, serveRenderer } from './protocol';
import { safeStorageProtector } from './safeStorage';
import { claimPageAllow, denyPermissions, hardenApp } from './security';
import { defaultClaimUrlTemplate } from '../core/evaluator/claimWatch';
import { readClaimUrlTemplate } from '../core/evaluator/claimUrl';
import { createMainWindow } from './window';

if (!app.requestSingleInstanceLock()) app.exit(0);
registerScheme(protocol);
// The claim page of the configured cloud, read when a link is opened (the setting may change).
let claimUrlTemplate = () => defaultClaimUrlTemplate;
hardenApp(
  app,
  shell,
  claimPageAllow(() => claimUrlTemplate()),
);

void app.whenReady().then(() => {
  denyPermissions(session.defaultSession);
  serveRenderer(protocol, path.join(app.getAppPath(), 'dist', 'renderer'));
  const dataDir = process.env.LINESIDE_DATA_DIR ?? app.getPath('userData');
  const handle = createServices({
    factoryProfilesDir: path.join(app.getAppPath(), 'factory-profiles'),
    resourcesDir: path.join(app.getAppPath(), 'resources'),
    systemPrint: createElectronLabelPrinter(BrowserWindow),
    dataDir,
    passphraseVault: createSafeStorageVault(safeStorage, path.join(dataDir, 'ca-passphrase.safe')),
    runtime: {
      transport: 'electron',
      appVersion: app.getVersion(),
      electronVersion: process.versions.electron ?? null,
      chromeVersion: process.versions.chrome ?? null,
    },
    secretsProtector: safeStorageProtector(safeStorage, process.platform) ?? undefined,
    cloud: { autoStart: true },
    line: { autoStart: true },
  });
  claimUrlTemplate = () => readClaimUrlTemplate(handle.store);
  // A window that closes cancels its waiting calls, releases the ports and watchers its pages
  // opened and drops its event subscriptions.
  const clients = createClients(handle.dispatch);
  app.on('web-contents-created', (_event, contents) => releaseWithPage(contents, clients));
  bindIpc(ipcMain, handle.dispatch, logRefusedSender, clients);
  forwardEvents(handle.events, () => BrowserWindow.getAllWindows().map((w) => w.webContents), clients);
  let win = createMainWindow(BrowserWindow, path.join(__dirname, 'preload.cjs'));
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0)
      win = createMainWindow(BrowserWindow, path.join(__dirname, 'preload.cjs'));
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => handle.close());
});
