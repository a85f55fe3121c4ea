import {
  buildNamespacedApi,
  channels,
  createScopeCounter,
  eventChannels,
  inScope,
  parseSubscription,
  type EventName,
  type LinesideClient,
  type Result,
  type Subscription,
  type SubscriptionChangeRequest,
} from '../../../electron/shared/contract';

/** This page's id: the bridge releases the ports it opened when the page's event socket closes. */
function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const unauthorized: Result<never> = {
  ok: false,
  error: {
    code: 'unauthorized',
    message: 'The station link has expired: open the link the station printed.',
  },
};

function unavailable(error: unknown): Result<never> {
  return {
    ok: false,
    error: {
      code: 'unavailable',
      message: 'The station is not answering. Is `lineside serve` still running?',
      detail: String(error),
    },
  };
}

/**
 * The contract over the bridge: POST /api/<operation> (the flat operation name) and a WebSocket
 * for events. The socket is opened at once and kept open for the page's life: it is how the bridge
 * knows the page is there. Scoped subscriptions go as `POST /api/events`; every call waits for the
 * subscription changes made before it, so a page that subscribes and then starts something never
 * misses the first events.
 */
export function createBridgeClient(token: string, base = ''): LinesideClient {
  type Listener = (payload: unknown) => void;
  const listeners = new Map<EventName, Set<Listener>>();
  const clientId = newClientId();
  let socket: WebSocket | null = null;
  let retry = 500;
  let everOpened = false;
  /** Subscription changes in flight: calls wait for them. */
  let settled: Promise<unknown> = Promise.resolve();

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-lineside-client': clientId,
      },
      body: body === undefined ? '' : JSON.stringify(body),
    });

  function sendSubscriptions(change: SubscriptionChangeRequest) {
    settled = settled.then(() => post('/api/events', change).catch(() => undefined));
  }
  const scopes = createScopeCounter(sendSubscriptions);

  function connect() {
    const url = new URL(`${base}/api/events`, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    url.searchParams.set('client', clientId);
    socket = new WebSocket(url);
    socket.onopen = () => {
      retry = 500;
      // The bridge forgot this page's subscriptions when its last socket closed: ask again.
      if (everOpened && scopes.all().length > 0) sendSubscriptions({ subscribe: scopes.all() });
      everOpened = true;
    };
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: EventName; payload: unknown };
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  }

  const api = buildNamespacedApi(channels, async (operation, _channel, request) => {
    await settled;
    try {
      const response = await post(`/api/${operation}`, request);
      if (response.status === 401) return unauthorized;
      return (await response.json()) as Result<unknown>;
    } catch (error) {
      return unavailable(error);
    }
  });

  const on = (event: EventName, listener: Listener, scope?: unknown) => {
    if (!Object.hasOwn(eventChannels, event)) throw new Error(`Unknown event ${event}`);
    let sub: Subscription | null = null;
    if (scope !== undefined) {
      sub = parseSubscription({ event, scope });
      if (!sub) throw new Error(`Unknown scope for ${event}: ${JSON.stringify(scope)}`);
      scopes.add(sub);
    }
    const scoped = sub;
    const wrapped: Listener = (payload) => {
      if (!scoped || inScope(scoped, payload)) listener(payload);
    };
    const set = listeners.get(event) ?? new Set();
    set.add(wrapped);
    listeners.set(event, set);
    if (!socket) connect();
    let off = false;
    return () => {
      if (off) return;
      off = true;
      set.delete(wrapped);
      if (scoped) scopes.remove(scoped);
    };
  };
  connect();
  return { ...api, on } as unknown as LinesideClient;
}
