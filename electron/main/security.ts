/**
 * Electron's security checklist, applied in one place. Takes the Electron objects as arguments so
 * tests can hand in stand-ins (the binary cannot run on every machine).
 */
import type { App, Session, Shell, WebContents, Event as ElectronEvent } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'lineside';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Which external links may open in the system browser: only the configured cloud's claim page
 * (the evaluator's "claim this device" link), over https, on its own host and path. Anything else
 * a page asks to open (another site, another path, http, file:, javascript:) is dropped.
 */
export type ExternalAllow = (url: string) => boolean;

export function claimPageAllow(claimUrlTemplate: () => string): ExternalAllow {
  return (url) => {
    let target: URL;
    let page: URL;
    try {
      target = new URL(url);
      page = new URL(claimUrlTemplate().split('{claimId}').join('X'));
    } catch {
      return false;
    }
    return (
      target.protocol === 'https:' &&
      page.protocol === 'https:' &&
      target.origin === page.origin &&
      target.pathname === page.pathname &&
      target.username === '' &&
      target.password === ''
    );
  };
}

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

/** Denies every permission request and check (camera, notifications, serial, USB, ...). */
export function denyPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
) {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** No navigation away from the app, no new windows, no webviews; allowed links go to the system browser. */
export function hardenWebContents(
  contents: WebContents,
  shell: Pick<Shell, 'openExternal'>,
  allowExternal: ExternalAllow,
) {
  const refuse = (event: ElectronEvent, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', refuse);
  contents.on('will-redirect', refuse);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (allowExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenApp(
  app: Pick<App, 'on'>,
  shell: Pick<Shell, 'openExternal'>,
  allowExternal: ExternalAllow,
) {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, shell, allowExternal));
}
