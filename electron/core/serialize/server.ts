import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import JSON5 from 'json5';
import type { SerializeJournalEntry } from '../../shared/contract';
import type { Clock } from '../clock';
import { Failure } from '../failure';
import type { Store } from '../store';
import { createAllowList } from './allowList';
import type { IdSource } from './idSource';
import { appendJournal } from './journal';

/**
 * The station's serialization service for the agent's factory mode (ioto-contracts §3):
 * `POST <path>` with the device.json5 as JSON, answered `200 {"id":"..."}` or a 4xx with
 * `{"error": reason}` (which the agent retries). Every answer, refusals included, is journaled with
 * the requesting address, the body (token redacted) and the time, in the transaction that issued the ID.
 */
export interface SerializeServerOptions {
  store: Store;
  clock: Clock;
  idSource: IdSource;
  host: string;
  port: number;
  path: string;
  allow: readonly string[];
  /** After an ID was issued and journaled (e.g. print the unit's label). */
  onIssued?: (claimId: string, orderId: string) => void;
  onAnswer?: (entry: SerializeJournalEntry) => void;
  maxBodyBytes?: number;
}

export interface SerializeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startSerializeServer(options: SerializeServerOptions): Promise<SerializeServer> {
  const allow = createAllowList(options.allow);
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const path = options.path.startsWith('/') ? options.path : `/${options.path}`;

  function answer(req: IncomingMessage, res: ServerResponse, raw: string) {
    const remote = req.socket.remoteAddress ?? 'unknown';
    const at = options.clock.now().toISOString();
    let status: number;
    let reason: string | null = null;
    let claimId: string | null = null;
    let orderId: string | null = null;
    const entry = options.store.transaction(() => {
      if (!allow.allows(remote)) {
        status = 403;
        reason = `Requests from ${remote} are not allowed: add its network to the service's allowed networks.`;
      } else if (req.method !== 'POST') {
        status = 405;
        reason = 'Use POST.';
      } else if ((req.url ?? '').split('?')[0] !== path) {
        status = 404;
        reason = `This station serves IDs at ${path}.`;
      } else if (raw === null) {
        status = 413;
        reason = `The request is larger than ${maxBody} bytes.`;
      } else {
        let body: unknown;
        try {
          body = JSON5.parse(raw);
        } catch {
          body = undefined;
        }
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          status = 400;
          reason = "The body is not the device's device.json5 as a JSON object.";
        } else {
          const got = options.idSource.next({ body: body as Record<string, unknown>, remote });
          if (got.ok) {
            status = 200;
            claimId = got.claimId;
            orderId = got.orderId;
          } else {
            status = got.status;
            reason = got.reason;
          }
        }
      }
      return appendJournal(options.store, { at, remote, status, claimId, orderId, reason, body: raw ?? '' });
    });
    const body = entry.claimId ? { id: entry.claimId } : { error: entry.reason };
    res.writeHead(entry.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
    options.onAnswer?.(entry);
    if (entry.claimId && entry.orderId) options.onIssued?.(entry.claimId, entry.orderId);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBody) chunks.push(c);
    });
    req.on('end', () => {
      try {
        answer(
          req,
          res,
          size > maxBody ? (null as unknown as string) : Buffer.concat(chunks).toString('utf8'),
        );
      } catch (error) {
        console.error('[lineside serialize] answering failed:', error);
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: 'The station could not answer; it will be retried.' }));
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Failure(
          error.code === 'EADDRINUSE' ? 'busy' : 'unavailable',
          error.code === 'EADDRINUSE'
            ? `Port ${options.port} on ${options.host} is in use: pick another port for the serialization service.`
            : `The serialization service cannot listen on ${options.host}:${options.port}.`,
          { detail: String(error), cause: error },
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shown}:${port}${path}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
