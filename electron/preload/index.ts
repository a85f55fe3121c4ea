/**
 * The preload: exposes exactly the contract as `window.lineside`, one function per operation plus
 * `on(event, listener)`. Bundled into one file (sandboxed preloads cannot require local modules).
 * No generic "send any channel" function: a channel not in the contract cannot be reached.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channels, eventChannels, operationNames, type LinesideClient } from '../shared/contract';

export function buildApi(
  renderer: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>,
): LinesideClient {
  const api: Record<string, unknown> = {};
  for (const operation of operationNames) {
    const channel = channels[operation];
    api[operation] = (request: unknown) => renderer.invoke(channel, request);
  }
  api.on = (event: keyof typeof eventChannels, listener: (payload: unknown) => void) => {
    if (!Object.hasOwn(eventChannels, event)) throw new Error(`Unknown event ${String(event)}`);
    const channel = eventChannels[event];
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    renderer.on(channel, wrapped);
    return () => renderer.removeListener(channel, wrapped);
  };
  return Object.freeze(api) as unknown as LinesideClient;
}

if (process.contextIsolated) contextBridge.exposeInMainWorld('lineside', buildApi(ipcRenderer));
