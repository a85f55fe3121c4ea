/**
 * The renderer's client API, namespaced by channel: `orders:list-units` is `api.orders.listUnits`.
 * The shape is derived from the channel table with template-literal types, and built at runtime
 * from the same table (the preload and the bridge client both call `buildNamespacedApi`), so a
 * method exists exactly when its channel does. The flat operation names (`listOrderUnits`) stay
 * the internal names: dispatch, services, `lineside call <op>` and the bridge's `POST /api/<op>`.
 * Imports nothing at runtime outside electron/shared.
 */
import type { Result } from '../errors';
import type { EventName, LinesideEvents } from './events';
import type { EventScopes, ScopedEventName } from './scopes';
import type { Channel } from './types';

/** `list-units` → `listUnits`. */
export type KebabToCamel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<KebabToCamel<Tail>>}`
  : S;

export type NamespaceOf<C extends string> = C extends `${infer N}:${string}` ? N : never;
export type MethodOf<C extends string> = C extends `${string}:${infer A}` ? KebabToCamel<A> : never;

/** `in` is what a client may send (the schema's input); the service receives the parsed `req`. */
type OpShape = { in: unknown; res: unknown };

/** The namespaced API for an operations interface and its channel table. */
export type NamespacedApi<
  Ops extends { [K in keyof Table]: OpShape },
  Table extends Record<string, Channel>,
> = {
  [N in NamespaceOf<Table[keyof Table]>]: {
    [K in keyof Table as Table[K] extends `${N}:${string}` ? MethodOf<Table[K]> : never]: (
      req: Ops[K]['in'],
    ) => Promise<Result<Ops[K]['res']>>;
  };
};

/** What `on` takes after the listener: a scope for scoped events, nothing for broadcast ones. */
export type ScopeArgs<E extends EventName> = [E] extends [ScopedEventName] ? [scope?: EventScopes[E]] : [];

export interface EventSource {
  /**
   * Listens to an event; returns the function that stops listening. For terminal, slot and job
   * events, `scope` tells the transport which port, slot or job this client wants (without it the
   * client still gets the sessions it opened and the jobs it started).
   */
  on<E extends EventName>(
    event: E,
    listener: (payload: LinesideEvents[E]) => void,
    ...scope: ScopeArgs<E>
  ): () => void;
}

/** `orders:list-units` → `['orders', 'listUnits']`. */
export function methodPath(channel: string): [namespace: string, method: string] {
  const colon = channel.indexOf(':');
  if (colon <= 0 || colon === channel.length - 1) throw new Error(`Not a channel name: ${channel}`);
  const action = channel.slice(colon + 1).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return [channel.slice(0, colon), action];
}

/**
 * Builds `{ namespace: { method(req) } }` from a channel table; `call` carries one operation
 * (by its flat name and its channel) to the station. Every level is frozen.
 */
export function buildNamespacedApi(
  table: Readonly<Record<string, string>>,
  call: (operation: string, channel: string, request: unknown) => Promise<Result<unknown>>,
): Record<string, Readonly<Record<string, (request?: unknown) => Promise<Result<unknown>>>>> {
  const api: Record<string, Record<string, (request?: unknown) => Promise<Result<unknown>>>> = {};
  for (const [operation, channel] of Object.entries(table)) {
    const [namespace, method] = methodPath(channel);
    if (namespace === 'on') throw new Error('A namespace may not be called "on": it is the event method.');
    const ns = (api[namespace] ??= {});
    if (Object.hasOwn(ns, method)) throw new Error(`Two operations map to ${namespace}.${method}`);
    ns[method] = (request?: unknown) => call(operation, channel, request);
  }
  for (const ns of Object.values(api)) Object.freeze(ns);
  return api;
}
