import fs from 'node:fs/promises';
import path from 'node:path';
import { contentTypeOf } from '../shared/mime';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Resolves a URL path inside `root`, or null when it would escape it. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return full === root || full.startsWith(root + path.sep) ? full : null;
}

export async function readStatic(
  root: string,
  urlPath: string,
): Promise<{ body: Buffer; type: string } | null> {
  const file = resolveStatic(root, urlPath === '/' ? '/index.html' : urlPath);
  if (!file) return null;
  try {
    const body = await fs.readFile(file);
    return { body, type: contentTypeOf(file) };
  } catch {
    return null;
  }
}

/** The page learns the run's token from a meta tag the bridge writes into index.html. */
export function injectToken(html: string, token: string): string {
  return html.replace('<head>', `<head>\n    <meta name="lineside-token" content="${token}" />`);
}
