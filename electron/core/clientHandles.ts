/**
 * What a page (a browser tab on the bridge, an Electron window) opened that holds a port or a
 * watcher: a terminal session, a claim-ID watch, a device store session. When the page goes away
 * (its WebSocket closes, its window is destroyed) clients.ts calls `release(client)` and each is
 * closed through the ordinary operation, so a closed tab never keeps /dev/ttyUSB0 open.
 */
import type { Dispatch } from './dispatch';

interface Held {
  key: string;
  operation: string;
  request: unknown;
}

type Rule = {
  /** The operation that opens something, and the id it returns. */
  opens: string;
  id: (value: Record<string, unknown>) => unknown;
  /** The operation that releases it, and the request naming it. */
  closes: string;
  request: (id: string) => unknown;
  idOfClose: (request: Record<string, unknown>) => unknown;
};

const RULES: readonly Rule[] = [
  {
    opens: 'openTerminal',
    id: (v) => v.sessionId,
    closes: 'closeTerminal',
    request: (sessionId) => ({ sessionId }),
    idOfClose: (r) => r.sessionId,
  },
  ...['openDeviceSerial', 'openDeviceMqtt', 'openDeviceDatabase'].map((opens): Rule => ({
    opens,
    id: (v) => v.sourceId,
    closes: 'closeDeviceStore',
    request: (sourceId) => ({ sourceId }),
    idOfClose: (r) => r.sourceId,
  })),
  {
    opens: 'watchClaimId',
    id: (v) => v.jobId,
    closes: 'cancelJob',
    request: (jobId) => ({ jobId }),
    idOfClose: (r) => r.jobId,
  },
];

export interface ClientHandles {
  /** Call after every operation a client made: remembers what it opened, forgets what it closed. */
  track(client: string, operation: string, request: unknown, value: unknown): void;
  /** Closes everything the client still holds (errors are ignored: it may be closed already). */
  release(client: string): Promise<number>;
  held(client: string): number;
}

export function createClientHandles(dispatch: Dispatch): ClientHandles {
  const byClient = new Map<string, Map<string, Held>>();
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  return {
    track(client, operation, request, value) {
      for (const rule of RULES) {
        if (operation === rule.opens && isRecord(value)) {
          const id = rule.id(value);
          if (typeof id !== 'string') continue;
          const held = byClient.get(client) ?? new Map<string, Held>();
          held.set(`${rule.closes}:${id}`, {
            key: `${rule.closes}:${id}`,
            operation: rule.closes,
            request: rule.request(id),
          });
          byClient.set(client, held);
        } else if (operation === rule.closes && isRecord(request)) {
          const id = rule.idOfClose(request);
          byClient.get(client)?.delete(`${rule.closes}:${String(id)}`);
        }
      }
    },
    async release(client) {
      const held = byClient.get(client);
      byClient.delete(client);
      if (!held) return 0;
      await Promise.all([...held.values()].map((h) => dispatch(h.operation, h.request)));
      return held.size;
    },
    held: (client) => byClient.get(client)?.size ?? 0,
  };
}
