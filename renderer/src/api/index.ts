/**
 * The renderer's one door to the station. Under Electron the preload put the contract on
 * `window.lineside`; in a browser the bridge served this page with its token in a meta tag.
 * Features import `api` and never learn which one they got.
 */
import type { LinesideClient, Result } from '../../../electron/shared/contract';
import { createBridgeClient } from './bridgeClient';

declare global {
  interface Window {
    lineside?: LinesideClient;
  }
}

function pickClient(): LinesideClient {
  if (window.lineside) return window.lineside;
  const token = document.querySelector<HTMLMetaElement>('meta[name="lineside-token"]')?.content ?? '';
  return createBridgeClient(token);
}

export const api: LinesideClient = pickClient();

export type { Result };
