/**
 * Binds every contract channel to the dispatcher. Imported only by electron/main/index.ts.
 * Each handler checks that the call comes from the app's own top frame before anything else;
 * the dispatcher then validates the argument against the operation's schema.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channels, eventChannels, operationNames, type Result } from '../shared/contract';
import type { ClientHandles } from '../core/clientHandles';
import type { Dispatch } from '../core/dispatch';
import type { EventBus } from '../core/eventBus';
import { isAppUrl } from './security';

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url);
}

const untrusted: Result<never> = {
  ok: false,
  error: { code: 'unauthorized', message: 'This window is not allowed to use the station.' },
};

/** Who was refused: the channel and the frame's URL (never the argument, which may hold a secret). */
export type RefusedSender = (refusal: { channel: string; url: string | null }) => void;

export const logRefusedSender: RefusedSender = ({ channel, url }) =>
  console.warn(`lineside: refused IPC ${channel} from ${url ?? 'a frame that is gone'}`);

/** The client id of a window's renderer, for `ClientHandles`: released when the window is destroyed. */
export const windowClient = (webContentsId: number) => `window-${webContentsId}`;

export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  onRefused: RefusedSender = logRefusedSender,
  handles?: ClientHandles,
): () => void {
  for (const operation of operationNames) {
    const channel = channels[operation];
    ipcMain.handle(channel, async (event, argument: unknown) => {
      if (!isTrustedSender(event)) {
        onRefused({ channel, url: event.senderFrame?.url ?? null });
        return untrusted;
      }
      const result = await dispatch(operation, argument);
      if (result.ok) handles?.track(windowClient(event.sender.id), operation, argument, result.value);
      return result;
    });
  }
  return () => {
    for (const operation of operationNames) ipcMain.removeHandler(channels[operation]);
  };
}

/** Forwards every service event to the given windows' renderers. */
export function forwardEvents(
  bus: EventBus,
  targets: () => Pick<WebContents, 'send' | 'isDestroyed'>[],
): () => void {
  return bus.subscribe((event, payload) => {
    for (const contents of targets())
      if (!contents.isDestroyed()) contents.send(eventChannels[event], payload);
  });
}
