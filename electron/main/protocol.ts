import fs from 'node:fs/promises';
import type { Protocol } from 'electron';
import { CSP, resolveStatic } from '../bridge/static';
import { contentTypeOf } from '../shared/mime';
import { APP_HOST, APP_SCHEME } from './security';

/** Must run before the app is ready: app:// behaves like https (secure, standard origin). */
export function registerScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>) {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer from app://lineside/ with the strict CSP as a header. */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string) {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file =
      url.host === APP_HOST
        ? resolveStatic(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname)
        : null;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await fs.readFile(file);
      return new Response(body, {
        headers: {
          'content-type': contentTypeOf(file),
          'content-security-policy': CSP,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
