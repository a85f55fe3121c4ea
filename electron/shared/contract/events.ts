import type { JobReport } from './jobs';

/** Events pushed from the services to every window (IPC) or browser (WebSocket). Imports types only. */
export interface UnitsChangedEvent {
  /** Claim IDs that changed; empty means "many, refresh everything". */
  claimIds: string[];
}

export interface DeviceStoreChangedEvent {
  sourceId: string;
  /** Sort keys that changed; empty when the source closed. */
  sks: string[];
}

export interface LinesideEvents {
  jobProgress: JobReport;
  unitsChanged: UnitsChangedEvent;
  deviceStoreChanged: DeviceStoreChangedEvent;
}

export const eventChannels = {
  jobProgress: 'jobs:on-progress',
  unitsChanged: 'units:on-changed',
  deviceStoreChanged: 'devstore:on-changed',
} as const satisfies { readonly [K in keyof LinesideEvents]: `${string}:on-${string}` };

export type EventName = keyof LinesideEvents;
