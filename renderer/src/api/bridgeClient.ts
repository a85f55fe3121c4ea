import {
  eventChannels,
  operationNames,
  type EventName,
  type LinesideClient,
  type LinesideEvents,
  type Result,
} from '../../../electron/shared/contract';

/** The contract over the bridge: POST /api/<operation> and a WebSocket for events. */
export function createBridgeClient(token: string, base = ''): LinesideClient {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;

  function connect() {
    const url = new URL(`${base}/api/events`, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    socket = new WebSocket(url);
    socket.onopen = () => (retry = 500);
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: EventName; payload: unknown };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
    socket.onclose = () => {
      socket = null;
      if ([...listeners.values()].some((s) => s.size > 0)) {
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 10_000);
      }
    };
  }

  const client: Record<string, unknown> = {};
  for (const operation of operationNames) {
    client[operation] = async (request: unknown): Promise<Result<unknown>> => {
      try {
        const response = await fetch(`${base}/api/${operation}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
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
  return client as unknown as LinesideClient;
}
