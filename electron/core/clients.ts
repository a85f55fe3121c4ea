/**
 * The clients of one station, as both transports see them: a window (Electron, per webContents)
 * or a browser page (bridge, per client id). For each client it keeps
 *   - what it holds open (terminals, claim-ID watches, device store sessions: clientHandles.ts),
 *   - which scoped events it wants (subscriptions.ts),
 *   - one AbortSignal, passed to every call it makes, that aborts when it goes away.
 * `release(client)` (window destroyed, page's last socket closed) aborts its waiting calls, closes
 * what it held and drops its subscriptions. Calls without a client (CLI, tests) get no signal.
 */
import {
  parseSubscription,
  type EventName,
  type LinesideEvents,
  type Result,
  type Subscription,
} from '../shared/contract';
import { createClientHandles, type ClientHandles } from './clientHandles';
import type { Dispatch } from './dispatch';
import { createSubscriptions, type Subscriptions } from './subscriptions';

/** What a client sends to change its subscriptions (untrusted: parsed here). */
export interface SubscriptionChange {
  subscribe?: unknown[];
  unsubscribe?: unknown[];
}

export interface Clients {
  /** Runs one operation for a client: its signal, then what it opened and started is recorded. */
  call(client: string | null, operation: string, argument: unknown): Promise<Result<unknown>>;
  /** Applies a subscription change; refuses it whole when one entry is not a known scope. */
  changeSubscriptions(client: string, change: unknown): Result<{ keys: string[] }>;
  wants<E extends EventName>(client: string | null, event: E, payload: LinesideEvents[E]): boolean;
  /** The client went away: cancels its waiting calls, closes what it held, forgets its scopes. */
  release(client: string): Promise<number>;
  handles: ClientHandles;
  subscriptions: Subscriptions;
}

export const CLIENT_GONE = 'client-gone';

export function createClients(dispatch: Dispatch): Clients {
  const handles = createClientHandles(dispatch);
  const subscriptions = createSubscriptions();
  const controllers = new Map<string, AbortController>();
  let orphans = 0;
  const signalOf = (client: string) => {
    let controller = controllers.get(client);
    if (!controller) controllers.set(client, (controller = new AbortController()));
    return controller.signal;
  };

  return {
    handles,
    subscriptions,
    async call(client, operation, argument) {
      if (client === null) return dispatch(operation, argument);
      const signal = signalOf(client);
      const result = await dispatch(operation, argument, { signal });
      if (!result.ok) return result;
      if (signal.aborted) {
        // The client went while this call was opening something: close it now, nobody holds it
        // (under a name of its own: the same page may have come back with a new socket already).
        const orphan = `${client}#gone-${++orphans}`;
        handles.track(orphan, operation, argument, result.value);
        await handles.release(orphan);
        return result;
      }
      handles.track(client, operation, argument, result.value);
      subscriptions.track(client, operation, result.value);
      return result;
    },
    changeSubscriptions(client, change) {
      const body = (typeof change === 'object' && change !== null ? change : {}) as SubscriptionChange;
      const parse = (list: unknown): Subscription[] | null => {
        if (list === undefined) return [];
        if (!Array.isArray(list) || list.length > 256) return null;
        const subs = list.map(parseSubscription);
        return subs.every((s): s is Subscription => s !== null) ? subs : null;
      };
      const add = parse(body.subscribe);
      const remove = parse(body.unsubscribe);
      if (!add || !remove)
        return {
          ok: false,
          error: {
            code: 'validation',
            message: 'A subscription names an event without a scope, or a scope this station does not know.',
          },
        };
      for (const sub of add) subscriptions.subscribe(client, sub);
      for (const sub of remove) subscriptions.unsubscribe(client, sub);
      return { ok: true, value: { keys: subscriptions.keys(client) } };
    },
    wants: (client, event, payload) => subscriptions.wants(client, event, payload),
    async release(client) {
      controllers.get(client)?.abort(CLIENT_GONE);
      controllers.delete(client);
      subscriptions.release(client);
      return handles.release(client);
    },
  };
}
