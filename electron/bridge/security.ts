import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The bridge's request checks, kept apart from the server so they are easy to read and test.
 * A request must name an allowed Host (against DNS rebinding), come from the page's own origin
 * when it says where it comes from (against cross-site requests), and carry the run's token.
 */
export interface Guard {
  allowedHosts: Set<string>;
  token: string;
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403 | 421; message: string };

export function hostsFor(bindHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (bindHost !== '0.0.0.0' && bindHost !== '::')
    names.add(bindHost.includes(':') ? `[${bindHost}]` : bindHost);
  return new Set([...names].map((h) => `${h}:${port}`));
}

export function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkOrigin(req: IncomingMessage, guard: Guard): Verdict {
  const host = req.headers.host ?? '';
  if (!guard.allowedHosts.has(host) && !guard.allowedHosts.has('*')) {
    return { ok: false, status: 421, message: `Host ${host || '(none)'} is not served here.` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { ok: false, status: 403, message: `Cross-origin request from ${origin} refused.` };
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { ok: false, status: 403, message: `Cross-site request (${String(site)}) refused.` };
  }
  return { ok: true };
}

export function tokenFromRequest(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return url.searchParams.get('token');
}
