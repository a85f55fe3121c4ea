import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { APP_ORIGIN, SECURE_WEB_PREFERENCES } from './security';

export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    title: 'Lineside',
    backgroundColor: '#0f1419',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload },
  };
}

export function createMainWindow(
  Window: new (options: BrowserWindowConstructorOptions) => BrowserWindow,
  preload: string,
): BrowserWindow {
  const win = new Window(mainWindowOptions(preload));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
