/**
 * The preload: exposes exactly the contract as `window.lineside`, one object per namespace
 * (`lineside.orders.create(...)`, built from the channel table by `buildNamespacedApi`) plus
 * `on(event, listener, scope?)`. Bundled into one file (sandboxed preloads cannot require local
 * modules). No generic "send any channel" function: a channel not in the contract cannot be
 * reached; scoped subscriptions go over the one `events:subscribe` channel, checked in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  buildNamespacedApi,
  channels,
  createScopeCounter,
  eventChannels,
  inScope,
  parseSubscription,
  subscriptionChannel,
  type EventName,
  type LinesideClient,
  type Subscription,
} from '../shared/contract';

export function buildApi(
  renderer: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>,
): LinesideClient {
  const scopes = createScopeCounter((change) => void renderer.invoke(subscriptionChannel, change));
  const on = (event: EventName, listener: (payload: unknown) => void, scope?: unknown) => {
    if (!Object.hasOwn(eventChannels, event)) throw new Error(`Unknown event ${String(event)}`);
    let sub: Subscription | null = null;
    if (scope !== undefined) {
      sub = parseSubscription({ event, scope });
      if (!sub) throw new Error(`Unknown scope for ${event}: ${JSON.stringify(scope)}`);
      scopes.add(sub);
    }
    const channel = eventChannels[event];
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => {
      if (!sub || inScope(sub, payload)) listener(payload);
    };
    renderer.on(channel, wrapped);
    let off = false;
    return () => {
      if (off) return;
      off = true;
      renderer.removeListener(channel, wrapped);
      if (sub) scopes.remove(sub);
    };
  };
  const api = {
    ...buildNamespacedApi(channels, (_operation, channel, request) => renderer.invoke(channel, request)),
    on,
  };
  return Object.freeze(api) as unknown as LinesideClient;
}

if (process.contextIsolated) contextBridge.exposeInMainWorld('lineside', buildApi(ipcRenderer));
