import {
  eventChannels,
  operationNames,
  type EventName,
  type LinesideClient,
  type LinesideEvents,
  type Result,
} from '../../../electron/shared/contract';

/** This page's id: the bridge releases the ports it opened when the page's event socket closes. */
function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The contract over the bridge: POST /api/<operation> and a WebSocket for events. The socket is
 * opened at once and kept open for the page's life: it is how the bridge knows the page is there.
 */
export function createBridgeClient(token: string, base = ''): LinesideClient {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const clientId = newClientId();
  let socket: WebSocket | null = null;
  let retry = 500;

  function connect() {
    const url = new URL(`${base}/api/events`, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    url.searchParams.set('client', clientId);
    socket = new WebSocket(url);
    socket.onopen = () => (retry = 500);
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: EventName; payload: unknown };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  }

  const client: Record<string, unknown> = {};
  for (const operation of operationNames) {
    client[operation] = async (request: unknown): Promise<Result<unknown>> => {
      try {
        const response = await fetch(`${base}/api/${operation}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-lineside-client': clientId,
          },
          body: request === undefined ? '' : JSON.stringify(request),
        });
        if (response.status === 401) {
          return {
            ok: false,
            error: {
              code: 'unauthorized',
              message: 'The station link has expired: open the link the station printed.',
            },
          };
        }
        return (await response.json()) as Result<unknown>;
      } catch (error) {
        return {
          ok: false,
          error: {
            code: 'unavailable',
            message: 'The station is not answering. Is `lineside serve` still running?',
            detail: String(error),
          },
        };
      }
    };
  }
  client.on = <E extends EventName>(event: E, listener: (payload: LinesideEvents[E]) => void) => {
    if (!Object.hasOwn(eventChannels, event)) throw new Error(`Unknown event ${event}`);
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    listeners.set(event, set);
    if (!socket) connect();
    return () => set.delete(listener as (payload: unknown) => void);
  };
  connect();
  return client as unknown as LinesideClient;
}
