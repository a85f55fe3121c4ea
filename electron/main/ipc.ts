/**
 * Binds every contract channel to the dispatcher. Imported only by electron/main/index.ts.
 * Each handler checks that the call comes from the app's own top frame before anything else;
 * the dispatcher then validates the argument against the operation's schema. Each window is one
 * client of core/clients.ts: its calls carry its AbortSignal, what it opens is released with it,
 * and `forwardEvents` sends it only the scoped events it subscribed to (over `events:subscribe`)
 * or whose terminal session or job it started.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  channels,
  eventChannels,
  operationNames,
  subscriptionChannel,
  type Result,
} from '../shared/contract';
import type { Clients } from '../core/clients';
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

/** The client id of a window's renderer, for `Clients`: released when the window is destroyed. */
export const windowClient = (webContentsId: number) => `window-${webContentsId}`;

export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  onRefused: RefusedSender = logRefusedSender,
  clients?: Clients,
): () => void {
  for (const operation of operationNames) {
    const channel = channels[operation];
    ipcMain.handle(channel, async (event, argument: unknown) => {
      if (!isTrustedSender(event)) {
        onRefused({ channel, url: event.senderFrame?.url ?? null });
        return untrusted;
      }
      if (!clients) return dispatch(operation, argument);
      return clients.call(windowClient(event.sender.id), operation, argument);
    });
  }
  ipcMain.handle(subscriptionChannel, (event, change: unknown) => {
    if (!isTrustedSender(event)) {
      onRefused({ channel: subscriptionChannel, url: event.senderFrame?.url ?? null });
      return untrusted;
    }
    if (!clients)
      return {
        ok: false,
        error: { code: 'unavailable', message: 'This window cannot subscribe to events.' },
      };
    return clients.changeSubscriptions(windowClient(event.sender.id), change);
  });
  return () => {
    for (const operation of operationNames) ipcMain.removeHandler(channels[operation]);
    ipcMain.removeHandler(subscriptionChannel);
  };
}

/**
 * A window's page is one client: it goes (cancelling its waiting calls, closing what it held,
 * dropping its subscriptions) when the window is destroyed, its renderer dies, or its main frame
 * navigates to a new document (a reload: the new page starts clean; it runs after this fires).
 */
export function releaseWithPage(
  contents: Pick<WebContents, 'id' | 'once' | 'on'>,
  clients: Pick<Clients, 'release'>,
): void {
  const release = () => void clients.release(windowClient(contents.id));
  contents.once('destroyed', release);
  contents.on('render-process-gone', release);
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) release();
  });
}

/**
 * Forwards service events to the given windows' renderers: broadcast events to all of them,
 * terminal, slot and job events only to the windows that want them (`clients.wants`).
 */
export function forwardEvents(
  bus: EventBus,
  targets: () => Pick<WebContents, 'send' | 'isDestroyed' | 'id'>[],
  clients: Pick<Clients, 'wants'>,
): () => void {
  return bus.subscribe((event, payload) => {
    for (const contents of targets())
      if (!contents.isDestroyed() && clients.wants(windowClient(contents.id), event, payload))
        contents.send(eventChannels[event], payload);
  });
}
