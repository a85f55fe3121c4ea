import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import JSON5 from 'json5';
import type { SerializeJournalEntry } from '../../shared/contract';
import type { Clock } from '../clock';
import { Failure } from '../failure';
import type { Store } from '../store';
import { createAllowList } from './allowList';
import type { IdSource } from './idSource';
import { appendJournal, createRefusalCounter } from './journal';
import { MIME, contentType } from '../../shared/mime';

/**
 * The station's serialization service for the agent's factory mode (ioto-contracts §3):
 * `POST <path>` with the device.json5 as JSON, answered `200 {"id":"..."}` or a 4xx with
 * `{"error": reason}` (which the agent retries). Every answer to a request it reads is journaled with
 * the requesting address, the body (token redacted, bounded) and the time, in the transaction that
 * issued the ID. A request from outside the allowed networks, to another method or path, or larger
 * than the bound is refused before its body is read, and only counted (per source and minute).
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
  /** Writes the refusal counts kept in memory (at most a second's worth) now. */
  flushRefusals(): void;
  close(): Promise<void>;
}

export async function startSerializeServer(options: SerializeServerOptions): Promise<SerializeServer> {
  const allow = createAllowList(options.allow);
  const refusals = createRefusalCounter(options.store);
  // A device.json5 is well under 2 KiB; nothing larger is read, whoever sends it.
  const maxBody = options.maxBodyBytes ?? 16 * 1024;
  const path = options.path.startsWith('/') ? options.path : `/${options.path}`;

  function reply(res: ServerResponse, status: number, body: unknown, close = false) {
    res.writeHead(status, {
      'Content-Type': contentType(MIME.json),
      ...(close ? { Connection: 'close' } : {}),
    });
    res.end(JSON.stringify(body));
  }

  /** Refused before reading: counted, answered, and the connection closed (no body is kept). */
  function refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: string) {
    const remote = req.socket.remoteAddress ?? 'unknown';
    const at = options.clock.now().toISOString();
    refusals.count({
      at,
      remote,
      status,
      sample: `${req.method ?? '?'} ${(req.url ?? '').slice(0, 100)}: ${reason}`,
    });
    reply(res, status, { error: reason }, true);
    res.once('finish', () => req.destroy());
  }

  function answer(req: IncomingMessage, res: ServerResponse, raw: string) {
    const remote = req.socket.remoteAddress ?? 'unknown';
    const at = options.clock.now().toISOString();
    let status: number;
    let reason: string | null = null;
    let claimId: string | null = null;
    let orderId: string | null = null;
    const entry = options.store.transaction(() => {
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
      return appendJournal(options.store, { at, remote, status, claimId, orderId, reason, body: raw });
    });
    reply(res, entry.status, entry.claimId ? { id: entry.claimId } : { error: entry.reason });
    options.onAnswer?.(entry);
    if (entry.claimId && entry.orderId) options.onIssued?.(entry.claimId, entry.orderId);
  }

  const server = http.createServer((req, res) => {
    const remote = req.socket.remoteAddress ?? 'unknown';
    if (!allow.allows(remote))
      return refuse(
        req,
        res,
        403,
        `Requests from ${remote} are not allowed: add its network to the service's allowed networks.`,
      );
    if (req.method !== 'POST') return refuse(req, res, 405, 'Use POST.');
    if ((req.url ?? '').split('?')[0] !== path)
      return refuse(req, res, 404, `This station serves IDs at ${path}.`);
    const tooLarge = `The request is larger than ${maxBody} bytes.`;
    if (Number(req.headers['content-length'] ?? 0) > maxBody) return refuse(req, res, 413, tooLarge);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > maxBody) {
        refused = true;
        refuse(req, res, 413, tooLarge);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      try {
        answer(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        console.error('[lineside serialize] answering failed:', error);
        if (!res.headersSent) reply(res, 500, { error: 'The station could not answer; it will be retried.' });
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
    flushRefusals: () => refusals.flush(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          refusals.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
