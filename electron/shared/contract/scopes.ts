/**
 * Scoped events: what a client (a window, a browser page) asks to receive of the events that
 * belong to one port, slot or job. Every other event is broadcast to every client. Used by the
 * transports (through core's subscription registry) and by the client API to filter listeners.
 * Imports types only.
 */
import type { LinesideEvents } from './events';

export interface EventScopes {
  /** A terminal session's bytes: that session, or every session on one port path. */
  terminalData: { sessionId: string } | { path: string };
  /** A slot's card: one slot, or every slot (the Station screen shows them all). */
  stationSlot: { slot: number } | { allSlots: true };
  /** One job's progress. */
  jobProgress: { jobId: string };
}

export type ScopedEventName = keyof EventScopes;

export type Subscription = { [E in ScopedEventName]: { event: E; scope: EventScopes[E] } }[ScopedEventName];

export const scopedEventNames = [
  'terminalData',
  'stationSlot',
  'jobProgress',
] as const satisfies readonly ScopedEventName[];

// Every key of EventScopes is listed above, and nothing else.
type Missing = Exclude<ScopedEventName, (typeof scopedEventNames)[number]>;
export const scopedEventsAreListed: Missing extends never ? true : never = true;

export function isScopedEvent(event: string): event is ScopedEventName {
  return (scopedEventNames as readonly string[]).includes(event);
}

/** The one key a subscription stands for (the registry and the client match on these). */
export function subscriptionKey(sub: Subscription): string {
  switch (sub.event) {
    case 'terminalData':
      return 'sessionId' in sub.scope
        ? `terminalData:session:${sub.scope.sessionId}`
        : `terminalData:path:${sub.scope.path}`;
    case 'stationSlot':
      return 'slot' in sub.scope ? `stationSlot:slot:${sub.scope.slot}` : 'stationSlot:all';
    case 'jobProgress':
      return `jobProgress:job:${sub.scope.jobId}`;
  }
}

/** The keys an event matches: a client receives it when it holds any of them. */
export function eventKeys<E extends ScopedEventName>(event: E, payload: LinesideEvents[E]): string[] {
  if (event === 'terminalData') {
    const p = payload as LinesideEvents['terminalData'];
    return [`terminalData:session:${p.sessionId}`, ...(p.path ? [`terminalData:path:${p.path}`] : [])];
  }
  if (event === 'stationSlot') {
    const p = payload as LinesideEvents['stationSlot'];
    return [`stationSlot:slot:${p.slot}`, 'stationSlot:all'];
  }
  return [`jobProgress:job:${(payload as LinesideEvents['jobProgress']).jobId}`];
}

export function inScope(sub: Subscription, payload: unknown): boolean {
  return eventKeys(sub.event, payload as never).includes(subscriptionKey(sub));
}

/**
 * A subscription from an untrusted client (a WebSocket page, a renderer): exactly one of the
 * scope's fields, of the right type, or null.
 */
export function parseSubscription(value: unknown): Subscription | null {
  if (typeof value !== 'object' || value === null) return null;
  const { event, scope } = value as { event?: unknown; scope?: unknown };
  if (typeof scope !== 'object' || scope === null || Array.isArray(scope)) return null;
  const s = scope as Record<string, unknown>;
  const keys = Object.keys(s);
  if (keys.length !== 1) return null;
  const text = (k: string) =>
    typeof s[k] === 'string' && (s[k] as string).length > 0 && (s[k] as string).length <= 512;
  switch (event) {
    case 'terminalData':
      if (text('sessionId')) return { event, scope: { sessionId: s.sessionId as string } };
      if (text('path')) return { event, scope: { path: s.path as string } };
      return null;
    case 'stationSlot':
      if (Number.isInteger(s.slot)) return { event, scope: { slot: s.slot as number } };
      if (s.allSlots === true) return { event, scope: { allSlots: true } };
      return null;
    case 'jobProgress':
      return text('jobId') ? { event, scope: { jobId: s.jobId as string } } : null;
    default:
      return null;
  }
}

/** The one IPC channel (and bridge path `POST /api/events`) that changes a client's subscriptions. */
export const subscriptionChannel = 'events:subscribe';

/** A change to a client's subscriptions, as the transports carry it. */
export interface SubscriptionChangeRequest {
  subscribe?: Subscription[];
  unsubscribe?: Subscription[];
}

/**
 * The client side of subscriptions: counts listeners per scope and tells the transport only when
 * a scope gains its first listener or loses its last. `all()` lists what is held (a bridge page
 * sends it again after its socket reconnects).
 */
export function createScopeCounter(send: (change: SubscriptionChangeRequest) => void) {
  const held = new Map<string, { sub: Subscription; n: number }>();
  return {
    add(sub: Subscription) {
      const key = subscriptionKey(sub);
      const entry = held.get(key);
      if (entry) return void entry.n++;
      held.set(key, { sub, n: 1 });
      send({ subscribe: [sub] });
    },
    remove(sub: Subscription) {
      const key = subscriptionKey(sub);
      const entry = held.get(key);
      if (!entry) return;
      if (--entry.n > 0) return;
      held.delete(key);
      send({ unsubscribe: [sub] });
    },
    all: (): Subscription[] => [...held.values()].map((e) => e.sub),
  };
}
