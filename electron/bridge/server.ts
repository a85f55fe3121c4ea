/**
 * The bridge: the Lineside contract over loopback HTTP + WebSocket (browser mode, thin clients at
 * the line, and Playwright). Imports core's dispatch and event bus; imported by the CLI and tests.
 *
 *   GET  /?token=T          the renderer, with T written into a meta tag (401 page without it)
 *   GET  /assets/...        the renderer's static files
 *   POST /api/<operation>   body: the request as JSON; answer: the Result as JSON (always 200)
 *   GET  /api/events?token=T&client=C  WebSocket: {"event": name, "payload": ...}
 *   POST /api/events        body: {"subscribe": [...], "unsubscribe": [...]} (needs x-lineside-client)
 *
 * A page names itself with a random client id (`x-lineside-client` on POST, `client=` on the
 * WebSocket). Broadcast events go to every socket; terminal, slot and job events only to the
 * sockets of pages that subscribed to that session/port, slot or job, or opened or started it
 * (core/subscriptions.ts). When a page's last WebSocket closes, its waiting calls are cancelled
 * and what it opened (terminals, claim-ID watches, device store sessions) is released: a closed
 * tab never keeps a serial port open.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createClients } from '../core/clients';
import type { Dispatch } from '../core/dispatch';
import type { EventBus } from '../core/eventBus';
import { checkOrigin, hostsFor, sameToken, tokenFromRequest, type Guard } from './security';
import { CSP, injectToken, readStatic } from './static';
import { MIME, contentType, type MediaType } from '../shared/mime';

export interface BridgeOptions {
  dispatch: Dispatch;
  events: EventBus;
  /** The built renderer (dist/renderer); when absent only the API is served. */
  staticDir?: string;
  host?: string;
  port?: number;
  token?: string;
  maxBodyBytes?: number;
}

export interface Bridge {
  url: string;
  /** The URL to open: carries the token. */
  appUrl: string;
  port: number;
  host: string;
  token: string;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const host = options.host ?? LOOPBACK;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const guard: Guard = { allowedHosts: new Set(), token };
  const wss = new WebSocketServer({ noServer: true });
  const clients = createClients(options.dispatch);
  /** The client id each event socket was opened for (absent: broadcast events only). */
  const socketClient = new WeakMap<WebSocket, string>();
  /** Open event sockets per client id: the client's handles go when the last one closes. */
  const sockets = new Map<string, number>();
  // Once the bridge closes, the station closes everything itself (services.close()).
  let closing = false;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[lineside bridge] request failed:', error);
      if (!res.headersSent) send(res, 500, MIME.text, 'Internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://bridge.invalid');
    const verdict = checkOrigin(req, guard);
    if (!verdict.ok) return send(res, verdict.status, MIME.text, verdict.message);

    if (url.pathname.startsWith('/api/')) {
      if (!sameToken(tokenFromRequest(req, url), token)) {
        return sendJson(res, 401, {
          ok: false,
          error: { code: 'unauthorized', message: 'Missing or wrong bridge token.' },
        });
      }
      if (req.method !== 'POST') return send(res, 405, MIME.text, 'Use POST');
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith(MIME.json)) return send(res, 415, MIME.text, 'Send application/json');
      const body = await readBody(req, maxBody);
      if (body === null) return send(res, 413, MIME.text, `Request larger than ${maxBody} bytes`);
      let argument: unknown;
      try {
        argument = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, {
          ok: false,
          error: { code: 'validation', message: 'The request body is not JSON.' },
        });
      }
      const client = clientId(req.headers['x-lineside-client']);
      if (url.pathname === '/api/events') {
        if (!client)
          return sendJson(res, 200, {
            ok: false,
            error: { code: 'validation', message: 'Name the page with x-lineside-client to subscribe.' },
          });
        return sendJson(res, 200, clients.changeSubscriptions(client, argument));
      }
      const operation = decodeURIComponent(url.pathname.slice('/api/'.length));
      return sendJson(res, 200, await clients.call(client, operation, argument));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, MIME.text, 'Method not allowed');
    if (!options.staticDir) return send(res, 404, MIME.text, 'No renderer is served by this bridge.');
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    if (isPage && !sameToken(url.searchParams.get('token'), token)) {
      return send(res, 401, MIME.html, UNAUTHORIZED_PAGE);
    }
    const file = await readStatic(options.staticDir, url.pathname);
    if (!file) return send(res, 404, MIME.text, 'Not found');
    const body = isPage ? Buffer.from(injectToken(file.body.toString('utf8'), token)) : file.body;
    res.writeHead(200, {
      'content-type': file.type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': isPage ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://bridge.invalid');
    const verdict = checkOrigin(req, guard);
    if (url.pathname !== '/api/events' || !verdict.ok || !sameToken(url.searchParams.get('token'), token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    const client = clientId(url.searchParams.get('client'));
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (client) {
        socketClient.set(ws, client);
        sockets.set(client, (sockets.get(client) ?? 0) + 1);
        ws.on('close', () => {
          const left = (sockets.get(client) ?? 1) - 1;
          if (left > 0) return void sockets.set(client, left);
          sockets.delete(client);
          if (!closing) void clients.release(client);
        });
      }
      wss.emit('connection', ws, req);
    });
  });

  const unsubscribe = options.events.subscribe((event, payload) => {
    let message: string | null = null;
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN || !clients.wants(socketClient.get(ws) ?? null, event, payload)) continue;
      message ??= JSON.stringify({ event, payload });
      ws.send(message);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  for (const h of hostsFor(host, port)) guard.allowedHosts.add(h);
  if (host === '0.0.0.0' || host === '::') guard.allowedHosts.add('*');
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? LOOPBACK : host;
  const url = `http://${shownHost}:${port}`;
  return {
    url,
    appUrl: `${url}/?token=${token}`,
    port,
    host,
    token,
    close: async () => {
      closing = true;
      unsubscribe();
      for (const client of wss.clients as Set<WebSocket>) client.terminate();
      // Close idle and busy connections first: a page that is still polling would otherwise keep
      // server.close() waiting forever.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A page's client id: random, url-safe; anything else is ignored (nothing is tracked for it). */
function clientId(value: string | string[] | null | undefined): string | null {
  return typeof value === 'string' && /^[\w-]{8,64}$/.test(value) ? value : null;
}

function send(res: ServerResponse, status: number, type: MediaType, body: string) {
  res.writeHead(status, { 'content-type': contentType(type), 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  send(res, status, MIME.json, JSON.stringify(value));
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) tooBig = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>Lineside</title>
<body style="font:20px system-ui;margin:3em">
<h1>Lineside: open the link the station printed</h1>
<p>This page needs the access token that <code>lineside serve</code> printed when it started
(the whole link, including <code>?token=…</code>). Copy it from the station's terminal.</p></body>`;
