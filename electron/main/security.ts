/**
 * Electron's security checklist, applied in one place. Takes the Electron objects as arguments so
 * tests can hand in stand-ins (the binary cannot run on every machine).
 */
import type { App, Session, Shell, WebContents, Event as ElectronEvent } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'lineside';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** External links that may open in the system browser (claim pages, docs). */
export const EXTERNAL_ALLOW = [/^https:\/\//];

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  spellcheck: false,
} as const;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export function isAllowedExternal(url: string): boolean {
  return EXTERNAL_ALLOW.some((re) => re.test(url));
}

/** Denies every permission request and check (camera, notifications, serial, USB, ...). */
export function denyPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
) {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** No navigation away from the app, no new windows, no webviews; https links go to the system browser. */
export function hardenWebContents(contents: WebContents, shell: Pick<Shell, 'openExternal'>) {
  const refuse = (event: ElectronEvent, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', refuse);
  contents.on('will-redirect', refuse);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenApp(app: Pick<App, 'on'>, shell: Pick<Shell, 'openExternal'>) {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, shell));
}
